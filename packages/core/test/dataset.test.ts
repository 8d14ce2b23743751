import { describe, expect, it } from 'vitest';
import { CooMatrix, Dataset, LightFM, LightFMError, type Interaction } from '../src/index.js';
import { thrown } from './errors.js';

const range = (n: number, f: (i: number) => string | number = (i) => i) => Array.from({ length: n }, (_, i) => f(i));

function rowSums(m: { shape: [number, number]; indptr: Int32Array; data: Float32Array }): number[] {
  return range(m.shape[0], (r) => {
    let s = 0;
    for (let k = m.indptr[r] as number; k < (m.indptr[r + 1] as number); k++) s += m.data[k] as number;
    return s;
  }) as number[];
}

// LightFM tests/test_data.py, ported (lightfm-behaviour.md §12.3).
describe('Dataset: LightFM test_data cases', () => {
  const users = 10;
  const items = 100;

  it('test_fitting: shapes, empty interactions, identity features', () => {
    const dataset = new Dataset().fit(range(users), range(items));
    expect(dataset.interactionsShape()).toEqual([users, items]);
    expect(dataset.userFeaturesShape()).toEqual([users, users]);
    expect(dataset.itemFeaturesShape()).toEqual([items, items]);
    expect(dataset.modelDimensions()).toEqual([users, items]);
    const { interactions, weights } = dataset.buildInteractions([]);
    expect(interactions.shape).toEqual([users, items]);
    expect(weights.shape).toEqual([users, items]);
    expect(dataset.buildUserFeatures([]).nnz).toBe(users);
    expect(dataset.buildItemFeatures([]).nnz).toBe(items);
  });

  it('test_fitting_no_identity: no feature columns, empty matrices', () => {
    const dataset = new Dataset({ userIdentityFeatures: false, itemIdentityFeatures: false }).fit(range(users), range(items));
    expect(dataset.interactionsShape()).toEqual([users, items]);
    expect(dataset.userFeaturesShape()).toEqual([users, 0]);
    expect(dataset.itemFeaturesShape()).toEqual([items, 0]);
    expect(dataset.buildUserFeatures([], false).nnz).toBe(0);
    expect(dataset.buildItemFeatures([], false).nnz).toBe(0);
  });

  it('test_exceptions: unknown ids throw until fitPartial adds them', () => {
    const dataset = new Dataset().fit(range(users), range(items));
    const err = thrown(() => dataset.buildInteractions([[users + 1, 0]]));
    expect(err.code).toBe('ERR_INVALID_ARG');
    expect(err.message).toContain('user id 11 (a number)');
    expect(err.message).toMatch(/fitPartial/);
    expect(() => dataset.buildInteractions([[0, items + 1]])).toThrow(/item id 101 \(a number\) is not in the dataset/);
    dataset.fitPartial([users + 1], [items + 1]);
    expect(dataset.buildInteractions([[users + 1, items + 1]]).interactions.nnz).toBe(1);
  });

  it('test_build_features: lists, weights, normalisation', () => {
    const dataset = new Dataset({ userIdentityFeatures: false, itemIdentityFeatures: false }).fit(range(users), range(items), {
      userFeatures: range(users, (x) => `user:${x}`),
      itemFeatures: range(items, (x) => `item:${x}`),
    });
    const uf = dataset.buildUserFeatures(range(users).map((u) => [u, range(users, (x) => `user:${x}`)] as const));
    expect(uf.nnz).toBe(users * users);
    const itf = dataset.buildItemFeatures(range(items).map((i) => [i, range(items, (x) => `item:${x}`)] as const));
    expect(itf.nnz).toBe(items * items);

    const weighted = (n: number, prefix: string): Record<string, number> =>
      Object.fromEntries(Array.from({ length: n }, (_, x) => [`${prefix}:${x}`, x]));
    const raw = dataset.buildUserFeatures(range(users).map((u) => [u, weighted(users, 'user')] as const), false);
    for (const row of raw.toDense()) expect(Array.from(row)).toEqual(range(users));

    const normalised = dataset.buildItemFeatures(range(items).map((i) => [i, weighted(items, 'item')] as const));
    for (const s of rowSums(normalised)) expect(Math.abs(s - 1)).toBeLessThan(1e-6);
  });
});

describe('Dataset: mapping rules', () => {
  it('fit returns the dataset, so calls chain', () => {
    const dataset = new Dataset();
    expect(dataset.fit(['a'], ['x'])).toBe(dataset);
    expect(dataset.fitPartial(['b'])).toBe(dataset);
  });

  it('identity keys never collide with feature names (LightFM merges them)', () => {
    const dataset = new Dataset().fit(['a', 'b'], ['x'], { userFeatures: ['a', 'c'] });
    const { userIdMap, userFeatureMap, userIdentityMap } = dataset.mapping();
    expect([...userIdMap]).toEqual([['a', 0], ['b', 1]]);
    expect([...userIdentityMap]).toEqual([['a', 0], ['b', 1]]);
    expect([...userFeatureMap]).toEqual([['a', 2], ['c', 3]]);
    expect(dataset.modelDimensions()).toEqual([4, 1]);
    const m = dataset.buildUserFeatures([['a', ['a']]], false);
    expect(Array.from(m.toDense()[0] as Float64Array)).toEqual([1, 0, 1, 0]);
  });

  it("follows LightFM's column order: a later user's identity comes after existing features", () => {
    const dataset = new Dataset().fit(['u1'], ['i1'], { userFeatures: ['f'], itemFeatures: ['g'] });
    dataset.fitPartial(['u2'], ['i2']);
    const { userIdentityMap, itemIdentityMap, userFeatureMap } = dataset.mapping();
    expect(userIdentityMap.get('u2')).toBe(2);
    expect(userFeatureMap.get('f')).toBe(1);
    expect(itemIdentityMap.get('i2')).toBe(2);
    expect(dataset.modelDimensions()).toEqual([3, 3]);
    // Known ids keep their indices.
    dataset.fitPartial(['u1', 'u2', 'u3']);
    expect(dataset.userIds()).toEqual(['u1', 'u2', 'u3']);
    expect(dataset.userIndex('u3')).toBe(2);
  });

  it('numbers and strings are different ids, and the error says so', () => {
    const dataset = new Dataset().fit([1, '1'], [2]);
    expect(dataset.interactionsShape()).toEqual([2, 1]);
    const { interactions } = dataset.buildInteractions([[1, 2], ['1', 2], ['1', 2], [1, 2]]);
    expect(Array.from(interactions.row)).toEqual([0, 1, 1, 0]);
    const columns = dataset.buildInteractions({ users: [1, '1', '1', 1], items: [2, 2, 2, 2] }).interactions;
    expect(Array.from(columns.row)).toEqual([0, 1, 1, 0]);
    const fresh = new Dataset().fit([1], ['2']);
    const err = thrown(() => fresh.buildInteractions([['1', '2']]));
    expect(err.message).toContain('user id "1" (a string)');
    expect(err.message).toContain('1 (a number) is mapped');
    expect(() => fresh.itemIndex(2)).toThrow(/"2" \(a string\) is mapped/);
  });

  it('fit starts over; mapping views are read-only and follow later fits', () => {
    const dataset = new Dataset().fit(['a', 'b'], ['x']);
    const view = dataset.mapping();
    expect('set' in view.userIdMap).toBe(false);
    dataset.fitPartial(['c']);
    expect(view.userIdMap.size).toBe(3);
    dataset.fit(['z'], ['y']);
    expect([...view.userIdMap.keys()]).toEqual(['z']);
    expect(view.itemIdMap.get('x')).toBeUndefined();
    expect(dataset.itemIds()).toEqual(['y']);
    const seen: [unknown, unknown][] = [];
    view.itemIdentityMap.forEach((v, k) => seen.push([k, v]));
    expect(seen).toEqual([['y', 0]]);
  });

  it('identity maps are empty when identity features are off', () => {
    const dataset = new Dataset({ itemIdentityFeatures: false }).fit(['a'], ['x']);
    expect(dataset.mapping().itemIdentityMap.size).toBe(0);
    expect(dataset.mapping().userIdentityMap.get('a')).toBe(0);
  });

  it('a failing fit or fitPartial leaves the mapping unchanged', () => {
    const dataset = new Dataset().fit(['a'], ['x'], { userFeatures: ['f'] });
    expect(() => dataset.fit(['b'], [{}] as never)).toThrow(/item ids must be strings or numbers/);
    expect(dataset.userIds()).toEqual(['a']);
    expect(() => dataset.fitPartial(['b', 'c'], ['y'], { itemFeatures: [NaN] })).toThrow(LightFMError);
    expect(dataset.userIds()).toEqual(['a']);
    expect(dataset.itemIds()).toEqual(['x']);
    expect(dataset.modelDimensions()).toEqual([2, 1]);
    dataset.fitPartial(['b']);
    expect(dataset.mapping().userIdentityMap.get('b')).toBe(2);
  });

  it('rejects arguments that are not iterables of ids', () => {
    expect(() => new Dataset().fit('abc' as never, [])).toThrow(/users must be an iterable/);
    expect(() => new Dataset().fit([], 5 as never)).toThrow(/items must be an iterable/);
    expect(() => new Dataset({ userIdentityFeatures: 'yes' as never })).toThrow(/userIdentityFeatures must be a boolean/);
    expect(thrown(() => new Dataset().fit([null as never], [])).code).toBe('ERR_INVALID_ARG');
  });
});

describe('Dataset.buildInteractions', () => {
  const dataset = new Dataset().fit(['u1', 'u2'], ['i1', 'i2', 'i3']);

  it('keeps duplicates as separate entries, identically in both matrices', () => {
    const { interactions, weights } = dataset.buildInteractions([
      ['u1', 'i1'],
      ['u2', 'i3', 2.5],
      ['u1', 'i1', 3],
    ]);
    expect(Array.from(interactions.row)).toEqual([0, 1, 0]);
    expect(Array.from(interactions.col)).toEqual([0, 2, 0]);
    expect(Array.from(interactions.data)).toEqual([1, 1, 1]);
    expect(Array.from(weights.data)).toEqual([1, 2.5, 3]);
    expect(weights.row).toBe(interactions.row);
    expect(weights.col).toBe(interactions.col);
    // Densified, duplicates sum (LightFM: interaction 2, weight 1 + 3 = 4).
    expect(interactions.toDense()[0]?.[0]).toBe(2);
    expect(weights.toDense()[0]?.[0]).toBe(4);
  });

  it('accepts generators and columns with the same result', () => {
    const tuples: Interaction[] = [['u2', 'i1', 0.5], ['u1', 'i3', 2], ['u2', 'i2', 1]];
    function* gen() {
      yield* tuples;
    }
    const a = dataset.buildInteractions(tuples);
    const b = dataset.buildInteractions(gen());
    const c = dataset.buildInteractions({ users: ['u2', 'u1', 'u2'], items: ['i1', 'i3', 'i2'], weights: new Float32Array([0.5, 2, 1]) });
    for (const x of [b, c]) {
      expect(Array.from(x.weights.row)).toEqual(Array.from(a.weights.row));
      expect(Array.from(x.weights.col)).toEqual(Array.from(a.weights.col));
      expect(Array.from(x.weights.data)).toEqual(Array.from(a.weights.data));
    }
    expect(Array.from(dataset.buildInteractions({ users: ['u1'], items: ['i2'] }).weights.data)).toEqual([1]);
  });

  it('round-trips: rows and columns map back to the input ids through userIds() / itemIds()', () => {
    const ds = new Dataset().fit(['b', 7, 'a'], [3, 'z']);
    const input: Interaction[] = [['a', 'z', 2], ['a', 3, 4], [7, 3, 1], ['b', 'z', 0.25], ['a', 3, 1]];
    const { weights } = ds.buildInteractions(input);
    const users = ds.userIds();
    const items = ds.itemIds();
    const back = Array.from(weights.data, (w, k) => [users[weights.row[k] as number], items[weights.col[k] as number], w]);
    expect(back).toEqual(input);
  });

  it('reports malformed input clearly', () => {
    expect(() => dataset.buildInteractions([['u1']] as never)).toThrow(/expected \[userId, itemId\] or \[userId, itemId, weight\], got \["u1"\]/);
    expect(() => dataset.buildInteractions([['u1', 'i1', 'heavy']] as never)).toThrow(/weight of \["u1","i1","heavy"\] must be a number/);
    expect(thrown(() => dataset.buildInteractions([['u1', 'i1', NaN]])).code).toBe('ERR_NOT_FINITE');
    expect(() => dataset.buildInteractions({ users: ['u1'], items: [] })).toThrow(/equal lengths/);
    expect(() => dataset.buildInteractions(42 as never)).toThrow(/data must be an iterable/);
  });

  it('trains a model whose dimensions match modelDimensions()', () => {
    const ds = new Dataset().fit(['a', 'b', 'c'], ['x', 'y'], { userFeatures: ['young'], itemFeatures: ['red', 'blue'] });
    const { interactions, weights } = ds.buildInteractions([['a', 'x'], ['b', 'y', 2], ['c', 'x']]);
    const userFeatures = ds.buildUserFeatures([['a', ['young']]]);
    const itemFeatures = ds.buildItemFeatures([['x', ['red']], ['y', { red: 1, blue: 3 }]]);
    expect(userFeatures.shape).toEqual([3, ds.modelDimensions()[0]]);
    expect(itemFeatures.shape).toEqual([2, ds.modelDimensions()[1]]);
    const model = new LightFM({ loss: 'warp', randomState: 1 }).fitSync(interactions, { userFeatures, itemFeatures, sampleWeight: weights, epochs: 2 });
    expect(model.getItemRepresentations().rows).toBe(ds.modelDimensions()[1]);
    const scores = model.predict(ds.userIndex('a'), [ds.itemIndex('x'), ds.itemIndex('y')], { userFeatures, itemFeatures });
    expect(scores.every(Number.isFinite)).toBe(true);
  });
});

describe('Dataset.buildUserFeatures / buildItemFeatures', () => {
  const dataset = new Dataset().fit(['u1', 'u2'], [1, 2], { userFeatures: ['a', 'b'], itemFeatures: [10, 'ten'] });

  it('gives identity plus one feature 0.5 / 0.5 when normalised', () => {
    const m = dataset.buildUserFeatures([['u1', ['a']]]);
    expect(Array.from(m.toDense()[0] as Float64Array)).toEqual([0.5, 0, 0.5, 0]);
    expect(Array.from(m.toDense()[1] as Float64Array)).toEqual([0, 1, 0, 0]);
  });

  it('takes weights from a Map (any id type) or an object (string keys), and sums repeats', () => {
    const m = dataset.buildItemFeatures(
      [
        [1, new Map<string | number, number>([[10, 2], ['ten', 4]])],
        [2, { ten: 3 }],
        [2, { ten: 1 }],
      ],
      false,
    );
    expect(m.toDense().map((r) => Array.from(r))).toEqual([
      [1, 0, 2, 4],
      [0, 1, 0, 4],
    ]);
  });

  it('l1-normalises with absolute values', () => {
    const m = dataset.buildUserFeatures([['u2', { a: -1, b: 2 }]]);
    expect(Array.from(m.row(1).data)).toEqual([0.25, -0.25, 0.5]);
  });

  it('refuses to normalise a row with no features', () => {
    const bare = new Dataset({ userIdentityFeatures: false }).fit(['u1', 'u2'], [], { userFeatures: ['a'] });
    const err = thrown(() => bare.buildUserFeatures([['u1', ['a']]]));
    expect(err.code).toBe('ERR_INVALID_ARG');
    expect(err.message).toContain('user "u2" (a string) (row 1) has no features');
    expect(() => bare.buildUserFeatures([['u1', ['a']], ['u2', { a: 0 }]])).toThrow(/only zero weights/);
    expect(bare.buildUserFeatures([['u1', ['a']]], false).nnz).toBe(1);
  });

  it('names unknown ids and features', () => {
    expect(() => dataset.buildUserFeatures([['nobody', ['a']]])).toThrow(/user id "nobody" \(a string\) is not in the dataset/);
    expect(() => dataset.buildUserFeatures([['u1', ['zzz']]])).toThrow(/user feature "zzz" \(a string\) is not in the dataset.*userFeatures/);
    expect(() => dataset.buildItemFeatures([[1, { 10: 1 }]])).toThrow(/item feature "10" \(a string\).*10 \(a number\) is mapped/);
    expect(() => dataset.buildItemFeatures([[1, ['ten'], 'extra']] as never)).toThrow(/expected \[itemId, features\]/);
    expect(() => dataset.buildItemFeatures([[1, 'ten']] as never)).toThrow(/features must be an array of names/);
    expect(() => dataset.buildItemFeatures([[1, { ten: '1' }]] as never)).toThrow(/weight of feature "ten" \(a string\) must be a number/);
    expect(() => dataset.buildItemFeatures([], 'yes' as never)).toThrow(/normalize must be a boolean/);
  });

  it('does not modify what it is given', () => {
    const weights = new Map([['a', 2]]);
    const rows = [['u1', weights]] as const;
    dataset.buildUserFeatures(rows);
    expect([...weights]).toEqual([['a', 2]]);
    expect(CooMatrix).toBeDefined();
  });
});

describe('KeyIndex (the id hash map)', () => {
  it('keeps dense integer ids, big ids, fractions and strings apart and in order', async () => {
    const { KeyIndex } = await import('../src/dataset/key-index.js');
    const index = new KeyIndex();
    const keys = [3, 2 ** 40, '3', 1.5, -1, 0, 70_000, 'x', 5_000_000];
    keys.forEach((k, i) => expect(index.add(k, i * 10)).toBe(true));
    keys.forEach((k, i) => expect(index.get(k)).toBe(i * 10));
    expect(index.add(3, 99)).toBe(false);
    expect(index.get(4)).toBeUndefined();
    expect(index.get('0')).toBeUndefined();
    expect([...index.entries()].map(([k]) => k)).toEqual(keys);
    index.truncate(4);
    expect(index.size).toBe(4);
    for (const k of [-1, 0, 70_000, 'x', 5_000_000]) expect(index.get(k)).toBeUndefined();
    expect(index.get(2 ** 40)).toBe(10);
    expect(index.add(0, 7)).toBe(true);
    expect(index.get(0)).toBe(7);
  });

  it('treats every string as a plain key (no prototype, no array-index surprises)', async () => {
    const { KeyIndex } = await import('../src/dataset/key-index.js');
    const index = new KeyIndex();
    const keys = ['__proto__', 'constructor', 'toString', '', '0', '00', '4294967295', '1e3', 'x'];
    keys.forEach((k, i) => expect(index.add(k, i)).toBe(true));
    keys.forEach((k, i) => expect(index.get(k)).toBe(i));
    expect(index.get('hasOwnProperty')).toBeUndefined();
    expect(index.get(0)).toBeUndefined();
    expect(index.get('1000')).toBeUndefined();
    index.truncate(1);
    expect(index.get('constructor')).toBeUndefined();
    expect(index.get('__proto__')).toBe(0);
    expect(index.size).toBe(1);
  });

  it('indexes keys appended in bulk on the first lookup, and truncates them before or after', async () => {
    const { KeyIndex } = await import('../src/dataset/key-index.js');
    const index = new KeyIndex();
    index.add('a', 0);
    index.appendPositions(['b', 7, 'c', 2 ** 40]);
    expect(index.size).toBe(5);
    expect(index.keyAt(4)).toBe(2 ** 40);
    // Truncating pending keys forgets them without ever indexing them.
    index.truncate(3);
    expect([...index.entries()]).toEqual([['a', 0], ['b', 1], [7, 2]]);
    expect(index.get('c')).toBeUndefined();
    index.appendPositions(['d']);
    expect(index.add('d', 9)).toBe(false);
    expect(index.get('d')).toBe(3);
    expect(index.add('e', 4)).toBe(true);
    index.truncate(1);
    for (const k of ['b', 7, 'd', 'e']) expect(index.get(k)).toBeUndefined();
    expect(index.get('a')).toBe(0);
  });
});

describe('docs/dataset.md', () => {
  it('runs the opening example', async () => {
    const { randomTrainTestSplit } = await import('../src/index.js');
    const dataset = new Dataset().fit(['alice', 'bob', 'carol'], ['matrix', 'heat', 'amelie'], {
      itemFeatures: ['genre:action', 'genre:romance'],
    });
    const { interactions, weights } = dataset.buildInteractions([
      ['alice', 'matrix', 5],
      ['bob', 'heat'],
      ['carol', 'amelie', 4],
    ]);
    const itemFeatures = dataset.buildItemFeatures([
      ['matrix', ['genre:action']],
      ['amelie', { 'genre:romance': 1 }],
    ]);
    const [train, , trainWeights] = randomTrainTestSplit(interactions, { randomState: 42, weights });
    const model = await new LightFM({ loss: 'warp' }).fit(train, { itemFeatures, sampleWeight: trainWeights });
    const scores = model.predict(dataset.userIndex('alice'), [0, 1, 2], { itemFeatures });
    expect(scores).toHaveLength(3);
  });
});
