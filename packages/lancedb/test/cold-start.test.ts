// A hybrid model's items, new ones included, written from their feature rows; and a replica
// that checks for new versions sees another writer's overwrite.
import { describe, expect, it } from 'vitest';
import { CooMatrix, LightFM } from '@lightfm-ts/core';
import { LanceItems, writeItems } from '../src/index.js';
import { tempStore } from './fixtures.js';

/** `n` items described by 15 features: item `i` has `i % 3`, `3 + i % 5` and `8 + i % 7` (distinct below 105). */
function features(n: number) {
  const rows = Array.from({ length: 3 * n }, (_, e) => Math.floor(e / 3));
  const cols = rows.map((i, e) => [i % 3, 3 + (i % 5), 8 + (i % 7)][e % 3] as number);
  return CooMatrix.fromTriplets(rows, cols, rows.map(() => 0.5), [n, 15]).toCsr();
}

const uri = tempStore();
// 40 trained items and 2 new ones (rows 40 and 41 of the features).
const itemFeatures = features(42);
const interactions = CooMatrix.fromTriplets(
  Array.from({ length: 200 }, (_, e) => e % 20),
  Array.from({ length: 200 }, (_, e) => (e * 7) % 40),
  Array.from({ length: 200 }, () => 1),
  [20, 40],
);
const model = new LightFM({ loss: 'warp', noComponents: 6, randomState: 3 }).fitSync(interactions, { itemFeatures: features(40), epochs: 5 });

describe('writeItems with item features', () => {
  it('writes new items from their feature rows and recommends them as core does', async () => {
    await writeItems(model, { uri, itemFeatures });
    const store = await LanceItems.open(model, { uri });
    expect(store.rows).toBe(42);
    const exact = model.recommend([0, 5, 19], { k: 8, itemFeatures });
    const top = await store.recommend([0, 5, 19], { k: 8 });
    expect(top.items).toEqual(Array.from(exact.items));
    store.close();
  });

  it('shows another writer’s overwrite to a store opened with readConsistencyInterval 0', async () => {
    await writeItems(model, { uri, table: 'live', itemFeatures });
    const store = await LanceItems.open(model, { uri, table: 'live', readConsistencyInterval: 0 });
    await writeItems(model, { uri, table: 'live', itemFeatures, rows: [40, 41] });
    const top = await store.recommend(0, { k: 5 });
    expect(new Set(top.items.filter((id) => id !== null))).toEqual(new Set([40, 41]));
    store.close();
  });
});
