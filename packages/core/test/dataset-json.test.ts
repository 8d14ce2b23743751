import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Dataset, type DatasetJSON, LightFM } from '../src/index.js';
import { thrown } from './errors.js';

/**
 * Mixed id types (`1` and `'1'` are two users), numeric and string feature names, identity
 * columns on one side only, and users added after features (their identity columns come after
 * the feature columns).
 */
function mixed(): Dataset {
  return new Dataset({ itemIdentityFeatures: false })
    .fit([1, '1', 'alice', 42.5, 0], ['i1', 7, 'i3'], { userFeatures: ['age:30s', 3], itemFeatures: ['genre:drama', 12] })
    .fitPartial(['bob', 2 ** 40], ['i4'], { userFeatures: ['country:NO'], itemFeatures: ['genre:crime'] })
    .fitPartial([-3]);
}

const data = {
  interactions: [
    [1, 'i1', 5],
    ['1', 7, 1],
    ['alice', 'i3', 2],
    [2 ** 40, 'i4', 0.5],
    [-3, 'i1', 3],
    [1, 'i1', 1],
  ] as const,
  users: [
    [1, ['age:30s']],
    ['alice', new Map<string | number, number>([[3, 2], ['country:NO', 1]])],
    [-3, { 'age:30s': 0.5 }],
  ] as const,
  items: [
    ['i1', ['genre:drama', 12]],
    [7, ['genre:crime']],
    ['i4', { 'genre:drama': 1 }],
  ] as const,
};

/** Everything a dataset maps and builds, for comparing two. */
function everything(d: Dataset) {
  const m = d.mapping();
  return {
    userIds: d.userIds(),
    itemIds: d.itemIds(),
    maps: Object.fromEntries(Object.entries(m).map(([name, map]) => [name, [...map.entries()]])),
    shapes: [d.interactionsShape(), d.userFeaturesShape(), d.itemFeaturesShape(), d.modelDimensions()],
    interactions: d.buildInteractions(data.interactions),
    userFeatures: d.buildUserFeatures(data.users),
    itemFeatures: d.buildItemFeatures(data.items, false),
  };
}

describe('Dataset.toJSON / Dataset.fromJSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lightfm-dataset-json-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trip through JSON.stringify and JSON.parse exactly: types, order, columns and built matrices', () => {
    const original = mixed();
    const json = JSON.parse(JSON.stringify(original)) as DatasetJSON;
    expect(json).toEqual(original.toJSON());
    expect(json.users.ids).toEqual([1, '1', 'alice', 42.5, 0, 'bob', 2 ** 40, -3]);
    const copy = Dataset.fromJSON(json);
    expect(everything(copy)).toEqual(everything(original));
    expect(copy.toJSON()).toEqual(original.toJSON());
    // The identity columns of users added after features come after those features.
    expect(copy.mapping().userIdentityMap.get('bob')).toBe(7);
    expect(copy.mapping().userFeatureMap.get('country:NO')).toBe(9);
    expect(copy.mapping().itemIdentityMap.size).toBe(0);
  });

  it('reads its JSON text too, and an empty dataset', () => {
    expect(everything(Dataset.fromJSON(JSON.stringify(mixed())))).toEqual(everything(mixed()));
    const empty = new Dataset({ userIdentityFeatures: false });
    expect(Dataset.fromJSON(empty.toJSON()).toJSON()).toEqual(empty.toJSON());
  });

  it('a restored dataset grows exactly as the original does', () => {
    const original = mixed();
    const copy = Dataset.fromJSON(original.toJSON());
    for (const d of [original, copy]) d.fitPartial(['carol', 1], ['i5'], { userFeatures: ['new'], itemFeatures: [12, 'genre:comedy'] });
    expect(everything(copy)).toEqual(everything(original));
  });

  it('is what a saved model carries to the server: save with mappings, load, serve by ids', async () => {
    const dataset = mixed();
    const { interactions } = dataset.buildInteractions(data.interactions);
    const userFeatures = dataset.buildUserFeatures(data.users);
    const itemFeatures = dataset.buildItemFeatures(data.items, false);
    const model = await new LightFM({ loss: 'warp', randomState: 1 }).fit(interactions, { userFeatures, itemFeatures, epochs: 3 });
    model.mappings = dataset.toJSON();
    await model.save(join(dir, 'model.lightfm'));

    const loaded = await LightFM.load(join(dir, 'model.lightfm'));
    const served = Dataset.fromJSON(loaded.mappings);
    const user = served.userIndex('alice');
    const features = { userFeatures: served.buildUserFeatures(data.users), itemFeatures: served.buildItemFeatures(data.items, false) };
    expect(loaded.recommend(user, { k: 2, ...features })).toEqual(model.recommend(dataset.userIndex('alice'), { k: 2, userFeatures, itemFeatures }));
  });

  it('refuses what is not a dataset JSON with ERR_INVALID_ARG', () => {
    for (const bad of [undefined, null, 42, [], { users: [], items: [] }, { format: 'other' }]) {
      const e = thrown(() => Dataset.fromJSON(bad));
      expect(e.code).toBe('ERR_INVALID_ARG');
      expect(e.message).toContain("format 'lightfm-ts/dataset'");
    }
  });

  it('names the path of a bad field with ERR_CORRUPT_FILE', () => {
    const cases: [string, (j: Record<string, any>) => void, RegExp][] = [
      ['a null id', (j) => (j.users.ids[2] = null), /json\.users\.ids\[2\] must be a string or a finite number, got null/],
      ['a duplicate id', (j) => j.items.ids.push('i1'), /json\.items\.ids holds "i1" \(a string\) twice/],
      ['a duplicate feature name', (j) => (j.users.featureNames[1] = 'age:30s'), /json\.users\.featureNames holds "age:30s" \(a string\) twice/],
      ['columns out of order', (j) => j.users.featureColumns.reverse(), /json\.users\.featureColumns\[0\] must be an integer in \[0, /],
      ['a column beyond the last', (j) => (j.users.featureColumns[2] = 99), /json\.users\.featureColumns\[2\] must be an integer/],
      ['a gap without identity columns', (j) => (j.items.featureColumns[1] = 2), /json\.items\.featureColumns\[1\] must be an integer in \[1, 1\]/],
      ['one column fewer than names', (j) => j.items.featureColumns.pop(), /json\.items\.featureColumns must be an array of 3 columns/],
      ['a missing side', (j) => delete j.items, /json\.items is missing/],
      ['a missing field', (j) => delete j.users.ids, /json\.users\.ids is missing/],
      ['a non-boolean flag', (j) => (j.users.identityFeatures = 'yes'), /json\.users\.identityFeatures must be a boolean/],
      ['a bad version', (j) => (j.version = 0), /json\.version must be a positive integer/],
      ['a newer version', (j) => (j.version = 2), /saved by a newer lightfm-ts \(version 2; this one reads up to 1\)/],
    ];
    for (const [what, damage, message] of cases) {
      const json = JSON.parse(JSON.stringify(mixed())) as Record<string, any>;
      damage(json);
      const e = thrown(() => Dataset.fromJSON(json));
      expect(e.code, what).toBe('ERR_CORRUPT_FILE');
      expect(e.message, what).toMatch(message);
    }
    expect(thrown(() => Dataset.fromJSON('{"format": "lightfm-ts/dat')).code).toBe('ERR_CORRUPT_FILE');
  });

  it('toJSON refuses an id JSON cannot store', () => {
    const e = thrown(() => new Dataset().fit([Infinity], []).toJSON());
    expect(e.code).toBe('ERR_INVALID_ARG');
    expect(e.message).toContain('user id Infinity (a number) cannot be stored as JSON');
  });
});
