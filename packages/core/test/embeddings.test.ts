// exportEmbeddings: bias-folded vectors whose dot product is predict's score, for identity and
// hybrid models, new rows from features (cold start) and subsets of rows; and its errors.
import { describe, expect, it } from 'vitest';
import { type ExportedEmbeddings, LightFM, type PredictOptions } from '../src/index.js';
import { errorCode, thrown } from './errors.js';
import { randomInteractions } from './helpers.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const rowOf = (v: Float32Array, dim: number, r: number) => v.subarray(r * dim, (r + 1) * dim);
const rowsOf = (v: Float32Array, dim: number) => range(v.length / dim).map((r) => Array.from(rowOf(v, dim, r)));

/**
 * Every exported user row against every exported item row: the dot product equals `predict`
 * of the ids they were exported for, within 1e-5 relative to the size of the sum's terms
 * (the score itself, unless the terms cancel: rounding scales with the terms, not the result).
 */
function expectScores(model: LightFM, e: ExportedEmbeddings, users: number[], items: number[], options: PredictOptions = {}): void {
  expect([e.userVectors.length, e.itemVectors.length]).toEqual([users.length * e.dim, items.length * e.dim]);
  const scores = model.predict(
    users.flatMap((u) => items.map(() => u)),
    users.flatMap(() => items),
    options,
  );
  users.forEach((u, a) => {
    const uv = rowOf(e.userVectors, e.dim, a);
    items.forEach((i, b) => {
      const iv = rowOf(e.itemVectors, e.dim, b);
      let dot = 0;
      let scale = 0;
      for (let k = 0; k < e.dim; k++) {
        dot += (uv[k] as number) * (iv[k] as number);
        scale += Math.abs((uv[k] as number) * (iv[k] as number));
      }
      const want = scores[a * items.length + b] as number;
      expect(Math.abs(dot - want), `user ${u} item ${i}: dot ${dot}, predict ${want}`).toBeLessThanOrEqual(1e-5 * scale);
    });
  });
}

describe('exportEmbeddings', async () => {
  const train = randomInteractions(40, 70, 500, 3);
  const model = await new LightFM({ loss: 'warp', noComponents: 20, randomState: 3 }).fit(train, { epochs: 5 });

  const userFeatures = randomInteractions(30, 12, 90, 1).toCsr();
  const itemFeatures = randomInteractions(50, 15, 200, 2).toCsr();
  const hybrid = await new LightFM({ loss: 'bpr', noComponents: 20, randomState: 5 }).fit(randomInteractions(30, 50, 300, 4), { userFeatures, itemFeatures, epochs: 3 });
  // Feature matrices with rows beyond the trained users and items: new ones (cold start).
  const coldUsers = randomInteractions(36, 12, 110, 6).toCsr();
  const coldItems = randomInteractions(60, 15, 240, 7).toCsr();

  it('gives vectors whose dot product is predict, biases folded in', () => {
    const e = model.exportEmbeddings();
    expect(e.dim).toBe(22);
    expect(e.userVectors).toBeInstanceOf(Float32Array);
    expect(e.itemVectors).toBeInstanceOf(Float32Array);
    expectScores(model, e, range(40), range(70));
    // Users [embedding, bias, 1], items [embedding, 1, bias].
    const items = model.getItemRepresentations();
    const users = model.getUserRepresentations();
    for (let i = 0; i < 70; i++) {
      expect(Array.from(rowOf(e.itemVectors, 22, i))).toEqual([...rowOf(items.embeddings, 20, i), 1, items.biases[i]]);
    }
    for (let u = 0; u < 40; u++) {
      expect(Array.from(rowOf(e.userVectors, 22, u))).toEqual([...rowOf(users.embeddings, 20, u), users.biases[u], 1]);
    }
  });

  it('exports a hybrid model from its features, new users and items included, on any number of threads', () => {
    const options = { userFeatures: coldUsers, itemFeatures: coldItems };
    const e = hybrid.exportEmbeddings(options);
    expectScores(hybrid, e, range(36), range(60), options);
    expect(hybrid.exportEmbeddings({ ...options, numThreads: 2 })).toEqual(e);
  });

  it('exports the rows asked for, in order', () => {
    const options = { userFeatures: coldUsers, itemFeatures: coldItems };
    const full = hybrid.exportEmbeddings(options);
    const [users, items] = [[35, 0, 7, 0], [59, 2, 31]];
    const e = hybrid.exportEmbeddings({ ...options, userIds: users, itemIds: Int32Array.from(items) });
    expect(rowsOf(e.userVectors, e.dim)).toEqual(users.map((u) => Array.from(rowOf(full.userVectors, e.dim, u))));
    expect(rowsOf(e.itemVectors, e.dim)).toEqual(items.map((i) => Array.from(rowOf(full.itemVectors, e.dim, i))));
    expectScores(hybrid, e, users, items, options);
  });

  it('exports one side alone with [] ids, without the other side features', () => {
    const items = hybrid.exportEmbeddings({ userIds: [], itemFeatures });
    expect(items.userVectors.length).toBe(0);
    expect(items.itemVectors).toEqual(hybrid.exportEmbeddings({ userFeatures, itemFeatures }).itemVectors);
    const users = model.exportEmbeddings({ itemIds: [] });
    expect([users.userVectors.length, users.itemVectors.length]).toEqual([40 * 22, 0]);
  });

  it('refuses bad requests with typed errors that say what to do', async () => {
    expect(errorCode(() => new LightFM().exportEmbeddings())).toBe('ERR_NOT_FITTED');

    const missing = thrown(() => hybrid.exportEmbeddings({ userFeatures }));
    expect(missing.code).toBe('ERR_SHAPE');
    expect(missing.message).toMatch(/items were trained on a feature matrix, not the identity: pass that itemFeatures/);
    expect(errorCode(() => hybrid.exportEmbeddings({ userFeatures, itemFeatures: randomInteractions(50, 14, 100, 4).toCsr() }))).toBe('ERR_SHAPE');

    const beyond = thrown(() => model.exportEmbeddings({ itemIds: [3, 70] }));
    expect(beyond.code).toBe('ERR_INDEX_RANGE');
    expect(beyond.message).toMatch(/70/);
    expect(beyond.message).toMatch(/pass itemFeatures for new items/);
    expect(thrown(() => hybrid.exportEmbeddings({ userIds: [30], userFeatures, itemFeatures })).message).toMatch(/rows of userFeatures/);
    expect(errorCode(() => model.exportEmbeddings({ userIds: [-1] }))).toBe('ERR_INDEX_RANGE');
    expect(errorCode(() => model.exportEmbeddings({ userIds: [0.5] }))).toBe('ERR_INVALID_ARG');

    const unknown = thrown(() => model.exportEmbeddings({ users: false } as never));
    expect(unknown.code).toBe('ERR_INVALID_ARG');
    expect(unknown.message).toMatch(/unknown option 'users'; did you mean 'userIds'\?/);
    expect(errorCode(() => model.exportEmbeddings({ numThreads: 0 }))).toBe('ERR_INVALID_ARG');
    expect(errorCode(() => model.exportEmbeddings(null as never))).toBe('ERR_INVALID_ARG');

    const busy = model.fitPartial(train);
    expect(errorCode(() => model.exportEmbeddings())).toBe('ERR_BUSY');
    await busy;
  });
});
