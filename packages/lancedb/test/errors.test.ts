// LanceItems' errors: typed LightFMErrors with stable codes.
import { describe, expect, it } from 'vitest';
import { CooMatrix } from '@lightfm-ts/core';
import { LanceItems, writeItems } from '../src/index.js';
import { codeOf, tempStore, trainedModel } from './fixtures.js';

const { model, dataset, items } = trainedModel();
const uri = tempStore();

describe('LanceItems errors', () => {
  it('refuses a missing table, unknown ids and bad options', async () => {
    expect(await codeOf(() => LanceItems.open(model, { uri, table: 'nothing' }))).toBe('ERR_FILE_NOT_FOUND');
    await writeItems(model, { uri, ids: dataset });
    expect(await codeOf(() => LanceItems.open(model, { uri, user: dataset } as never))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => LanceItems.open(model, { uri, readConsistencyInterval: -1 }))).toBe('ERR_INVALID_ARG');
    const store = await LanceItems.open(model, { uri, users: dataset });
    expect(await codeOf(() => store.recommend('nobody'))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => store.recommend('user-0', { k: 0 }))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => store.recommend('user-0', { excludes: undefined } as never))).toBe('ERR_INVALID_ARG');
    expect(await codeOf(() => store.recommend('user-0', { nprobes: 1.5 }))).toBe('ERR_INVALID_ARG');
    const oneRow = CooMatrix.fromTriplets([0], [0], [1], [1, items.length]);
    expect(await codeOf(() => store.recommend('user-3', { exclude: oneRow }))).toBe('ERR_INDEX_RANGE');
    expect(await codeOf(() => store.similarItems('no-such-item'))).toBe('ERR_INDEX_RANGE');
    expect(await codeOf(() => store.similarItems("it's", { k: 3 }))).toBe('ERR_INDEX_RANGE');
    expect(await codeOf(() => store.similarItems(items[0] as string, { k: -1 }))).toBe('ERR_INVALID_ARG');
    store.close();
    const byRow = await LanceItems.open(model, { uri });
    expect(await codeOf(() => byRow.recommend('user-0'))).toBe('ERR_INVALID_ARG');
    expect((await byRow.recommend([1, 2], { k: 3 })).items).toHaveLength(6);
    byRow.close();
  });
});
