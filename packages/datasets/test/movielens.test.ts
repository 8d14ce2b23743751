import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CooMatrix } from '@lightfm-ts/core';
import { type MovielensData, fetchMovielens } from '../src/index.js';
import { DATA_HOME, HAS_MOVIELENS, MOVIELENS_DIR, listFiles, reportSkip, tempDir } from './helpers/data.js';
import { type TestServer, sendBytes, sendThenReset, sendTruncated, serve } from './helpers/server.js';
import { type TestZipEntry, makeZip } from './helpers/zip.js';

const MEMBERS = ['ua.base', 'ua.test', 'u.item', 'u.genre'];
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A zip laid out like GroupLens's, from the given member contents. */
function movielensZip(members: Record<string, Uint8Array>, extra: TestZipEntry[] = []): Buffer {
  return makeZip([{ name: 'ml-100k/', data: new Uint8Array(0), deflate: false }, ...Object.entries(members).map(([m, data]) => ({ name: `ml-100k/${m}`, data })), ...extra]);
}

const FAKE_MEMBERS = {
  'ua.base': new TextEncoder().encode('1\t1\t5\t874965758\n'),
  'ua.test': new TextEncoder().encode('1\t2\t3\t876893171\n'),
  'u.item': new TextEncoder().encode('1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n'),
  'u.genre': new TextEncoder().encode('unknown|0\n'),
};

function isRowMajor(m: CooMatrix): boolean {
  for (let k = 1; k < m.nnz; k++) {
    const [r0, c0, r1, c1] = [m.row[k - 1], m.col[k - 1], m.row[k], m.col[k]] as number[];
    if (r1! < r0! || (r1 === r0 && c1! <= c0!)) return false;
  }
  return true;
}

describe('fetchMovielens: options and cache errors (no data needed)', () => {
  it('rejects bad options before touching the disk', async () => {
    const dataHome = tempDir();
    await expect(fetchMovielens({ dataHome, indicatorFeatures: false, genreFeatures: false })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG',
      message: expect.stringMatching(/at least one of indicatorFeatures or genreFeatures/),
    });
    await expect(fetchMovielens({ dataHome, minRatings: 4 } as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG', message: expect.stringMatching(/unknown option 'minRatings'/) });
    await expect(fetchMovielens({ dataHome, minRating: Number.NaN })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(fetchMovielens({ dataHome, genreFeatures: 'yes' } as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    await expect(fetchMovielens({ dataHome, onProgress: 1 } as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG' });
    expect(listFiles(dataHome)).toEqual([]);
  });

  it('downloadIfMissing: false fails with ERR_DOWNLOAD naming the expected paths, creating nothing', async () => {
    const dataHome = join(tempDir(), 'cache');
    const p = fetchMovielens({ dataHome, downloadIfMissing: false });
    await expect(p).rejects.toMatchObject({ code: 'ERR_DOWNLOAD' });
    const message = (await p.catch((e: Error) => e.message)) as string;
    expect(message).toContain(join(dataHome, 'movielens100k', 'ml-100k.zip'));
    expect(message).toContain(join(dataHome, 'movielens100k', 'ml-100k'));
    expect(existsSync(dataHome)).toBe(false);
  });

  it('refuses a cached zip that is not a zip, saying how to recover', async () => {
    const dataHome = tempDir();
    mkdirSync(join(dataHome, 'movielens100k'));
    writeFileSync(join(dataHome, 'movielens100k', 'ml-100k.zip'), '<html>captive portal</html>');
    await expect(fetchMovielens({ dataHome })).rejects.toMatchObject({ code: 'ERR_CORRUPT_FILE', message: expect.stringMatching(/ml-100k\.zip is not a usable zip archive: .*\. Delete .*ml-100k\.zip to download it again$/) });
  });

  it('refuses an extracted folder whose files differ from the official ones', async () => {
    const dataHome = tempDir();
    const folder = join(dataHome, 'movielens100k', 'ml-100k');
    mkdirSync(folder, { recursive: true });
    for (const [m, data] of Object.entries(FAKE_MEMBERS)) writeFileSync(join(folder, m), data);
    await expect(fetchMovielens({ dataHome })).rejects.toMatchObject({ code: 'ERR_CHECKSUM', message: expect.stringMatching(/ml-100k: ua\.base is not the official MovieLens 100k file: sha256 mismatch, expected 67b5bcdb.*\. Replace .* or delete it to download them again$/) });
  });

  it('download: a zip whose members fail their sha256 is ERR_CHECKSUM and is not cached', async () => {
    server = await serve({ '/ml-100k.zip': sendBytes(movielensZip(FAKE_MEMBERS)) });
    const dataHome = tempDir();
    await expect(fetchMovielens({ dataHome, baseUrl: server.url, onProgress: () => {} })).rejects.toMatchObject({
      code: 'ERR_CHECKSUM',
      message: expect.stringMatching(/the download of ml-100k\.zip: ua\.base is not the official MovieLens 100k file: sha256 mismatch.*\. The file downloaded from http.* was deleted/),
    });
    expect(listFiles(dataHome)).toEqual([]);
  });

  it('download: HTTP 404, a truncated body and a connection closed mid-stream are ERR_DOWNLOAD and leave nothing', async () => {
    const body = movielensZip(FAKE_MEMBERS, [{ name: 'pad', data: new Uint8Array(100_000).map((_, i) => i * 13) }]);
    server = await serve({ '/trunc/ml-100k.zip': sendTruncated(body), '/reset/ml-100k.zip': sendThenReset(body) });
    const dataHome = tempDir();
    for (const path of ['missing/', 'trunc/', 'reset/']) {
      await expect(fetchMovielens({ dataHome, baseUrl: server.url + path, onProgress: () => {} })).rejects.toMatchObject({
        code: 'ERR_DOWNLOAD',
        message: expect.stringContaining(`${server.url}${path}ml-100k.zip failed`),
      });
      expect(listFiles(dataHome)).toEqual([]);
    }
  });

  it('download: the base URL can come from LIGHTFM_DATASETS_BASE_URL', async () => {
    server = await serve({});
    const saved = process.env.LIGHTFM_DATASETS_BASE_URL;
    process.env.LIGHTFM_DATASETS_BASE_URL = `${server.url}env-mirror`;
    try {
      await expect(fetchMovielens({ dataHome: tempDir(), onProgress: () => {} })).rejects.toMatchObject({ message: expect.stringContaining('/env-mirror/ml-100k.zip failed: the server answered HTTP 404') });
    } finally {
      if (saved === undefined) delete process.env.LIGHTFM_DATASETS_BASE_URL;
      else process.env.LIGHTFM_DATASETS_BASE_URL = saved;
    }
  });
});

reportSkip('fetchMovielens on the real MovieLens 100k', HAS_MOVIELENS);

describe.skipIf(!HAS_MOVIELENS)('fetchMovielens on the real MovieLens 100k (LIGHTFM_DATA_HOME)', () => {
  const real = () => Object.fromEntries(MEMBERS.map((m) => [m, readFileSync(join(MOVIELENS_DIR as string, m))]));
  let data: MovielensData;
  beforeAll(async () => {
    data = await fetchMovielens({ dataHome: DATA_HOME, downloadIfMissing: false });
  });

  it("has LightFM's shapes and counts", () => {
    expect(data.train.shape).toEqual([943, 1682]);
    expect(data.test.shape).toEqual([943, 1682]);
    expect(data.train.nnz).toBe(90570);
    expect(data.test.nnz).toBe(9430);
    expect(data.train.nnz + data.test.nnz).toBe(100_000);
    expect(isRowMajor(data.train) && isRowMajor(data.test)).toBe(true);
    // Raw ratings; exactly 10 test ratings per user.
    expect(new Set(data.train.data)).toEqual(new Set([1, 2, 3, 4, 5]));
    const perUser = new Int32Array(943);
    data.test.row.forEach((u) => perUser[u]!++);
    expect(perUser.every((n) => n === 10)).toBe(true);
  });

  it('test_basic_fetching_movielens (LightFM §12.3): indicator features, labels identity, genre shapes', async () => {
    expect(data.itemFeatures.shape).toEqual([1682, 1682]);
    expect(data.itemFeatures.nnz).toBe(1682);
    expect(data.itemFeatureLabels).toHaveLength(1682);
    expect(data.itemFeatureLabels).toBe(data.itemLabels);

    const genre = await fetchMovielens({ dataHome: DATA_HOME, genreFeatures: true, indicatorFeatures: false });
    expect(genre.itemFeatures.shape).toEqual([1682, 19]);
    expect(genre.itemFeatures.shape[1]).toBeLessThan(genre.itemFeatures.shape[0]);
    expect(genre.itemFeatureLabels).toHaveLength(19);
    expect(genre.itemFeatureLabels[0]).toBe('genre:unknown');
    expect(genre.itemFeatureLabels).not.toBe(genre.itemLabels);

    const both = await fetchMovielens({ dataHome: DATA_HOME, genreFeatures: true });
    expect(both.itemFeatures.shape).toEqual([1682, 1701]);
    expect(both.itemFeatureLabels).toHaveLength(1701);
    expect(both.itemFeatureLabels).not.toBe(both.itemLabels);
    expect(both.itemFeatures.nnz).toBe(1682 + genre.itemFeatures.nnz);
    // Toy Story is Animation, Children's, Comedy (u.item flags 3, 4, 5).
    expect([...genre.itemFeatures.row(0).indices].map((g) => genre.itemFeatureLabels[g])).toEqual(['genre:Animation', "genre:Children's", 'genre:Comedy']);
    expect([...both.itemFeatures.row(0).indices]).toEqual([0, 1682 + 3, 1682 + 4, 1682 + 5]);
  });

  it('keeps full titles, decoded as Latin-1', () => {
    expect(data.itemLabels[0]).toBe('Toy Story (1995)');
    expect(data.itemLabels).toContain('Misérables, Les (1995)');
    expect(data.itemLabels.every((t) => t.length > 1)).toBe(true);
  });

  it('filters by minRating (LightFM quickstart: 19,048 train and 2,153 test at 5.0)', async () => {
    const five = await fetchMovielens({ dataHome: DATA_HOME, minRating: 5 });
    expect([five.train.nnz, five.test.nnz]).toEqual([19048, 2153]);
    expect(five.train.shape).toEqual([943, 1682]);
    expect(new Set(five.train.data)).toEqual(new Set([5]));
    const four = await fetchMovielens({ dataHome: DATA_HOME, minRating: 4 });
    const count = (m: CooMatrix) => m.data.filter((v) => v >= 4).length;
    expect([four.train.nnz, four.test.nnz]).toEqual([count(data.train), count(data.test)]);
  });

  it('reads the original zip the same way as the extracted folder', async () => {
    const dataHome = tempDir();
    mkdirSync(join(dataHome, 'movielens100k'));
    writeFileSync(join(dataHome, 'movielens100k', 'ml-100k.zip'), movielensZip(real()));
    const fromZip = await fetchMovielens({ dataHome, downloadIfMissing: false });
    expect(fromZip.train.row).toEqual(data.train.row);
    expect(fromZip.train.col).toEqual(data.train.col);
    expect(fromZip.test.data).toEqual(data.test.data);
    expect(fromZip.itemLabels).toEqual(data.itemLabels);
  });

  it('download: serves a zip over HTTP, caches it verified, then works offline', async () => {
    const zip = movielensZip(real(), [{ name: 'ml-100k/README', data: new TextEncoder().encode('readme') }]);
    server = await serve({ '/ml-100k.zip': sendBytes(zip) });
    const dataHome = tempDir();
    const progress: number[] = [];
    const fetched = await fetchMovielens({ dataHome, baseUrl: server.url, onProgress: (p) => progress.push(p.received) });
    expect(fetched.train.nnz).toBe(90570);
    expect(progress.at(-1)).toBe(zip.length);
    expect(listFiles(dataHome)).toEqual([join('movielens100k', 'ml-100k.zip')]);
    const again = await fetchMovielens({ dataHome, baseUrl: server.url, downloadIfMissing: false });
    expect(again.test.nnz).toBe(9430);
    expect(server.hits.get('/ml-100k.zip')).toBe(1);
  });

  it('download: a zip with a zip-slip entry is ERR_CORRUPT_FILE and is not cached', async () => {
    const zip = movielensZip(real(), [{ name: 'ml-100k/../../evil.sh', data: new TextEncoder().encode('rm -rf ~') }]);
    server = await serve({ '/ml-100k.zip': sendBytes(zip) });
    const dataHome = tempDir();
    await expect(fetchMovielens({ dataHome, baseUrl: server.url, onProgress: () => {} })).rejects.toMatchObject({
      code: 'ERR_CORRUPT_FILE',
      message: expect.stringMatching(/invalid relative path: ml-100k\/\.\.\/\.\.\/evil\.sh/),
    });
    expect(listFiles(dataHome)).toEqual([]);
    expect(existsSync(join(dataHome, '..', 'evil.sh'))).toBe(false);
  });

  it('download: a zip with one altered member is ERR_CHECKSUM and is not cached', async () => {
    const members = real();
    const base = Buffer.from(members['ua.base'] as Buffer);
    base[0] = '2'.charCodeAt(0);
    server = await serve({ '/ml-100k.zip': sendBytes(movielensZip({ ...members, 'ua.base': base })) });
    const dataHome = tempDir();
    await expect(fetchMovielens({ dataHome, baseUrl: server.url, onProgress: () => {} })).rejects.toMatchObject({ code: 'ERR_CHECKSUM', message: expect.stringContaining('ua.base is not the official MovieLens 100k file: sha256 mismatch') });
    expect(listFiles(dataHome)).toEqual([]);
  });
});
