// Model files: save/load and toBuffer/fromBuffer round trips, atomic writes, mappings, and
// damaged files (the thorough fuzz loop is the Rust test crates/lightfm-core/tests/io_fuzz.rs).
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CooMatrix, LightFM, LightFMError } from '../src/index.js';
import { randomInteractions } from './helpers.js';

const random = (rows: number, cols: number, count: number, seed = 5) => randomInteractions(rows, cols, count, seed);

const dir = await mkdtemp(join(tmpdir(), 'lightfm-ts-model-file-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const train = random(30, 40, 300);
const users = Array.from({ length: 30 * 40 }, (_, k) => Math.floor(k / 40));
const items = Array.from({ length: 30 * 40 }, (_, k) => k % 40);

function sameState(a: LightFM, b: LightFM): void {
  for (const side of ['user', 'item'] as const) expect(b.getState(side)).toEqual(a.getState(side));
}

describe('save / load', () => {
  it('round-trips: same hyperparameters, bit-identical predictions, identical continued training', async () => {
    for (const learningSchedule of ['adagrad', 'adadelta'] as const) {
      const a = await new LightFM({ loss: 'warp', learningSchedule, noComponents: 9, randomState: 12 }).fit(train, { epochs: 3 });
      const path = join(dir, `model-${learningSchedule}.lightfm`);
      await a.save(path);
      const b = await LightFM.load(path);
      expect(b.getParams()).toEqual(a.getParams());
      sameState(a, b);
      expect(b.predict(users, items)).toEqual(a.predict(users, items));
      await a.fitPartial(train, { epochs: 2 });
      await b.fitPartial(train, { epochs: 2 });
      sameState(a, b);
      expect(Buffer.compare(a.toBuffer(), b.toBuffer())).toBe(0);
    }
  });

  it('writes atomically: replaces an existing file and leaves no temporary files, even on failure', async () => {
    const path = join(dir, 'atomic.lightfm');
    await writeFile(path, 'old contents');
    const model = await new LightFM({ randomState: 1 }).fit(train);
    await model.save(pathToFileURL(path));
    expect((await LightFM.load(path)).predict(users, items)).toEqual(model.predict(users, items));
    await expect(model.save(join(dir, 'missing-folder', 'm.lightfm'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await expect(LightFM.load(join(dir, 'nope.lightfm'))).rejects.toMatchObject({ code: 'ERR_FILE_NOT_FOUND' });
  });

  it('keeps mappings verbatim and rejects ones that JSON cannot hold', async () => {
    const model = await new LightFM().fit(train);
    model.mappings = { users: ['ann', 'bob'], items: { x: 0, y: 1 }, note: 'ünïcode ✓' };
    const back = LightFM.fromBuffer(model.toBuffer());
    expect(back.mappings).toEqual(model.mappings);
    expect(Object.keys(back.mappings as object)).toEqual(['users', 'items', 'note']);
    expect(LightFM.fromBuffer(new LightFM().toBuffer()).mappings).toBeUndefined();
    for (const bad of [new Map([['a', 1]]), { ids: new Set([1]) }, { n: 1n }, () => 1]) {
      model.mappings = bad;
      await expect(model.save(join(dir, 'bad.lightfm'))).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    }
  });

  it('saves and loads an unfitted model (its hyperparameters)', () => {
    const m = new LightFM({ loss: 'bpr', noComponents: 33, randomState: 2 ** 53 - 1 });
    const back = LightFM.fromBuffer(m.toBuffer());
    expect(back.isFitted).toBe(false);
    expect(back.getParams()).toEqual(m.getParams());
  });
});

describe('damaged files', async () => {
  const model = await new LightFM({ loss: 'bpr', randomState: 3 }).fit(train, { epochs: 2 });
  model.mappings = { users: Array.from({ length: 30 }, (_, i) => `u${i}`) };
  const good = model.toBuffer();

  function codeOf(bytes: Uint8Array): string {
    try {
      LightFM.fromBuffer(bytes);
    } catch (e) {
      expect(e).toBeInstanceOf(LightFMError);
      return (e as LightFMError).code;
    }
    return 'loaded';
  }

  it('rejects hundreds of flipped, truncated and extended variants cleanly', () => {
    let seed = 99;
    const next = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const seen: Record<string, number> = {};
    for (let v = 0; v < 600; v++) {
      let bytes = Buffer.from(good);
      if (v % 3 === 0) {
        const at = next(bytes.length);
        bytes[at] = (bytes[at] as number) ^ (1 + next(255));
      } else if (v % 3 === 1) {
        bytes = bytes.subarray(0, next(bytes.length));
      } else {
        bytes = Buffer.concat([bytes, Buffer.alloc(1 + next(32), next(256))]);
      }
      const code = codeOf(bytes);
      expect(['ERR_CORRUPT_FILE', 'ERR_CHECKSUM']).toContain(code);
      seen[code] = (seen[code] ?? 0) + 1;
    }
    expect(Object.keys(seen).sort()).toEqual(['ERR_CHECKSUM', 'ERR_CORRUPT_FILE']);
  });

  it('names the problem: not a model file, future version, truncation, checksum', async () => {
    const message = (bytes: Uint8Array) => {
      try {
        LightFM.fromBuffer(bytes);
      } catch (e) {
        return `${(e as LightFMError).code} ${(e as Error).message}`;
      }
      return 'loaded';
    };
    expect(message(Buffer.from('{"not":"a model"}'.padEnd(40)))).toMatch(/^ERR_CORRUPT_FILE corrupt file: not a lightfm-ts model file/);
    const future = Buffer.from(good);
    future.writeUInt32LE(2, 8);
    expect(message(future)).toMatch(/^ERR_CORRUPT_FILE corrupt file: format version 2 is not supported: this lightfm-ts reads version 1/);
    expect(message(good.subarray(0, good.length - 10))).toMatch(/^ERR_CORRUPT_FILE .*truncated/);
    const flipped = Buffer.from(good);
    flipped[good.length - 20] = (flipped[good.length - 20] as number) ^ 1;
    expect(message(flipped)).toMatch(/^ERR_CHECKSUM /);
    expect(() => LightFM.fromBuffer('not bytes' as never)).toThrow(LightFMError);
    const path = join(dir, 'damaged.lightfm');
    await writeFile(path, flipped);
    await expect(LightFM.load(path)).rejects.toMatchObject({ name: 'LightFMError', code: 'ERR_CHECKSUM' });
  });
});
