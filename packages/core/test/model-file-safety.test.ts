// Model files against hostile paths and data (src/model-file.ts): only regular files are
// read, and only their stat'ed size; a replaced file keeps its permission bits; mappings are
// only what survives a JSON round trip unchanged.
import { execFileSync } from 'node:child_process';
import { constants as bufferConstants } from 'node:buffer';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LightFM } from '../src/index.js';

const dir = await mkdtemp(join(tmpdir(), 'lightfm-ts-model-file-safety-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const posix = process.platform !== 'win32';

/** How `LightFM.load(path)` settles, within 5 s (a FIFO used to never settle). */
async function loadOutcome(path: string): Promise<unknown> {
  const timeout = new Promise((resolve) => setTimeout(() => resolve('did not settle'), 5000).unref());
  return Promise.race([LightFM.load(path).then(() => 'loaded', (err: unknown) => err), timeout]);
}

describe('LightFM.load reads only regular files', () => {
  const cases: [kind: string, make: () => Promise<string | undefined>][] = [
    ['a directory', async () => dir],
    ['a device', async () => (existsSync('/dev/zero') ? '/dev/zero' : undefined)],
    [
      'a FIFO (named pipe)',
      async () => {
        if (!posix) return undefined;
        const path = join(dir, 'model.fifo');
        execFileSync('mkfifo', [path]);
        return path;
      },
    ],
    [
      'a socket',
      async () => {
        if (!posix) return undefined;
        const path = join(dir, 'model.sock');
        const server = createServer();
        await new Promise<void>((resolve) => server.listen(path, resolve));
        afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
        return path;
      },
    ],
  ];

  it.each(cases)('refuses %s with ERR_INVALID_ARG naming the path', async (kind, make) => {
    const path = await make();
    if (path === undefined) return console.warn(`[skip] ${kind}: not available on ${process.platform}`);
    expect(await loadOutcome(path)).toMatchObject({
      code: 'ERR_INVALID_ARG',
      message: `LightFM.load(): ${path} is ${kind}; a model file must be a regular file (one written by save())`,
    });
  });

  it('refuses a file whose size changes while it is read (ERR_CORRUPT_FILE)', async () => {
    // /proc files report size 0 and then yield bytes: the same as a file that grew.
    if (!existsSync('/proc/self/status')) return console.warn('[skip] no /proc on this platform');
    expect(await loadOutcome('/proc/self/status')).toMatchObject({
      code: 'ERR_CORRUPT_FILE',
      message: expect.stringMatching(/^\/proc\/self\/status changed size while it was read \(it had 0 bytes when opened\)/),
    });
  });

  it('refuses a file larger than a Node Buffer can hold, before reading it', async () => {
    if (bufferConstants.MAX_LENGTH > 2 ** 40) return console.warn('[skip] Buffer.constants.MAX_LENGTH is too large to exceed with a test file');
    const path = join(dir, 'huge.lightfm');
    await writeFile(path, '');
    await truncate(path, bufferConstants.MAX_LENGTH + 1); // sparse: takes no disk space
    expect(await loadOutcome(path)).toMatchObject({
      code: 'ERR_INVALID_ARG',
      message: expect.stringContaining(`${path} has ${bufferConstants.MAX_LENGTH + 1} bytes, more than the ${bufferConstants.MAX_LENGTH}`),
    });
    await rm(path);
  });

  it('still reads an ordinary model file, and a missing one is ERR_FILE_NOT_FOUND', async () => {
    const path = join(dir, 'ok.lightfm');
    await new LightFM({ noComponents: 3 }).save(path);
    expect((await LightFM.load(path)).getParams().noComponents).toBe(3);
    await expect(LightFM.load(join(dir, 'missing.lightfm'))).rejects.toMatchObject({ code: 'ERR_FILE_NOT_FOUND' });
  });

  it('refuses a URL that is not a file: URL with ERR_INVALID_ARG', async () => {
    await expect(LightFM.load(new URL('https://example.com/m.lightfm'))).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(new LightFM().save(new URL('https://example.com/m.lightfm'))).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
  });
});

describe.runIf(posix)('save keeps the permission bits of the file it replaces', () => {
  it.each([0o600, 0o640, 0o666, 0o444].map((m) => [m.toString(8), m] as const))('a %s file stays %s', async (_octal, mode) => {
    const path = join(dir, `mode-${mode.toString(8)}.lightfm`);
    await writeFile(path, 'old');
    await chmod(path, mode);
    await new LightFM().save(path);
    expect((await stat(path)).mode & 0o777).toBe(mode);
  });

  it('a new file gets 0666 less the umask', async () => {
    const sub = join(dir, 'fresh');
    await mkdir(sub);
    const path = join(sub, 'new.lightfm');
    await new LightFM().save(path);
    expect((await stat(path)).mode & 0o777).toBe(0o666 & ~process.umask());
  });
});

describe('mappings must survive a JSON round trip unchanged', () => {
  class Ids {
    list = ['a'];
  }
  const cycle: Record<string, unknown> = { users: ['a'] };
  cycle.self = { back: cycle };
  const sparse = ['a', 'b', 'c', 'd'];
  delete sparse[1];
  const named = Object.assign(['a'], { extra: 1 });
  const hidden = Object.defineProperty({ a: 1 }, 'b', { value: 2, enumerable: false });

  const BAD: [label: string, mappings: unknown, message: RegExp][] = [
    ['a typed array', { users: Int32Array.of(1) }, /mappings\.users is a Int32Array; .*Array\.from\(x\)/],
    ['NaN', { users: [1, Number.NaN] }, /mappings\.users\[1\] is NaN; JSON would store null/],
    ['Infinity', { scale: Infinity }, /mappings\.scale is Infinity/],
    ['-Infinity', { scale: -Infinity }, /mappings\.scale is -Infinity/],
    ['undefined in an array', { users: ['a', undefined] }, /mappings\.users\[1\] is undefined; .*use null/],
    ['undefined as an object value', { users: undefined }, /mappings\.users is undefined/],
    ['a function', { f: () => 1 }, /mappings\.f is a function/],
    ['a top-level function', () => 1, /mappings is a function/],
    ['a symbol', { s: Symbol('x') }, /mappings\.s is a symbol/],
    ['a bigint', { n: 1n }, /mappings\.n is a bigint \(1n\); store it as a number or a string/],
    ['a Date', { at: new Date(0) }, /mappings\.at is a Date with a toJSON method; .*toISOString/],
    ['an object with toJSON', { x: { toJSON: () => 1 } }, /mappings\.x is a Object with a toJSON method/],
    ['a class instance', { ids: new Ids() }, /mappings\.ids is an instance of Ids; .*plain object/],
    ['a Map', new Map([['a', 1]]), /mappings is a Map; convert it first \(e\.g\. Object\.fromEntries\(map\)/],
    ['a Set', { ids: new Set([1]) }, /mappings\.ids is a Set/],
    ['a hole', { users: sparse }, /mappings\.users\[1\] is a hole .*fill it/],
    ['a cycle', cycle, /mappings\.self\.back is one of its own containers \(a cycle\)/],
    ['an array with named properties', { users: named }, /mappings\.users is an array with named properties/],
    ['a non-enumerable property', { x: hidden }, /mappings\.x is an object with non-enumerable/],
    ['a symbol key', { x: { [Symbol('k')]: 1 } }, /mappings\.x is an object with non-enumerable or symbol-keyed/],
    ['a key that is not an identifier', { 'user ids': [1, Number.NaN] }, /mappings\["user ids"\]\[1\] is NaN/],
    ['an ArrayBuffer', [new ArrayBuffer(2)], /mappings\[0\] is a ArrayBuffer/],
  ];

  it.each(BAD)('refuses %s, naming where it is', async (_label, mappings, message) => {
    const model = new LightFM();
    model.mappings = mappings;
    expect(() => model.toBuffer()).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG', message: expect.stringMatching(message) }));
    await expect(model.save(join(dir, 'bad.lightfm'))).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
  });

  it('refuses mappings nested too deeply for JSON', () => {
    let deep: unknown = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const model = new LightFM();
    model.mappings = deep;
    expect(() => model.toBuffer()).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG', message: expect.stringMatching(/nested too deeply/) }));
  });

  it.each([
    ['plain objects and arrays', { users: ['ann', 7, null, true], items: { x: 0, y: { z: [] } } }],
    ['-0 (stored as 0)', { offset: -0 }],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { a: [1] })],
    ['a shared (non-cyclic) reference', ((ids) => ({ users: ids, again: ids }))(['a', 'b'])],
    ['a top-level string', 'just a note'],
    ['a top-level null (not read back as no mappings)', null],
  ])('keeps %s', (_label, mappings) => {
    const model = new LightFM();
    model.mappings = mappings;
    expect(LightFM.fromBuffer(model.toBuffer()).mappings).toEqual(JSON.parse(JSON.stringify(mappings)));
  });

  it('keeps no mappings as none', () => {
    expect(LightFM.fromBuffer(new LightFM().toBuffer()).mappings).toBeUndefined();
  });
});

describe('fromBuffer reads the bytes it was given, once', () => {
  it('refuses a transferred buffer instead of reading it as empty', () => {
    const bytes = new Uint8Array(new LightFM().toBuffer());
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    expect(() => LightFM.fromBuffer(bytes)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG', message: expect.stringMatching(/transferred/) }));
  });

  it('decodes a copy of a shared buffer', () => {
    const file = new LightFM({ noComponents: 3 }).toBuffer();
    const shared = new Uint8Array(new SharedArrayBuffer(file.length));
    shared.set(file);
    expect(LightFM.fromBuffer(shared).getParams().noComponents).toBe(3);
  });
});
