// Hostile caches and options: sizes are checked against the bytes present before anything is
// allocated, cache paths that are not regular files are ERR_CORRUPT_FILE, the user's own
// onProgress error comes out unchanged, bad URLs and signals are ERR_INVALID_ARG, and the
// StackExchange split follows every valid testSetFraction.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CooMatrix } from '@lightfm-ts/core';
import { fetchMovielens, fetchStackexchange, getDataHome } from '../src/index.js';
import { parseNpy } from '../src/npy.js';
import { readZipMembers } from '../src/zip.js';
import { listFiles, tempDir } from './helpers/data.js';
import { makeNpy, npyOf, npyStrings } from './helpers/npy.js';
import { type TestServer, sendBytes, serve } from './helpers/server.js';
import { makeZip } from './helpers/zip.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// 3 users x 4 questions x 2 tags, answer times all distinct: (user, question, time).
const ANSWERS: [number, number, number][] = [
  [0, 0, 1], [0, 1, 2], [1, 2, 3], [2, 3, 4], [1, 0, 5], [2, 1, 6], [0, 3, 7], [1, 1, 8],
];

function npz(override: Record<string, Buffer> = {}): Buffer {
  const members: Record<string, Buffer> = {
    interactions_shape: npyOf(Int32Array.of(3, 4), [1, 2]),
    interactions_row: npyOf(Int32Array.from(ANSWERS, (a) => a[0])),
    interactions_col: npyOf(Int32Array.from(ANSWERS, (a) => a[1])),
    interactions_data: npyOf(Float32Array.from(ANSWERS, (a) => a[2])),
    features_shape: npyOf(Int32Array.of(4, 2), [1, 2]),
    features_row: npyOf(Int32Array.of(0, 1, 2, 3)),
    features_col: npyOf(Int32Array.of(0, 1, 0, 1)),
    features_data: npyOf(Float32Array.of(1, 1, 1, 1)),
    labels: npyStrings(['r', 'bayesian']),
    ...override,
  };
  return makeZip(Object.entries(members).map(([k, data]) => ({ name: `${k}.npy`, data })));
}

function cacheWith(file: Buffer): string {
  const dataHome = tempDir();
  mkdirSync(join(dataHome, 'stackexchange'));
  writeFileSync(join(dataHome, 'stackexchange', 'stackexchange_crossvalidated.npz'), file);
  return dataHome;
}

const pairs = (m: CooMatrix) => Array.from(m.row, (r, k) => `${r},${m.col[k]}`).sort();

describe('(a) sizes are checked against the bytes present before allocating', () => {
  it.each([
    ['|S0', [2 ** 32 - 1]],
    ['<U0', [2 ** 31, 2]],
  ])('a zero-width %s array claiming shape %j is refused', (descr, shape) => {
    const e = (() => {
      try {
        parseNpy(makeNpy(descr, shape, new Uint8Array(0)), 'x.npz:labels.npy');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toMatchObject({ code: 'ERR_CORRUPT_FILE', message: expect.stringMatching(/^x\.npz:labels\.npy .*zero-width dtype/) });
  });

  it.each([
    ['users', { interactions_shape: npyOf(Int32Array.of(2 ** 31 - 1, 4), [1, 2]) }, '(2147483647, 4)'],
    ['questions', {
      interactions_shape: npyOf(Int32Array.of(3, 2 ** 31 - 1), [1, 2]),
      features_shape: npyOf(Int32Array.of(2 ** 31 - 1, 2), [1, 2]),
    }, '(3, 2147483647)'],
  ])('an .npz claiming 2^31 - 1 %s is refused, naming the file and member', async (_what, override, dims) => {
    const dataHome = cacheWith(npz(override));
    await expect(fetchStackexchange('crossvalidated', { dataHome })).rejects.toMatchObject({
      code: 'ERR_CORRUPT_FILE',
      message: expect.stringContaining(`stackexchange_crossvalidated.npz is not a LightFM StackExchange file: interactions_shape ${dims} is larger than the 14 entries the file holds`),
    });
  });

  it('a zip entry claiming more bytes than its compressed data can hold is refused before allocation', async () => {
    const zip = makeZip([{ name: 'a.npy', data: new Uint8Array(100) }]);
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(0xfffffff0, central + 24);
    zip.writeUInt32LE(0xfffffff0, 22); // the local header too
    const path = join(tempDir(), 'bomb.zip');
    writeFileSync(path, zip);
    await expect(readZipMembers(path, ['a.npy'])).rejects.toMatchObject({
      code: 'ERR_CORRUPT_FILE',
      message: expect.stringMatching(/the entry a\.npy claims 4294967280 bytes, more than its \d+ compressed bytes can hold/),
    });
  });
});

describe('(b) a cache path that is a directory is ERR_CORRUPT_FILE saying what to do', () => {
  const advice = /is a directory, where the dataset cache expects a regular file; remove it \(the data is downloaded again when missing\)/;

  it('a MovieLens member file', async () => {
    const dataHome = tempDir();
    const folder = join(dataHome, 'movielens100k', 'ml-100k');
    for (const m of ['ua.base', 'ua.test', 'u.item']) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, m), '');
    }
    mkdirSync(join(folder, 'u.genre'));
    await expect(fetchMovielens({ dataHome, downloadIfMissing: false })).rejects.toMatchObject({
      code: 'ERR_CORRUPT_FILE',
      message: expect.stringMatching(new RegExp(`^${join(folder, 'u.genre').replace(/[.]/g, '\\.')} ${advice.source}`)),
    });
  });

  it('the MovieLens zip and the StackExchange .npz', async () => {
    const dataHome = tempDir();
    mkdirSync(join(dataHome, 'movielens100k', 'ml-100k.zip'), { recursive: true });
    mkdirSync(join(dataHome, 'stackexchange', 'stackexchange_crossvalidated.npz'), { recursive: true });
    await expect(fetchMovielens({ dataHome })).rejects.toMatchObject({ code: 'ERR_CORRUPT_FILE', message: expect.stringMatching(advice) });
    await expect(fetchStackexchange('crossvalidated', { dataHome })).rejects.toMatchObject({ code: 'ERR_CORRUPT_FILE', message: expect.stringMatching(advice) });
  });
});

describe('(c) an onProgress callback that throws', () => {
  it('rejects with the very error it threw, and leaves nothing in the cache', async () => {
    server = await serve({ '/stackexchange_crossvalidated.npz': sendBytes(npz()) });
    for (const when of [0, 1]) {
      const dataHome = join(tempDir(), 'cache');
      const mine = new Error('my progress bar broke');
      let calls = 0;
      const onProgress = () => {
        if (calls++ === when) throw mine;
      };
      await expect(fetchStackexchange('crossvalidated', { dataHome, baseUrl: server.url, onProgress })).rejects.toBe(mine);
      expect(listFiles(dataHome)).toEqual([]);
    }
  });
});

describe('(d) and (f): baseUrl and signal are checked', () => {
  it.each(['not a url', 'example.com/mirror', 'ftp://example.com/x/', 'file:///tmp/mirror', 'http://[::1'])(
    'baseUrl %j is ERR_INVALID_ARG saying what to pass',
    async (baseUrl) => {
      for (const fetch of [() => fetchMovielens({ dataHome: tempDir(), baseUrl }), () => fetchStackexchange('crossvalidated', { dataHome: tempDir(), baseUrl })]) {
        await expect(fetch()).rejects.toMatchObject({
          code: 'ERR_INVALID_ARG',
          message: expect.stringMatching(/options\.baseUrl must be an absolute http: or https: URL such as/),
        });
      }
    },
  );

  it('a malformed LIGHTFM_DATASETS_BASE_URL is ERR_INVALID_ARG naming the variable', async () => {
    const saved = process.env.LIGHTFM_DATASETS_BASE_URL;
    process.env.LIGHTFM_DATASETS_BASE_URL = 'nonsense';
    try {
      await expect(fetchMovielens({ dataHome: tempDir() })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARG',
        message: expect.stringMatching(/^the LIGHTFM_DATASETS_BASE_URL environment variable must be an absolute http: or https: URL/),
      });
    } finally {
      if (saved === undefined) delete process.env.LIGHTFM_DATASETS_BASE_URL;
      else process.env.LIGHTFM_DATASETS_BASE_URL = saved;
    }
  });

  it.each([
    ['an object', {}],
    ['null', null],
    ['a controller', new AbortController()],
    ['a fake with the prototype', Object.create(AbortSignal.prototype)],
    ['a string', 'abort'],
  ])('signal as %s is ERR_INVALID_ARG', async (_label, signal) => {
    for (const fetch of [() => fetchMovielens({ dataHome: tempDir(), signal }), () => fetchStackexchange('crossvalidated', { dataHome: tempDir(), signal })]) {
      await expect(fetch()).rejects.toMatchObject({ code: 'ERR_INVALID_ARG', message: expect.stringMatching(/options\.signal must be an AbortSignal/) });
    }
  });
});

describe('(e) the StackExchange split follows testSetFraction', () => {
  const dataHome = cacheWith(npz());
  const times = ANSWERS.map((a) => a[2]).sort((a, b) => a - b);

  it.each([1e-17, 5e-324, 1e-10, 0.1, 0.2, 0.5, 0.875, 0.99, 1 - 2 ** -53])('testSetFraction %d', async (fraction) => {
    const { train, test } = await fetchStackexchange('crossvalidated', { dataHome, testSetFraction: fraction, minTrainingInteractions: 0 });
    // LightFM's rule, with an index past the end meaning no test answers.
    const index = Math.trunc(ANSWERS.length * (1 - fraction));
    const cutoff = index >= times.length ? Infinity : (times[index] as number);
    const expected = (inTrain: boolean) => ANSWERS.filter((a) => a[2] < cutoff === inTrain).map((a) => `${a[0]},${a[1]}`).sort();
    expect(pairs(train)).toEqual(expected(true));
    expect(pairs(test)).toEqual(expected(false));
    expect(test.nnz).toBeLessThanOrEqual(Math.ceil(ANSWERS.length * fraction));
  });

  it.each([0, 1, 1 - 1e-17, -1e-17, 1 + 1e-15, Number.NaN, Infinity, '0.2', null])('testSetFraction %s is refused as LightFM refuses it', async (fraction) => {
    await expect(fetchStackexchange('crossvalidated', { dataHome, testSetFraction: fraction as number })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG',
      message: expect.stringMatching(/options\.testSetFraction must be/),
    });
  });
});

describe('other bad arguments found by the sweep', () => {
  it.each([1.5, {}, ['/data'], Symbol('d')])('getDataHome(%s) is ERR_INVALID_ARG', (dataHome) => {
    expect(() => getDataHome(dataHome as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG', message: expect.stringMatching(/^getDataHome\(\): dataHome must be a folder path \(a string\)/) }),
    );
  });

  it('a bigint dataset name is ERR_INVALID_ARG', async () => {
    await expect(fetchStackexchange(1n as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG', message: expect.stringMatching(/unknown dataset 1n/) });
  });
});
