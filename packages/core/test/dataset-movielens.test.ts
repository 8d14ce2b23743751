import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dataset, leaveKOutSplit, randomTrainTestSplit, temporalSplit } from '../src/index.js';

// MovieLens 100k is never shipped with the repo; tests read it from LIGHTFM_DATA_HOME.
const dataHome = process.env.LIGHTFM_DATA_HOME;
const folder = dataHome === undefined ? '' : join(dataHome, 'movielens100k', 'ml-100k');
if (dataHome === undefined) console.warn('dataset-movielens.test.ts: skipped, LIGHTFM_DATA_HOME is not set (MovieLens 100k not available)');

function lines(file: string): string[] {
  return readFileSync(join(folder, file), 'latin1').split('\n').filter((l) => l.trim() !== '');
}

/** `user \t item \t rating \t timestamp`, ids as numbers. */
function ratings(file: string) {
  const rows = lines(file).map((l) => l.split('\t').map(Number) as [number, number, number, number]);
  return {
    users: rows.map((r) => r[0]),
    items: rows.map((r) => r[1]),
    weights: rows.map((r) => r[2]),
    times: Float64Array.from(rows, (r) => r[3]),
  };
}

const range1 = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe.skipIf(dataHome === undefined)('MovieLens 100k through Dataset (LIGHTFM_DATA_HOME)', () => {
  it("builds u.data at fetchMovielens's shape, rows and columns in id order", () => {
    const data = ratings('u.data');
    const dataset = new Dataset().fit(range1(943), range1(1682));
    const { interactions, weights } = dataset.buildInteractions(data);
    expect(interactions.shape).toEqual([943, 1682]);
    expect(interactions.nnz).toBe(100_000);
    expect(interactions.row[0]).toBe((data.users[0] as number) - 1);
    expect(interactions.col[0]).toBe((data.items[0] as number) - 1);
    expect(Array.from(weights.data.subarray(0, 5))).toEqual(data.weights.slice(0, 5));
    // Fitted from the ratings themselves (ids in order of first appearance), same shape.
    const byAppearance = new Dataset().fit(data.users, data.items);
    expect(byAppearance.interactionsShape()).toEqual([943, 1682]);
  });

  it('builds genre item features from u.item / u.genre (identity + 19 genres = 1701 columns)', () => {
    const genres = lines('u.genre').map((l) => `genre:${l.split('|')[0]}`);
    expect(genres).toHaveLength(19);
    const rows = lines('u.item').map((l) => {
      const f = l.split('|');
      return [Number(f[0]), genres.filter((_, g) => Number(f[5 + g]) > 0)] as const;
    });
    const flags = rows.reduce((s, [, g]) => s + g.length, 0);
    const withIdentity = new Dataset().fit([], range1(1682), { itemFeatures: genres });
    const features = withIdentity.buildItemFeatures(rows, false);
    expect(features.shape).toEqual([1682, 1701]);
    expect(withIdentity.modelDimensions()).toEqual([0, 1701]);
    expect(features.nnz).toBe(1682 + flags);
    const normalised = withIdentity.buildItemFeatures(rows);
    for (let i = 0; i < 1682; i++) {
      const sum = normalised.row(i).data.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - 1)).toBeLessThan(1e-6);
    }
    const genresOnly = new Dataset({ itemIdentityFeatures: false }).fit([], range1(1682), { itemFeatures: genres });
    expect(genresOnly.buildItemFeatures(rows, false).shape).toEqual([1682, 19]);
  });

  it("random split of ua.base gives test.nnz / nnz == p exactly (LightFM's test_cross_validation)", () => {
    const dataset = new Dataset().fit(range1(943), range1(1682));
    // fetchMovielens's train: ua.base as a row-major COO with the ratings as values.
    const train = dataset.buildInteractions(ratings('ua.base')).weights.toCsr().toCoo();
    expect(train.nnz).toBe(90_570);
    for (const p of [0.2, 0.5, 0.7]) {
      const [a, b] = randomTrainTestSplit(train, { testPercentage: p, randomState: 42 });
      expect(b.nnz / train.nnz).toBe(p);
      expect(a.nnz + b.nnz).toBe(train.nnz);
      const trainKeys = new Set(Array.from(a.row, (r, k) => r * 1682 + (a.col[k] as number)));
      expect(Array.from(b.row).some((r, k) => trainKeys.has(r * 1682 + (b.col[k] as number)))).toBe(false);
    }
  });

  it('leave-10-out and per-user temporal splits of u.data', () => {
    const data = ratings('u.data');
    const dataset = new Dataset().fit(range1(943), range1(1682));
    const { interactions } = dataset.buildInteractions(data);
    const [train, test] = leaveKOutSplit(interactions, { k: 10, randomState: 1 });
    // Every MovieLens user has at least 20 ratings.
    expect(test.nnz).toBe(9430);
    expect(train.nnz).toBe(90_570);
    const [tTrain, tTest] = temporalSplit(interactions, data.times, { testFraction: 0.2, perUser: true });
    expect(tTrain.nnz + tTest.nnz).toBe(100_000);
    expect(tTest.nnz / 100_000).toBeGreaterThan(0.19);
    expect(tTest.nnz / 100_000).toBeLessThan(0.21);
  });
});
