// Answers from a real LanceDB table against core's exact calls: flat search is exact, so ids
// and scores match `recommend` / `similarItems`; exclusions are never returned.
import { describe, expect, it } from 'vitest';
import { CooMatrix } from '@lightfm-ts/core';
import { LanceItems, writeItems } from '../src/index.js';
import { tempStore, trainedModel } from './fixtures.js';

const { model, dataset, train, users, items } = trainedModel();
const uri = tempStore();

describe('LanceItems on a flat table', () => {
  it('recommends what core recommends, by the caller ids, excluding the training items', async () => {
    const written = await writeItems(model, { uri, ids: dataset });
    expect(written).toEqual({ table: 'items', rows: items.length, indexed: false });
    const store = await LanceItems.open(model, { uri, users: dataset });
    const rows = Array.from(users.keys());
    const exact = model.recommend(rows, { k: 10, exclude: train });
    const top = await store.recommend(users, { k: 10, exclude: train });
    expect(top.k).toBe(10);
    expect(top.items).toEqual(Array.from(exact.items, (i) => items[i]));
    for (let j = 0; j < exact.scores.length; j++) expect(top.scores[j]).toBeCloseTo(exact.scores[j] as number, 5);
    for (const [r, user] of rows.entries()) {
      const seen = new Set(Array.from(train.indices.subarray(train.indptr[user], train.indptr[user + 1]), (i) => items[i]));
      expect(top.items.slice(r * 10, (r + 1) * 10).filter((id) => seen.has(id as string))).toEqual([]);
    }
    store.close();
  });

  it('takes model rows without users, a single id, and pads short rows with null and -Infinity', async () => {
    await writeItems(model, { uri, table: 'few', ids: dataset, rows: [0, 1, 2, 3] });
    const store = await LanceItems.open(model, { uri, table: 'few' });
    expect(store.rows).toBe(4);
    const excludeTwo = CooMatrix.fromTriplets([0, 0], [1, 3], [1, 1], [1, items.length]);
    const top = await store.recommend(0, { k: 10, exclude: excludeTwo });
    expect(top.k).toBe(4);
    expect(top.items.slice(2)).toEqual([null, null]);
    expect(Array.from(top.scores.slice(2))).toEqual([-Infinity, -Infinity]);
    expect(new Set(top.items.slice(0, 2))).toEqual(new Set([items[0], items[2]]));
    store.close();
  });

  it('finds similar items as core does (cosine of embeddings), never the item itself', async () => {
    const store = await LanceItems.open(model, { uri });
    const queries = [items[0] as string, items[7] as string, items[0] as string];
    const exact = model.similarItems([0, 7, 0], { k: 5 });
    const top = await store.similarItems(queries, { k: 5 });
    expect(top.items).toEqual(Array.from(exact.items, (i) => items[i]));
    for (let j = 0; j < exact.scores.length; j++) expect(top.scores[j]).toBeCloseTo(exact.scores[j] as number, 5);
    expect(top.items.slice(0, 5)).not.toContain(items[0]);
    store.close();
  });

  it('answers from an IVF index: exact when every partition is probed, and never an excluded item', async () => {
    const written = await writeItems(model, { uri, table: 'ivf', ids: dataset, index: 'ivf' });
    expect(written.indexed).toBe(true);
    const store = await LanceItems.open(model, { uri, table: 'ivf', users: dataset });
    const exact = model.recommend(Array.from(users.keys()), { k: 10, exclude: train });
    const top = await store.recommend(users, { k: 10, exclude: train, nprobes: 1000 });
    expect(top.items).toEqual(Array.from(exact.items, (i) => items[i]));
    const similar = await store.similarItems([items[3] as string, items[4] as string], { k: 5, nprobes: 1000 });
    expect(similar.items).toEqual(Array.from(model.similarItems([3, 4], { k: 5 }).items, (i) => items[i]));
    const few = await store.recommend(users, { k: 10, exclude: train, nprobes: 1 });
    for (const [u] of users.entries()) {
      const seen = new Set(Array.from(train.indices.subarray(train.indptr[u], train.indptr[u + 1]), (i) => items[i]));
      expect(few.items.slice(u * 10, (u + 1) * 10).filter((id) => id !== null && seen.has(id as string))).toEqual([]);
    }
    store.close();
  });
});
