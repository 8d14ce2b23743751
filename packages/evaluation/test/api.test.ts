// LightFM's tests/test_evaluation.py (lightfm-behaviour.md §12.3), every metric against a
// brute-force reference, and the API's contract: users present, errors, sync = async.
import { describe, expect, it } from 'vitest';
import { CooMatrix, CsrMatrix, LightFM, LightFMError } from '@lightfm-ts/core';
import {
  aucScore,
  catalogCoverage,
  evaluate,
  evaluateSync,
  hitRateAtK,
  mae,
  mapAtK,
  ndcgAtK,
  precisionAtK,
  recallAtK,
  reciprocalRank,
  rmse,
} from '../src/index.js';
import { allScores, mean, rocAuc, topKReference, userReference } from './reference.js';

/** A seeded LCG in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** LightFM's `_generate_data`: every user has `density * items` positives, 20% in test. */
function generate(users: number, items: number, seed: number, density = 0.1): { train: CsrMatrix; test: CsrMatrix } {
  const rand = rng(seed);
  const tr: [number[], number[]] = [[], []];
  const te: [number[], number[]] = [[], []];
  const perUser = Math.floor(items * density);
  for (let u = 0; u < users; u++) {
    const chosen = new Set<number>();
    while (chosen.size < perUser) chosen.add(Math.floor(rand() * items));
    [...chosen].forEach((i, j) => {
      const side = j < perUser * 0.2 ? te : tr;
      side[0].push(u);
      side[1].push(i);
    });
  }
  const csr = ([r, c]: [number[], number[]]) => CooMatrix.fromTriplets(r, c, r.map(() => 1), [users, items]).toCsr();
  return { train: csr(tr), test: csr(te) };
}

const errorCode = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof LightFMError ? e.code : `not a LightFMError: ${String(e)}`;
  }
  return undefined;
};

describe('test_evaluation.py (§12.3)', () => {
  const { train, test } = generate(10, 100, 42);
  const model = new LightFM({ loss: 'bpr', randomState: 10 }).fitPartialSync(test);
  const scores = allScores(model, 10, 100);
  const usersWithTest = 10;

  it('test_precision_at_k / test_recall_at_k: brute-force top k, with and without train', () => {
    for (const k of [10, 5, 1]) {
      for (const trainInteractions of [undefined, train]) {
        const want = topKReference(scores, test, k, trainInteractions);
        const p = precisionAtK(model, test, { k, trainInteractions });
        const r = recallAtK(model, test, { k, trainInteractions });
        expect(p.length).toBe(usersWithTest);
        expect(mean(p)).toBeCloseTo(mean(want.precision), 6);
        expect(mean(r)).toBeCloseTo(mean(want.recall), 6);
        expect(precisionAtK(model, test, { k, trainInteractions, preserveRows: true }).length).toBe(10);
      }
    }
  });

  it('test_precision_at_k_with_ties: everything tied gives precision 0', () => {
    // LightFM zeroes the parameters; identical item representations tie every item the same way.
    const oneFeature = CooMatrix.fromTriplets(
      Array.from({ length: 100 }, (_, i) => i),
      new Array(100).fill(0),
      new Array(100).fill(1),
      [100, 1],
    );
    const tied = new LightFM({ loss: 'bpr', randomState: 10 }).fitPartialSync(test, { itemFeatures: oneFeature });
    expect(mean(precisionAtK(tied, test, { itemFeatures: oneFeature }))).toBe(0);
  });

  it('test_auc_score: within 0.01 of per-user sklearn AUC (2 threads)', () => {
    for (const trainInteractions of [undefined, train]) {
      const auc = aucScore(model, test, { trainInteractions, numThreads: 2 });
      expect(auc.length).toBe(usersWithTest);
      const sk = scores.map((s, u) => {
        const excluded = new Set(trainInteractions ? trainInteractions.row(u).indices : []);
        const positives = new Set(test.row(u).indices);
        const keep = Array.from(s.keys()).filter((i) => !excluded.has(i));
        return rocAuc(keep.map((i) => s[i] as number), keep.map((i) => positives.has(i)));
      });
      expect(Math.abs(mean(auc) - mean(sk))).toBeLessThan(0.01);
      expect(aucScore(model, test, { trainInteractions, preserveRows: true }).length).toBe(10);
    }
  });

  it('test_intersections_check: overlap throws unless the check is off', () => {
    for (const f of [precisionAtK, recallAtK, aucScore, reciprocalRank]) {
      expect(errorCode(() => f(model, test, { trainInteractions: test }))).toBe('ERR_INVALID_ARG');
      expect(errorCode(() => f(model, test, { trainInteractions: train }))).toBeUndefined();
      expect(errorCode(() => f(model, test, { trainInteractions: test, checkIntersections: false }))).toBeUndefined();
    }
  });
});

describe('every metric against its definition', () => {
  const { train, test } = generate(30, 80, 7, 0.15);
  const model = new LightFM({ loss: 'warp', randomState: 3 }).fitSync(train, { epochs: 5 });
  const scores = allScores(model, 30, 80);

  it.each([1, 5, 10, 200])('k = %i, with and without train exclusion', (k) => {
    for (const trainInteractions of [undefined, train]) {
      const e = evaluateSync(model, test, {
        metrics: ['precision', 'recall', 'auc', 'reciprocalRank', 'ndcg', 'map', 'hitRate'],
        k,
        trainInteractions,
      });
      Array.from(e.users).forEach((u, row) => {
        const excluded = new Set(trainInteractions ? trainInteractions.row(u).indices : []);
        const want = userReference(scores[u] as Float32Array, new Set(test.row(u).indices), excluded, k);
        for (const [metric, value] of Object.entries(want)) {
          expect(e.perUser[metric as keyof typeof want][row], `user ${u} ${metric}`).toBeCloseTo(value, 5);
        }
      });
    }
  });

  it('one function per metric returns the same values as evaluate', async () => {
    // The metrics without a cut-off take no k.
    const unranked = { trainInteractions: train, numThreads: 2 };
    const opts = { ...unranked, k: 5 };
    const e = await evaluate(model, test, { ...opts, metrics: ['precision', 'recall', 'auc', 'reciprocalRank', 'ndcg', 'map', 'hitRate', 'catalogCoverage', 'rmse', 'mae'] });
    expect(evaluateSync(model, test, { ...opts, metrics: ['ndcg', 'catalogCoverage'] }).mean.ndcg).toBe(e.mean.ndcg);
    expect(precisionAtK(model, test, opts)).toEqual(e.perUser.precision);
    expect(recallAtK(model, test, opts)).toEqual(e.perUser.recall);
    expect(aucScore(model, test, unranked)).toEqual(e.perUser.auc);
    expect(reciprocalRank(model, test, unranked)).toEqual(e.perUser.reciprocalRank);
    expect(ndcgAtK(model, test, opts)).toEqual(e.perUser.ndcg);
    expect(mapAtK(model, test, opts)).toEqual(e.perUser.map);
    expect(hitRateAtK(model, test, opts)).toEqual(e.perUser.hitRate);
    expect(rmse(model, test, unranked)).toEqual(e.perUser.rmse);
    expect(mae(model, test, unranked)).toEqual(e.perUser.mae);
    expect(catalogCoverage(model, test, opts)).toBe(e.catalogCoverage);
    expect(e.mean.precision).toBeCloseTo(mean(e.perUser.precision), 6);
  });

  it('catalogCoverage, rmse and mae from scores', () => {
    const k = 3;
    const covered = new Set<number>();
    scores.forEach((s, u) => {
      const excluded = new Set(train.row(u).indices);
      Array.from(s.keys())
        .filter((i) => !excluded.has(i))
        .sort((a, b) => (s[b] as number) - (s[a] as number) || a - b)
        .slice(0, k)
        .forEach((i) => covered.add(i));
    });
    expect(catalogCoverage(model, test, { k, trainInteractions: train })).toBeCloseTo(covered.size / 80, 12);
    const e = evaluateSync(model, test, { metrics: ['rmse', 'mae'] });
    const coo = test.toCoo();
    const predicted = model.predict(coo.row, coo.col);
    const errors = Array.from(predicted, (p, j) => p - (coo.data[j] as number));
    expect(e.pooledRmse).toBeCloseTo(Math.sqrt(mean(errors.map((x) => x * x))), 5);
    expect(e.pooledMae).toBeCloseTo(mean(errors.map(Math.abs)), 5);
    const user0 = errors.filter((_, j) => coo.row[j] === 0);
    expect(e.perUser.rmse[0]).toBeCloseTo(Math.sqrt(mean(user0.map((x) => x * x))), 5);
  });
});

describe('users present and undefined corners', () => {
  const { train } = generate(6, 20, 5, 0.25);
  const model = new LightFM({ loss: 'warp', randomState: 1 }).fitSync(train, { epochs: 2 });
  // Users 1 and 4 have test entries; user 4's covers every item (no negatives).
  const rows = [1, 1, ...new Array(20).fill(4)];
  const cols = [3, 7, ...Array.from({ length: 20 }, (_, i) => i)];
  const test = CooMatrix.fromTriplets(rows, cols, rows.map(() => 1), [6, 20]);

  it('only users with test entries, unless preserveRows', () => {
    const e = evaluateSync(model, test, { metrics: ['precision', 'recall', 'auc', 'reciprocalRank'] });
    expect(Array.from(e.users)).toEqual([1, 4]);
    expect(e.evaluatedUsers).toBe(2);
    expect(e.perUser.auc[1]).toBe(0.5); // no negatives: 0.5, not LightFM's NaN
    const p = evaluateSync(model, test, { metrics: ['precision', 'recall', 'auc', 'reciprocalRank'], preserveRows: true });
    expect(Array.from(p.users)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(p.perUser.recall)).toEqual([0, e.perUser.recall[0], 0, 0, e.perUser.recall[1], 0]);
    expect(p.perUser.auc[0]).toBe(0.5);
    expect(p.mean).toEqual(e.mean); // means are over users with test entries either way
  });

  it('a one-user matrix and an empty one work (LightFM raises IndexError / returns NaN)', () => {
    const one = CooMatrix.fromTriplets([0], [5], [1], [1, 20]);
    expect(precisionAtK(model, one, { k: 1 }).length).toBe(1);
    expect(reciprocalRank(model, one).length).toBe(1);
    const empty = CooMatrix.fromTriplets([], [], [], [6, 20]);
    const e = evaluateSync(model, empty, { metrics: ['auc', 'catalogCoverage'] });
    expect(e.users.length).toBe(0);
    expect(e.mean.auc).toBeNaN();
    expect(e.catalogCoverage).toBe(0);
  });

  it('errors carry stable codes', async () => {
    const fresh = new LightFM();
    expect(errorCode(() => precisionAtK(fresh, test))).toBe('ERR_NOT_FITTED');
    expect(errorCode(() => precisionAtK(model, test, { k: 0 }))).toBe('ERR_INVALID_ARG');
    expect(errorCode(() => precisionAtK(model, test, { numThreads: 0 }))).toBe('ERR_INVALID_ARG');
    expect(errorCode(() => precisionAtK({} as LightFM, test))).toBe('ERR_INVALID_ARG');
    expect(errorCode(() => evaluateSync(model, test, { metrics: ['precision', 'nope' as 'auc'] }))).toBe('ERR_INVALID_ARG');
    expect(errorCode(() => evaluateSync(model, test, { metrics: [] }))).toBe('ERR_INVALID_ARG');
    const wide = CooMatrix.fromTriplets([0], [0], [1], [6, 21]);
    expect(errorCode(() => aucScore(model, wide))).toBe('ERR_SHAPE');
    await expect(evaluate(model, wide, { metrics: ['auc'] })).rejects.toMatchObject({ code: 'ERR_SHAPE' });
    await expect(evaluate(fresh, test, { metrics: ['auc'] })).rejects.toMatchObject({ code: 'ERR_NOT_FITTED' });
  });

  it('throws ERR_BUSY while the model trains, and never mutates its inputs', async () => {
    const big = generate(200, 300, 9, 0.2).train;
    const training = new LightFM({ loss: 'warp', randomState: 2 });
    const fitting = training.fit(big, { epochs: 50 });
    expect(errorCode(() => precisionAtK(training, big))).toBe('ERR_BUSY');
    await fitting;
    const before = [Array.from(big.indptr), Array.from(big.indices), Array.from(big.data)];
    await evaluate(training, big, { metrics: ['auc', 'rmse'], trainInteractions: undefined });
    expect([Array.from(big.indptr), Array.from(big.indices), Array.from(big.data)]).toEqual(before);
  });
});
