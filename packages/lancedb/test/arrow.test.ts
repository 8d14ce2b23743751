// toArrowTable: columns, types, values equal to exportEmbeddings, usable with apache-arrow's
// own ES module functions (IPC round trip).
import { describe, expect, it } from 'vitest';
import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { toArrowTable } from '../src/index.js';
import { codeOf, trainedModel } from './fixtures.js';

const { model, dataset, users, items } = trainedModel();

describe('toArrowTable', () => {
  it('exports every item with the caller ids, rows, metadata and folded vectors', () => {
    const table = toArrowTable(model, { ids: dataset, metadata: { popular: items.map((_, i) => i < 10) } });
    expect(table).toBeInstanceOf(Table);
    expect(table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`)).toEqual(['id: Utf8', 'row: Int32', 'popular: Bool', 'vector: FixedSizeList[10]<Float32>']);
    expect(table.numRows).toBe(items.length);
    const { itemVectors, dim } = model.exportEmbeddings({ userIds: [] });
    const row7 = table.get(7)?.toJSON() as { id: string; row: number; popular: boolean; vector: { toArray(): Float32Array } };
    expect([row7.id, row7.row, row7.popular]).toEqual(['item-7', 7, true]);
    expect(Array.from(row7.vector.toArray())).toEqual(Array.from(itemVectors.subarray(7 * dim, 8 * dim)));
  });

  it('exports chosen users and survives an IPC round trip', () => {
    const table = toArrowTable(model, { side: 'users', ids: dataset, rows: [3, 0] });
    const back = tableFromIPC(tableToIPC(table));
    expect(back.getChild('id')?.toArray()).toEqual([users[3], users[0]]);
    const { userVectors } = model.exportEmbeddings({ userIds: [3, 0], itemIds: [] });
    const flat = Float32Array.from((back.getChild('vector')?.toArray() as { toArray(): Float32Array }[]).flatMap((v) => Array.from(v.toArray())));
    expect(flat).toEqual(userVectors);
  });

  it('refuses bad options', async () => {
    expect(await codeOf(() => toArrowTable(model, { side: 'both' as never }))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => toArrowTable(model, { row: [1] } as never))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => toArrowTable(model, { rows: [-1] }))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => toArrowTable(model, { ids: new Map() as never }))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => toArrowTable(model, { ids: ['a'], rows: [0, 1] }))).toBe('ERR_INVALID_ARG');
  });
});
