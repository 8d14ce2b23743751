import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CooMatrix } from '@lightfm-ts/core';
import { fetchStackexchange } from '../src/index.js';
import { CROSSVALIDATED, DATA_HOME, HAS_CROSSVALIDATED, listFiles, reportSkip, tempDir } from './helpers/data.js';
import { makeNpy, npyOf, npyStrings } from './helpers/npy.js';
import { type TestServer, sendBytes, serve } from './helpers/server.js';
import { type TestZipEntry, makeZip } from './helpers/zip.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// 4 users x 5 questions x 3 tags. (user, question, time): user 3 answers question 1 twice
// before the cutoff; user 0 answers question 0 before and after it.
const ANSWERS: [number, number, number][] = [
  [0, 0, 10], [0, 1, 20], [0, 2, 30],
  [1, 0, 15], [1, 3, 90],
  [2, 4, 95],
  [3, 1, 40], [3, 1, 41], [3, 2, 85],
  [0, 0, 99],
];
const TAGS: [number, number][] = [[0, 0], [0, 1], [1, 2], [3, 0]];
const LABELS = ['bayesian', 'r', 'mcmc'];

/** An `.npz` with the key layout of LightFM's release files; `override` replaces members. */
function npz(override: Record<string, Buffer | undefined> = {}, extra: TestZipEntry[] = []): Buffer {
  const members: Record<string, Buffer | undefined> = {
    interactions_shape: npyOf(Int32Array.of(4, 5), [1, 2]),
    interactions_row: npyOf(Int32Array.from(ANSWERS, (a) => a[0])),
    interactions_col: npyOf(Int32Array.from(ANSWERS, (a) => a[1])),
    interactions_data: npyOf(Float32Array.from(ANSWERS, (a) => a[2])),
    features_shape: npyOf(Int32Array.of(5, 3), [1, 2]),
    features_row: npyOf(Int32Array.from(TAGS, (t) => t[0])),
    features_col: npyOf(Int32Array.from(TAGS, (t) => t[1])),
    features_data: npyOf(new Float32Array(TAGS.length).fill(1)),
    labels: npyStrings(LABELS, 50),
    ...override,
  };
  const entries = Object.entries(members).filter((e): e is [string, Buffer] => e[1] !== undefined);
  return makeZip([...entries.map(([k, data]) => ({ name: `${k}.npy`, data })), ...extra]);
}

function cacheWith(file: Buffer): string {
  const dataHome = tempDir();
  mkdirSync(join(dataHome, 'stackexchange'));
  writeFileSync(join(dataHome, 'stackexchange', 'stackexchange_crossvalidated.npz'), file);
  return dataHome;
}

const pairs = (m: CooMatrix) => Array.from(m.row, (r, k) => [r, m.col[k]]);

describe('fetchStackexchange on a built .npz', () => {
  it("splits by time at sort(times)[int(n * (1 - fraction))], as LightFM", async () => {
    // n = 10, fraction 0.25: the cutoff is the 8th time, 90; train is strictly earlier.
    const d = await fetchStackexchange('crossvalidated', { dataHome: cacheWith(npz()), testSetFraction: 0.25, minTrainingInteractions: 0 });
    expect(d.train.shape).toEqual([4, 5]);
    expect(pairs(d.train)).toEqual([[0, 0], [0, 1], [0, 2], [1, 0], [3, 1], [3, 2]]);
    expect(pairs(d.test)).toEqual([[0, 0], [1, 3], [2, 4]]);
    expect([...d.train.data, ...d.test.data].every((v) => v === 1)).toBe(true);
  });

  it('keeps users with more than minTrainingInteractions training answers, counting repeats, and renumbers them', async () => {
    const d = await fetchStackexchange('crossvalidated', { dataHome: cacheWith(npz()), testSetFraction: 0.25 });
    // Training answers: user 0: 3, user 1: 1, user 2: 0, user 3: 3 (two on question 1).
    expect(d.train.shape).toEqual([2, 5]);
    expect(pairs(d.train)).toEqual([[0, 0], [0, 1], [0, 2], [1, 1], [1, 2]]);
    expect(pairs(d.test)).toEqual([[0, 0]]);
    const strict = await fetchStackexchange('crossvalidated', { dataHome: cacheWith(npz()), testSetFraction: 0.25, minTrainingInteractions: 3 });
    expect(strict.train.shape).toEqual([0, 5]);
  });

  it('builds indicator, tag or combined item features with their labels', async () => {
    const dataHome = cacheWith(npz());
    const ids = await fetchStackexchange('crossvalidated', { dataHome });
    expect(ids.itemFeatures.shape).toEqual([5, 5]);
    expect(ids.itemFeatureLabels).toEqual(['question_id:0', 'question_id:1', 'question_id:2', 'question_id:3', 'question_id:4']);
    const tags = await fetchStackexchange('crossvalidated', { dataHome, indicatorFeatures: false, tagFeatures: true });
    expect(tags.itemFeatures.shape).toEqual([5, 3]);
    expect(tags.itemFeatureLabels).toEqual(LABELS);
    expect([...tags.itemFeatures.row(0).indices]).toEqual([0, 1]);
    const both = await fetchStackexchange('crossvalidated', { dataHome, tagFeatures: true });
    expect(both.itemFeatures.shape).toEqual([5, 8]);
    expect(both.itemFeatureLabels.slice(4)).toEqual(['question_id:4', ...LABELS]);
    expect([...both.itemFeatures.row(0).indices]).toEqual([0, 5, 6]);
    expect([...both.itemFeatures.row(3).indices]).toEqual([3, 5]);
  });

  it('validates its arguments', async () => {
    const dataHome = cacheWith(npz());
    const bad = (args: unknown[], message: RegExp) =>
      expect((fetchStackexchange as (...a: unknown[]) => Promise<unknown>)(...args)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG', message: expect.stringMatching(message) });
    await bad(['mathoverflow', { dataHome }], /unknown dataset "mathoverflow"/);
    for (const f of [0, 1, -0.5, 1.5, Number.NaN]) await bad(['crossvalidated', { dataHome, testSetFraction: f }], /testSetFraction/);
    await bad(['crossvalidated', { dataHome, indicatorFeatures: false }], /at least one of indicatorFeatures or tagFeatures/);
    await bad(['crossvalidated', { dataHome, minTrainingInteractions: 1.5 }], /minTrainingInteractions/);
    await bad(['crossvalidated', { dataHome, minTrainingInteractions: -1 }], /minTrainingInteractions/);
    await bad(['crossvalidated', { dataHome, testFraction: 0.1 }], /unknown option 'testFraction'/);
  });

  it('refuses files that do not have the expected structure', async () => {
    const corrupt = (file: Buffer, message: RegExp) =>
      expect(fetchStackexchange('crossvalidated', { dataHome: cacheWith(file) })).rejects.toMatchObject({ code: 'ERR_CORRUPT_FILE', message: expect.stringMatching(message) });
    await corrupt(npz({ labels: undefined }), /has no entry labels\.npy\. Delete .*stackexchange_crossvalidated\.npz to download it again$/);
    await corrupt(npz({ interactions_row: npyOf(Int32Array.from(ANSWERS, (a, k) => (k === 2 ? 4 : a[0]))) }), /interactions_row\.npy.*value 4 at position 2 is outside \[0, 4\)/);
    await corrupt(npz({ interactions_data: npyOf(Float32Array.of(1, 2)) }), /differ in length/);
    await corrupt(npz({ features_shape: npyOf(Int32Array.of(6, 3), [1, 2]) }), /features have 6 rows but there are 5 questions/);
    await corrupt(npz({ labels: npyStrings(['a', 'b']) }), /labels must be 3 strings/);
    await corrupt(npz({ interactions_col: makeNpy('|O', [10], new Uint8Array(80)) }), /pickle/);
    await corrupt(npz({}, [{ name: '../labels.npy', data: new Uint8Array(1) }]), /invalid relative path/);
  });

  it('downloadIfMissing: false fails with ERR_DOWNLOAD naming the expected path', async () => {
    const dataHome = join(tempDir(), 'none');
    await expect(fetchStackexchange('stackoverflow', { dataHome, downloadIfMissing: false })).rejects.toMatchObject({
      code: 'ERR_DOWNLOAD',
      message: expect.stringContaining(join(dataHome, 'stackexchange', 'stackexchange_stackoverflow.npz')),
    });
    expect(listFiles(dataHome)).toEqual([]);
  });

  it('downloads over HTTP into the cache, verified, and reuses it', async () => {
    const file = npz();
    server = await serve({ '/stackexchange_crossvalidated.npz': sendBytes(file) });
    const dataHome = tempDir();
    const d = await fetchStackexchange('crossvalidated', { dataHome, baseUrl: server.url, testSetFraction: 0.25, onProgress: () => {} });
    expect(d.train.nnz).toBe(5);
    expect(listFiles(dataHome)).toEqual([join('stackexchange', 'stackexchange_crossvalidated.npz')]);
    await fetchStackexchange('crossvalidated', { dataHome, baseUrl: server.url });
    expect(server.hits.get('/stackexchange_crossvalidated.npz')).toBe(1);
  });

  it('does not cache a download whose archive fails its CRC check', async () => {
    const zip = makeZip([{ name: 'labels.npy', data: npyStrings(LABELS), crc: 1 }]);
    server = await serve({ '/stackexchange_crossvalidated.npz': sendBytes(zip) });
    const dataHome = tempDir();
    await expect(fetchStackexchange('crossvalidated', { dataHome, baseUrl: server.url, onProgress: () => {} })).rejects.toMatchObject({ code: 'ERR_CORRUPT_FILE' });
    expect(listFiles(dataHome)).toEqual([]);
  });
});

reportSkip('fetchStackexchange on the real CrossValidated file', HAS_CROSSVALIDATED);

describe.skipIf(!HAS_CROSSVALIDATED)('fetchStackexchange on the real CrossValidated file (LIGHTFM_DATA_HOME)', () => {
  const opts = { dataHome: DATA_HOME, downloadIfMissing: false } as const;

  it("reproduces LightFM's example counts: 3221 users, 72360 items, 57830 train, 4307 test, 1246 tags", async () => {
    expect(CROSSVALIDATED).toBeDefined();
    const d = await fetchStackexchange('crossvalidated', { ...opts, testSetFraction: 0.1, indicatorFeatures: false, tagFeatures: true });
    expect(d.train.shape).toEqual([3221, 72360]);
    expect(d.test.shape).toEqual([3221, 72360]);
    expect(d.train.nnz).toBe(57830);
    expect(d.test.nnz).toBe(4307);
    expect(d.itemFeatures.shape).toEqual([72360, 1246]);
    expect(d.itemFeatures.nnz).toBe(198963);
    expect(d.itemFeatureLabels).toHaveLength(1246);
    expect(d.itemFeatureLabels.slice(0, 3)).toEqual(['bayesian', 'prior', 'elicitation']);
  });

  it('test_basic_fetching_stackexchange (LightFM, skipped there): fractions, feature shapes, full shape, values', async () => {
    for (const fraction of [0.2, 0.5, 0.6]) {
      const d = await fetchStackexchange('crossvalidated', { ...opts, minTrainingInteractions: 0, testSetFraction: fraction });
      expect(Math.abs(d.test.nnz / (d.train.nnz + d.test.nnz) - fraction)).toBeLessThan(0.01);
    }
    const ids = await fetchStackexchange('crossvalidated', { ...opts, minTrainingInteractions: 0 });
    expect(ids.itemFeatures.shape).toEqual([72360, 72360]);
    const tags = await fetchStackexchange('crossvalidated', { ...opts, minTrainingInteractions: 0, indicatorFeatures: false, tagFeatures: true });
    expect(tags.itemFeatures.shape[0]).toBeGreaterThan(tags.itemFeatures.shape[1]);
    const both = await fetchStackexchange('crossvalidated', { ...opts, minTrainingInteractions: 0, tagFeatures: true });
    expect(both.itemFeatures.shape).toEqual([72360, 72360 + 1246]);
    expect(both.train.shape).toEqual([9431, 72360]);
    expect(both.train.data.every((v) => v === 1) && both.test.data.every((v) => v === 1)).toBe(true);
  });
});
