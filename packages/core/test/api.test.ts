// LightFM's tests/test_api.py (lightfm-behaviour.md §12.2), ported.
import { describe, expect, it } from 'vitest';
import { CooMatrix, CsrMatrix, LightFM, LightFMError } from '../src/index.js';
import { rejectedCode as codeOf } from './errors.js';
import { randomInteractions } from './helpers.js';

const empty = (rows: number, cols: number) => CooMatrix.fromTriplets([], [], [], [rows, cols]);

const random = (rows: number, cols: number, count: number, seed = 42) => randomInteractions(rows, cols, count, seed);

describe('test_api', () => {
  it('test_empty_matrix: fits an empty matrix', async () => {
    await new LightFM().fitPartial(empty(10, 100));
  });

  it('test_matrix_types: COO and CSR inputs, empty feature matrices, weights', async () => {
    for (const train of [empty(10, 100), empty(10, 100).toCsr()]) {
      const model = new LightFM();
      const userFeatures = empty(10, 20);
      const itemFeatures = empty(100, 20).toCsr();
      await model.fitPartial(train, { userFeatures, itemFeatures, sampleWeight: empty(10, 100) });
      const p = model.predict([0, 1, 2], [3, 4, 5], { userFeatures, itemFeatures });
      expect(Array.from(p)).toEqual([0, 0, 0]);
      model.predictRank(train, { userFeatures, itemFeatures });
    }
  });

  it('test_coo_with_duplicate_entries: duplicated entries do not crash any loss', async () => {
    const once = random(1000, 100, 1000);
    const twice = CooMatrix.fromTriplets([...once.row, ...once.row], [...once.col, ...once.col], [...once.data, ...once.data], once.shape);
    for (const loss of ['warp', 'bpr', 'warp-kos'] as const) {
      await new LightFM({ loss }).fit(twice);
    }
  });

  it('test_predict: a single user id equals a repeated one; junk ids throw', async () => {
    const model = new LightFM({ randomState: 1 });
    await model.fit(random(10, 100, 50));
    const items = Array.from({ length: 100 }, (_, i) => i);
    for (let uid = 0; uid < 10; uid++) {
      expect(model.predict(uid, items)).toEqual(model.predict(new Array(100).fill(uid), items));
    }
    expect(await codeOf(() => model.predict('foo' as never, items))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => model.predict([0, 1], [0]))).toBe('ERR_SHAPE');
  });

  it('test_input_dtypes: plain and typed arrays are accepted', async () => {
    const m = random(10, 100, 50);
    const plain = CooMatrix.fromTriplets(Array.from(m.row), Array.from(m.col), Array.from(m.data), m.shape);
    const a = new LightFM({ randomState: 3 });
    const b = new LightFM({ randomState: 3 });
    await a.fit(m);
    await b.fit(plain);
    expect(a.predict(0, [1, 2, 3])).toEqual(b.predict(0, Int32Array.of(1, 2, 3)));
  });

  it('test_not_enough_features_fails', async () => {
    const train = random(10, 100, 50);
    expect(await codeOf(() => new LightFM().fit(train, { userFeatures: CsrMatrix.identity(9) }))).toBe('ERR_SHAPE');
    expect(await codeOf(() => new LightFM().fit(train, { itemFeatures: CsrMatrix.identity(99) }))).toBe('ERR_SHAPE');
  });

  it('test_feature_inference_fails: ids beyond the embeddings need features', async () => {
    const model = new LightFM();
    await model.fit(random(10, 10, 30), { userFeatures: random(10, 20, 30), itemFeatures: random(10, 20, 30) });
    // Without the trained features the call cannot be scored at all; with them, the ids
    // beyond their rows are out of range.
    expect(await codeOf(() => model.predict([20], [20]))).toBe('ERR_SHAPE');
    expect(await codeOf(() => model.predict([20], [0], { userFeatures: random(10, 20, 30), itemFeatures: random(10, 20, 30) }))).toBe('ERR_INDEX_RANGE');
  });

  it('test_return_self', async () => {
    const model = new LightFM();
    const train = random(10, 100, 50);
    expect(await model.fit(train)).toBe(model);
    expect(await model.fitPartial(train)).toBe(model);
    expect(model.fitSync(train)).toBe(model);
  });

  it('test_param_sanity: invalid hyperparameters throw ERR_INVALID_ARG', async () => {
    for (const opts of [
      { noComponents: -1 },
      { userAlpha: -1 },
      { itemAlpha: -1 },
      { maxSampled: -1 },
      { noComponents: 2.5 },
      { rho: 1 },
      { epsilon: -1 },
      { learningRate: 0 },
      { loss: 'hinge' },
      { learningSchedule: 'sgd' },
      { randomState: -3 },
      { k: 0 },
      { noComponents: 100_000 },
    ]) {
      expect(await codeOf(() => new LightFM(opts as never)), JSON.stringify(opts)).toBe('ERR_INVALID_ARG');
    }
  });

  it('test_sample_weight: weights must match the interactions entry for entry', async () => {
    const train = CooMatrix.fromTriplets([0, 1], [1, 1], [1, 1], [2, 2]);
    const model = new LightFM();
    const other = CooMatrix.fromTriplets([0, 1], [0, 1], [1, 1], [2, 2]);
    expect(await codeOf(() => model.fit(train, { sampleWeight: other }))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => model.fit(train, { sampleWeight: [1] }))).toBe('ERR_SHAPE');
    expect(await codeOf(() => model.fit(train, { sampleWeight: [1, -1] }))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => model.fit(train, { sampleWeight: 'x' as never }))).toBe('ERR_INVALID_ARG');
    await model.fit(train, { sampleWeight: CooMatrix.fromTriplets([0, 1], [1, 1], [2, 3], [2, 2]) });
    await model.fit(train, { sampleWeight: Float32Array.of(2, 3) });
    expect(await codeOf(() => new LightFM({ loss: 'warp-kos' }).fit(train, { sampleWeight: [1, 1] }))).toBe('ERR_INVALID_ARG');
  });

  it('test_predict_ranks: ranks are permutations and respect train exclusion', async () => {
    const train = random(10, 100, 10);
    const model = new LightFM({ randomState: 7 });
    await model.fit(train);
    const ones = CooMatrix.fromTriplets(
      Array.from({ length: 1000 }, (_, k) => Math.floor(k / 100)),
      Array.from({ length: 1000 }, (_, k) => k % 100),
      new Array(1000).fill(1),
      [10, 100],
    );
    const ranks = model.predictRank(ones, { numThreads: 2 });
    for (let u = 0; u < 10; u++) {
      const r = Array.from(ranks.row(u).data).sort((a, b) => a - b);
      expect(r).toEqual(Array.from({ length: 100 }, (_, i) => i));
    }
    // Train covers everything: every rank is 0.
    const all = model.predictRank(ones, { trainInteractions: ones, checkIntersections: false });
    expect(all.data.every((v) => v === 0)).toBe(true);
    // Random train: row max = 99 - nnz(train row) for rows of test disjoint from train.
    const trainCsr = train.toCsr();
    const testRows: [number[], number[]] = [[], []];
    for (let u = 0; u < 10; u++) {
      const seen = new Set(trainCsr.row(u).indices);
      for (let i = 0; i < 100; i++) if (!seen.has(i)) (testRows[0].push(u), testRows[1].push(i));
    }
    const test = CooMatrix.fromTriplets(testRows[0], testRows[1], testRows[0].map(() => 1), [10, 100]);
    const excluded = model.predictRank(test, { trainInteractions: trainCsr });
    for (let u = 0; u < 10; u++) {
      expect(Math.max(...excluded.row(u).data)).toBe(99 - trainCsr.row(u).indices.length);
    }
    expect(await codeOf(() => model.predictRank(ones, { trainInteractions: train }))).toBe('ERR_INVALID_ARG');
    model.predictRank(test, { trainInteractions: train });
    expect(await codeOf(() => model.predictRank(empty(5, 5)))).toBe('ERR_SHAPE');
  });

  it('test_exception_on_divergence: a huge learning rate fails with ERR_DIVERGED', async () => {
    const model = new LightFM({ loss: 'warp', learningRate: 1e7, randomState: 1 });
    const err = await model.fit(random(1000, 1000, 20_000), { epochs: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LightFMError);
    expect((err as LightFMError).code).toBe('ERR_DIVERGED');
    expect((err as LightFMError).message).toMatch(/epoch \d+/);
  });

  it('test_sklearn_api: params round-trip; unknown keys are rejected', async () => {
    const model = new LightFM({ loss: 'bpr', noComponents: 7, randomState: 3 });
    const params = model.getParams();
    expect(params).toMatchObject({ loss: 'bpr', noComponents: 7, randomState: 3, learningSchedule: 'adagrad', maxSampled: 10 });
    expect(new LightFM(params).getParams()).toEqual(params);
    expect(model.setParams({ learningRate: 0.1 }).getParams().learningRate).toBeCloseTo(0.1);
    expect(await codeOf(() => model.setParams({ bogus: 1 } as never))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => model.setParams({ rho: 2 }))).toBe('ERR_INVALID_ARG');
  });

  it('test_predict_not_fitted', async () => {
    const model = new LightFM();
    for (const f of [
      () => model.predict([0], [0]),
      () => model.predictRank(empty(1, 1)),
      () => model.getUserRepresentations(),
      () => model.getItemRepresentations(),
    ]) {
      expect(await codeOf(f)).toBe('ERR_NOT_FITTED');
    }
  });

  it('test_nan_features / test_nan_interactions', async () => {
    expect(await codeOf(() => CooMatrix.fromTriplets([0], [0], [Number.NaN], [10, 10]))).toBe('ERR_NOT_FINITE');
    expect(await codeOf(() => CsrMatrix.fromDense([[Number.NaN]]))).toBe('ERR_NOT_FINITE');
    expect(await codeOf(() => new LightFM().fit(random(10, 10, 5), { sampleWeight: new Float32Array(5).fill(Number.NaN) }))).toBe('ERR_NOT_FINITE');
  });

  it('test_overflow_predict: absurd ids throw', async () => {
    const model = new LightFM();
    await model.fit(random(10, 10, 5));
    expect(await codeOf(() => model.predict(1231241241231241414, [0]))).toBe('ERR_INDEX_RANGE');
    expect(await codeOf(() => model.predict([2 ** 40], [0]))).toBe('ERR_INDEX_RANGE');
  });

  it('test_warp_few_items: 1000 x 2 fits', async () => {
    await new LightFM({ loss: 'warp', maxSampled: 10 }).fit(random(1000, 2, 2000));
  });
});
