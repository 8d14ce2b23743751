// What writeItems leaves in a real LanceDB table: columns, ids, metadata, the MIPS coordinate,
// appends, reopening, and its errors.
import { describe, expect, it } from 'vitest';
import { connect } from '@lancedb/lancedb';
import { CsrMatrix, LightFM } from '@lightfm-ts/core';
import { LanceItems, writeItems } from '../src/index.js';
import { codeOf, tempStore, trainedModel } from './fixtures.js';

const { model, dataset, items } = trainedModel();
const uri = tempStore();
const dim = model.exportEmbeddings({ userIds: [], itemIds: [] }).dim;

async function readTable(table: string): Promise<Record<string, unknown>[]> {
  const db = await connect(uri);
  const t = await db.openTable(table);
  const rows = await t.query().toArray();
  t.close();
  db.close();
  return rows as Record<string, unknown>[];
}

describe('writeItems', () => {
  it('writes id, row, metadata, the folded vector with its MIPS coordinate, and the unit embedding', async () => {
    const title = items.map((id) => `title of ${id}`);
    const price = items.map((_, i) => (i % 3 === 0 ? null : i / 10));
    await writeItems(model, { uri, table: 'meta', ids: dataset, rows: [5, 2], metadata: { title, price } });
    const rows = await readTable('meta');
    expect(rows.map((r) => [r.id, r.row, r.title, r.price])).toEqual([
      ['item-5', 5, 'title of item-5', 0.5],
      ['item-2', 2, 'title of item-2', 0.2],
    ]);
    const exported = model.exportEmbeddings({ userIds: [], itemIds: [5, 2] }).itemVectors;
    const norms = rows.map((r) => Array.from(r.vector as Iterable<number>)).map((v, i) => {
      expect(v).toHaveLength(dim + 1);
      expect(v.slice(0, dim)).toEqual(Array.from(exported.subarray(i * dim, (i + 1) * dim)));
      return Math.hypot(...v);
    });
    // Every stored vector is as long as the longest one (the MIPS transform).
    expect(norms[0]).toBeCloseTo(norms[1] as number, 5);
    const unit = Array.from(rows[0]?.unit as Iterable<number>);
    expect(unit).toHaveLength(dim - 2);
    expect(Math.hypot(...unit)).toBeCloseTo(1, 5);
  });

  it('uses model rows as ids when none are given, or an array of numeric ids', async () => {
    await writeItems(model, { uri, table: 'plain', rows: [3, 1] });
    expect((await readTable('plain')).map((r) => r.id)).toEqual([3, 1]);
    await writeItems(model, { uri, table: 'numeric', ids: items.map((_, i) => 1000 + i), rows: [4] });
    expect((await readTable('numeric')).map((r) => r.id)).toEqual([1004]);
    const store = await LanceItems.open(model, { uri, table: 'numeric' });
    expect((await store.similarItems(1004)).items).toEqual([]);
    store.close();
  });

  it('appends rows and a reopened store sees all of them; overwrite replaces them', async () => {
    await writeItems(model, { uri, table: 'grow', ids: dataset, rows: Array.from({ length: 100 }, (_, i) => i) });
    const appended = await writeItems(model, { uri, table: 'grow', ids: dataset, rows: Array.from({ length: 200 }, (_, i) => 100 + i), mode: 'append' });
    expect(appended.rows).toBe(300);
    const store = await LanceItems.open(model, { uri, table: 'grow' });
    expect(store.rows).toBe(300);
    const exact = model.recommend([0, 1], { k: 5 });
    expect((await store.recommend([0, 1], { k: 5 })).items).toEqual(Array.from(exact.items, (i) => items[i]));
    store.close();
    expect((await writeItems(model, { uri, table: 'grow', ids: dataset, rows: [0] })).rows).toBe(1);
  });

  it('refuses appends of another width, id type or longer vectors, and bad options', async () => {
    await writeItems(model, { uri, table: 'fixed', ids: dataset, rows: [0, 1] });
    const other = new LightFM({ noComponents: 4, randomState: 1 }).fitSync(CsrMatrix.fromDense([[1, 0, 1]]), { epochs: 1 });
    expect(await codeOf(() => writeItems(other, { uri, table: 'fixed', ids: ['a', 'b', 'c'], mode: 'append' }))).toBe('ERR_SHAPE');
    expect(await codeOf(() => writeItems(model, { uri, table: 'fixed', rows: [2], mode: 'append' }))).toBe('ERR_SHAPE');
    // Scaled item vectors are longer than the table's longest: its index was built around that length.
    const longest = Math.max(...[0, 1].map((i) => Math.hypot(...model.exportEmbeddings({ userIds: [], itemIds: [i] }).itemVectors)));
    const longer = Array.from({ length: items.length }, (_, i) => i).find((i) => Math.hypot(...model.exportEmbeddings({ userIds: [], itemIds: [i] }).itemVectors) > longest * 1.01);
    expect(await codeOf(() => writeItems(model, { uri, table: 'fixed', ids: dataset, rows: [longer as number], mode: 'append' }))).toBe('ERR_SHAPE');
    expect(await codeOf(() => writeItems(model, { uri, tabel: 'x' } as never))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => writeItems(model, { uri: '' }))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => writeItems(model, { uri, mode: 'upsert' as never }))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => writeItems(model, { uri, index: 'hnsw' as never }))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => writeItems(model, { uri, table: 'bad name' }))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => writeItems(model, { uri, ids: ['a', 1, 'b'] }))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => writeItems(model, { uri, ids: dataset, metadata: { vector: items } }))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => writeItems(model, { uri, ids: dataset, metadata: { title: ['only one'] } }))).toBe('ERR_SHAPE');
    expect(await codeOf(() => writeItems(model, { uri, ids: dataset, metadata: { mixed: items.map((_, i) => (i ? 1 : 'one')) } }))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => writeItems(model, { uri, rows: [items.length + 5] }))).toBe('ERR_INDEX_RANGE');
    expect(await codeOf(() => writeItems(new LightFM(), { uri }))).toBe('ERR_NOT_FITTED');
    expect(await codeOf(() => writeItems(model, { uri, table: 'stopped', signal: AbortSignal.abort() }))).toBe('ERR_ABORTED');
  });
});
