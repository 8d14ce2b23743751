// recommend, similarItems/similarUsers, cold start and resize, against brute-force references
// built on predict and getItemRepresentations.
import { describe, expect, it } from 'vitest';
import { CooMatrix, CsrMatrix, Dataset, LightFM, type TopItems } from '../src/index.js';
import { errorCode as codeOf } from './errors.js';
import { randomInteractions } from './helpers.js';

const random = (rows: number, cols: number, count: number, seed = 7) => randomInteractions(rows, cols, count, seed);

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * Checks row `r` of `top` against every candidate ranked by `predict` (score descending, ties
 * to the lower id). Reported scores are predict's exactly; a position may hold another item
 * only when the two scores agree to float rounding (the selection runs on a matrix product).
 */
function expectBruteForce(top: TopItems, r: number, candidates: number[], score: (items: number[]) => Float32Array): void {
  const s = score(candidates);
  const brute = candidates.map((id, j) => ({ id, score: s[j] as number })).sort((a, b) => b.score - a.score || a.id - b.id);
  const items = Array.from(top.items.subarray(r * top.k, (r + 1) * top.k));
  const scores = Array.from(top.scores.subarray(r * top.k, (r + 1) * top.k));
  items.forEach((id, j) => {
    const want = brute[j];
    if (want === undefined) {
      expect([id, scores[j]]).toEqual([-1, -Infinity]);
      return;
    }
    expect(id).toBeGreaterThanOrEqual(0);
    expect(scores[j]).toBe(score([id])[0]);
    if (id !== want.id) expect(Math.abs((scores[j] as number) - want.score)).toBeLessThan(1e-5);
    if (j > 0 && id >= 0) {
      const [pi, ps] = [items[j - 1] as number, scores[j - 1] as number];
      expect(ps > (scores[j] as number) || (ps === scores[j] && pi < id)).toBe(true);
    }
  });
  expect(new Set(items.filter((i) => i >= 0)).size).toBe(items.filter((i) => i >= 0).length);
}

describe('recommend', async () => {
  const train = random(60, 120, 900);
  const trainCsr = train.toCsr();
  const model = await new LightFM({ loss: 'warp', noComponents: 16, randomState: 3 }).fit(train, { epochs: 5 });

  it('matches a brute-force sort of predict, with exclusions and allow-lists, on 1 and 2 threads', () => {
    const users = range(60);
    const allow = [5, 9, 9, 100, 3, 64, 77, 3, 119, 0, 42];
    const allowed = [...new Set(allow)];
    for (const numThreads of [1, 2]) {
      for (const [k, exclude, items] of [
        [10, undefined, undefined],
        [10, trainCsr, undefined],
        [4, trainCsr, allow],
        [50, train, allow], // k beyond the allow-list: width capped, rows padded
        [500, trainCsr, undefined], // k beyond the catalogue
      ] as const) {
        const top = model.recommend(users, { k, exclude, items, numThreads });
        const universe = items ? allowed : range(120);
        expect(top.k).toBe(Math.min(k, universe.length));
        expect(top.items.length).toBe(users.length * top.k);
        for (const u of users) {
          const seen = new Set(exclude ? trainCsr.row(u).indices : []);
          const candidates = universe.filter((i) => !seen.has(i));
          expectBruteForce(top, u, candidates, (ids) => model.predict(u, ids));
        }
      }
    }
  });

  it('breaks ties toward the lower item id', async () => {
    // 40 items made of 4 distinct feature rows: scores tie ten ways.
    const itemFeatures = CooMatrix.fromTriplets(range(40), range(40).map((i) => i % 4), range(40).map(() => 1), [40, 4]).toCsr();
    const m = await new LightFM({ randomState: 1 }).fit(random(10, 40, 80), { itemFeatures, epochs: 3 });
    const top = m.recommend(range(10), { k: 25, itemFeatures });
    for (const u of range(10)) {
      const row = Array.from(top.items.subarray(u * 25, (u + 1) * 25));
      const scores = m.predict(u, row, { itemFeatures });
      expectBruteForce(top, u, range(40), (ids) => m.predict(u, ids, { itemFeatures }));
      for (let j = 1; j < 25; j++) if (scores[j] === scores[j - 1]) expect(row[j]).toBeGreaterThan(row[j - 1] as number);
    }
  });

  it('takes one user id, and returns rows in the order asked', () => {
    const one = model.recommend(7, { k: 3 });
    const many = model.recommend([2, 7, 2], { k: 3 });
    expect(Array.from(many.items.subarray(3, 6))).toEqual(Array.from(one.items));
    expect(Array.from(many.items.subarray(0, 3))).toEqual(Array.from(many.items.subarray(6, 9)));
    expect(model.recommend([], { k: 3 }).items.length).toBe(0);
  });

  it('scores new users and items from their feature rows (cold start), like predict', async () => {
    const userFeatures = random(30, 12, 90, 1).toCsr();
    const itemFeatures = random(50, 15, 200, 2).toCsr();
    const m = await new LightFM({ loss: 'bpr', randomState: 5 }).fit(random(30, 50, 300, 3), { userFeatures, itemFeatures, epochs: 3 });
    // Five new users and ten new items, known only by their features.
    const uf = random(35, 12, 110, 4).toCsr();
    const itf = random(60, 15, 240, 5).toCsr();
    const users = [30, 31, 32, 33, 34];
    const top = m.recommend(users, { k: 8, userFeatures: uf, itemFeatures: itf });
    users.forEach((u, r) => expectBruteForce(top, r, range(60), (ids) => m.predict(u, ids, { userFeatures: uf, itemFeatures: itf })));
    expect(codeOf(() => m.recommend(30, { userFeatures, itemFeatures }))).toBe('ERR_INDEX_RANGE');
  });

  it('refuses a hybrid model used without the features it was trained with', async () => {
    const userFeatures = random(30, 12, 90, 1).toCsr();
    const itemFeatures = random(50, 15, 200, 2).toCsr();
    const m = await new LightFM({ randomState: 5 }).fit(random(30, 50, 300, 3), { userFeatures, itemFeatures });
    const refusals: [string, () => unknown][] = [
      ['recommend', () => m.recommend(0, { userFeatures })],
      ['predict', () => m.predict(0, [1, 2], { userFeatures })],
      ['predictRank', () => m.predictRank(random(30, 50, 40, 9), { userFeatures })],
      ['similarItems', () => m.similarItems(0)],
      ['similarUsers', () => m.similarUsers(0)],
      ['exportEmbeddings', () => m.exportEmbeddings({ userFeatures })],
    ];
    for (const [name, call] of refusals) {
      expect(() => call(), name).toThrow(expect.objectContaining({ code: 'ERR_SHAPE', message: expect.stringMatching(/Features \(this model's (item|user)s were trained on a feature matrix, not the identity: pass that/) }));
    }
    // Other columns cannot be the trained features; more rows (new items) can.
    expect(codeOf(() => m.recommend(0, { userFeatures, itemFeatures: random(50, 14, 100, 4).toCsr() }))).toBe('ERR_SHAPE');
    expect(m.recommend(0, { userFeatures, itemFeatures: random(70, 15, 300, 4).toCsr() }).items.length).toBe(10);
    await expect(m.fitPartial(random(30, 50, 300, 3), { userFeatures })).rejects.toMatchObject({ code: 'ERR_SHAPE' });
    // The feature embeddings themselves stay readable, and the rule survives a save.
    expect(m.getItemRepresentations().rows).toBe(15);
    expect(codeOf(() => LightFM.fromBuffer(m.toBuffer()).recommend(0, { userFeatures }))).toBe('ERR_SHAPE');
  });

  it('rejects bad arguments with clear codes', async () => {
    expect(codeOf(() => new LightFM().recommend(0))).toBe('ERR_NOT_FITTED');
    expect(codeOf(() => model.recommend(60))).toBe('ERR_INDEX_RANGE');
    expect(codeOf(() => model.recommend(-1))).toBe('ERR_INDEX_RANGE');
    expect(codeOf(() => model.recommend(0, { k: 0 }))).toBe('ERR_INVALID_ARG');
    expect(codeOf(() => model.recommend(0, { k: 2.5 }))).toBe('ERR_INVALID_ARG');
    expect(codeOf(() => model.recommend(0, { numThreads: 0 }))).toBe('ERR_INVALID_ARG');
    expect(codeOf(() => model.recommend(0, { items: [120] }))).toBe('ERR_INDEX_RANGE');
    expect(codeOf(() => model.recommend(0, { exclude: CsrMatrix.identity(121) }))).toBe('ERR_SHAPE');
    expect(codeOf(() => model.recommend(5, { exclude: random(3, 120, 5).toCsr() }))).toBe('ERR_INDEX_RANGE');
    expect(codeOf(() => model.recommend(0, null as never))).toBe('ERR_INVALID_ARG');
    const busy = model.fitPartial(train, { epochs: 2 });
    expect(codeOf(() => model.recommend(0))).toBe('ERR_BUSY');
    await busy;
  });
});

describe('similarItems / similarUsers', async () => {
  const model = await new LightFM({ loss: 'warp', noComponents: 12, randomState: 9 }).fit(random(50, 80, 600), { epochs: 5 });

  function cosineRanking(emb: Float32Array, d: number, n: number, q: number): { id: number; score: number }[] {
    const row = (i: number) => emb.subarray(i * d, (i + 1) * d);
    const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, j) => s + x * (b[j] as number), 0) / (norm(a) * norm(b));
    return range(n)
      .filter((i) => i !== q)
      .map((id) => ({ id, score: cos(row(q), row(id)) }))
      .sort((a, b) => b.score - a.score || a.id - b.id);
  }

  it('ranks by cosine of embeddings, never returns the query, caps k', () => {
    const items = model.getItemRepresentations();
    const top = model.similarItems([0, 17, 79], { k: 6 });
    expect(top.k).toBe(6);
    [0, 17, 79].forEach((q, r) => {
      const brute = cosineRanking(items.embeddings, items.cols, 80, q);
      const row = Array.from(top.items.subarray(r * 6, (r + 1) * 6));
      expect(row).not.toContain(q);
      row.forEach((_, j) => expect(top.scores[r * 6 + j]).toBeCloseTo((brute[j] as { score: number }).score, 5));
    });
    const users = model.similarUsers(4, { k: 1000, numThreads: 2 });
    expect(users.k).toBe(49);
    expect(Array.from(users.users)).not.toContain(4);
    expect(codeOf(() => model.similarItems(80))).toBe('ERR_INDEX_RANGE');
    expect(codeOf(() => model.similarUsers(0, { k: -1 }))).toBe('ERR_INVALID_ARG');
  });
});

describe('resize', () => {
  it('keeps every learned prediction and lets fitPartial train new users and items', async () => {
    const model = await new LightFM({ loss: 'warp', randomState: 4 }).fit(random(40, 60, 400), { epochs: 3 });
    const users = range(40).flatMap((u) => range(60).map(() => u));
    const items = range(40).flatMap(() => range(60));
    const before = model.predict(users, items);
    model.resize({ userFeatures: 45, itemFeatures: 70 });
    expect(model.predict(users, items)).toEqual(before);
    expect(model.getState('user').rows).toBe(45);
    expect(model.getState('item').rows).toBe(70);
    await model.fitPartial(random(45, 70, 500, 11), { epochs: 2 });
    expect(model.recommend(44, { k: 3 }).items.every((i) => i >= 0 && i < 70)).toBe(true);
    expect(codeOf(() => model.resize({ userFeatures: 44 }))).toBe('ERR_INVALID_ARG');
    expect(codeOf(() => model.resize({ itemFeatures: 1.5 }))).toBe('ERR_INVALID_ARG');
    expect(codeOf(() => new LightFM().resize({ userFeatures: 3 }))).toBe('ERR_NOT_FITTED');
  });

  it('grows a Dataset-built model with new users, items and features (fitPartial + resize)', async () => {
    const dataset = new Dataset().fit(['ann', 'bob', 'cid'], ['a', 'b', 'c', 'd'], { itemFeatures: ['red', 'blue'] });
    const first = dataset.buildInteractions([['ann', 'a'], ['bob', 'b'], ['cid', 'c'], ['ann', 'd']]);
    const colour: Record<string, string> = { a: 'red', b: 'blue', c: 'red', d: 'blue', e: 'green' };
    const features = (ds: Dataset) => ds.buildItemFeatures(ds.itemIds().map((id) => [id, [colour[id] as string]] as const));
    const model = await new LightFM({ loss: 'bpr', randomState: 2 }).fit(first.interactions, { itemFeatures: features(dataset), epochs: 5 });
    const before = model.predict(0, [0, 1, 2, 3], { itemFeatures: features(dataset) });

    dataset.fitPartial(['dee'], ['e'], { itemFeatures: ['green'] });
    const [userFeatures, itemFeatures] = dataset.modelDimensions();
    model.resize({ userFeatures, itemFeatures });
    const grown = features(dataset);
    // Old items keep their scores exactly (their feature rows only gained zero columns).
    expect(model.predict(0, [0, 1, 2, 3], { itemFeatures: grown })).toEqual(before);
    const next = dataset.buildInteractions([['dee', 'e'], ['dee', 'a'], ['ann', 'e']]);
    await model.fitPartial(next.interactions, { itemFeatures: grown, epochs: 3 });
    const top = model.recommend(dataset.userIndex('dee'), { k: 5, itemFeatures: grown });
    expect(top.k).toBe(5);
    expect(Array.from(top.items).sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
