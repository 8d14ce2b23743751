import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dataset, LightFM, type ReadProgress, readInteractions } from '../src/index.js';
import { rejected } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'lightfm-read-'));
let n = 0;
function file(content: string | Buffer, ext = '.csv'): string {
  const path = join(dir, `f${n++}${ext}`);
  writeFileSync(path, content);
  return path;
}

const RATINGS = 'user,item,rating,ts\nalice,i1,4,100\nbob,i2,3.5,2024-01-01T00:00:00Z\nalice,i2,1,50\ncarol,i1,5,7\n';
const TUPLES: [string, string, number][] = [
  ['alice', 'i1', 4],
  ['bob', 'i2', 3.5],
  ['alice', 'i2', 1],
  ['carol', 'i1', 5],
];

describe('readInteractions', () => {
  it('gives the same mappings and matrices as the Dataset path', async () => {
    const read = await readInteractions(file(RATINGS), { user: 'user', item: 'item', weight: 'rating', timestamp: 'ts' });
    const js = new Dataset().fit(TUPLES.map((t) => t[0]), TUPLES.map((t) => t[1]));
    const built = js.buildInteractions(TUPLES);
    expect(read.dataset.toJSON()).toEqual(js.toJSON());
    expect(read.interactions.shape).toEqual(built.interactions.shape);
    for (const k of ['row', 'col', 'data'] as const) {
      expect(Array.from(read.interactions[k])).toEqual(Array.from(built.interactions[k]));
      expect(Array.from(read.weights[k])).toEqual(Array.from(built.weights[k]));
    }
    expect(Array.from(read.timestamps ?? [])).toEqual([100, 1704067200, 50, 7]);
    expect(read.skipped).toBe(0);
    expect(read.dataset.buildItemFeatures([['i1', []]]).shape).toEqual([2, 2]);
  });

  it('extends a dataset without changing it; known ids keep their indices', async () => {
    const base = new Dataset().fit(['zed', 'bob'], ['i2']);
    const before = JSON.stringify(base);
    const read = await readInteractions(file(RATINGS), { user: 0, item: 1, dataset: base });
    expect(JSON.stringify(base)).toBe(before);
    expect(read.dataset.userIds()).toEqual(['zed', 'bob', 'alice', 'carol']);
    expect(read.dataset.itemIds()).toEqual(['i2', 'i1']);
    expect(Array.from(read.interactions.row)).toEqual([2, 1, 2, 3]);
    expect(read.timestamps).toBeUndefined();
    // Numbers and strings stay different ids.
    const numeric = new Dataset().fit([1], ['i1']);
    const r2 = await readInteractions(file('u,i\n1,i1\n'), { user: 'u', item: 'i', dataset: numeric });
    expect(r2.dataset.userIds()).toEqual([1, '1']);
    // The read ids behave as fitted ones: lookups, identity columns, further fits.
    const ds = read.dataset;
    expect(ds.mapping().userIdMap.get('carol')).toBe(3);
    expect(Array.from(ds.buildUserFeatures([]).indices)).toEqual([0, 1, 2, 3]);
    ds.fitPartial(['alice', 'new'], ['i1', 'i9']);
    expect(ds.userIds()).toEqual(['zed', 'bob', 'alice', 'carol', 'new']);
    expect(ds.interactionsShape()).toEqual([5, 3]);
    expect(() => ds.fitPartial(['x'], [{} as never])).toThrow();
    expect(ds.userIds()).toEqual(['zed', 'bob', 'alice', 'carol', 'new']);
    expect(ds.mapping().userIdMap.get('x')).toBeUndefined();
  });

  it('applies the duplicates policies', async () => {
    const path = file('u,i,w\na,x,1\nb,x,2\na,x,3\n');
    const sum = await readInteractions(path, { user: 'u', item: 'i', weight: 'w', duplicates: 'sum' });
    expect(Array.from(sum.weights.data)).toEqual([4, 2]);
    const last = await readInteractions(path, { user: 'u', item: 'i', weight: 'w', duplicates: 'last' });
    expect(Array.from(last.weights.data)).toEqual([3, 2]);
    const keep = await readInteractions(path, { user: 'u', item: 'i' });
    expect(keep.interactions.nnz).toBe(3);
    expect(Array.from(keep.weights.data)).toEqual([1, 1, 1]);
  });

  it('reads TSV without a header, by column index', async () => {
    const read = await readInteractions(file('1\t10\t5\n2\t10\t3\n', '.tsv'), { user: 0, item: 1, weight: 2, header: false });
    expect(read.dataset.userIds()).toEqual(['1', '2']);
    expect(Array.from(read.weights.data)).toEqual([5, 3]);
  });

  it('fails with the file, line and column, or skips and counts', async () => {
    const path = file('u,i,w\na,x,1\nb,y,heavy\nc,z\n');
    const e = await rejected(() => readInteractions(path, { user: 'u', item: 'i', weight: 'w' }));
    expect(e.code).toBe('ERR_PARSE');
    expect(e.message).toContain(path);
    expect(e.message).toContain('line 3, column "w"');
    const skipped = await readInteractions(path, { user: 'u', item: 'i', weight: 'w', skipInvalid: true });
    expect(skipped.skipped).toBe(2);
    expect(skipped.dataset.userIds()).toEqual(['a']);
    expect((await rejected(() => readInteractions(file('u,i,w\na,x,NaN\n'), { user: 'u', item: 'i', weight: 'w' }))).code).toBe('ERR_NOT_FINITE');
    expect((await rejected(() => readInteractions(file(Buffer.from([0x75, 0x2c, 0x69, 0x0a, 0xff, 0x2c, 0x78, 0x0a])), { user: 'u', item: 'i' }))).message).toContain('UTF-8');
    expect((await rejected(() => readInteractions(file(''), { user: 'u', item: 'i' }))).code).toBe('ERR_PARSE');
    expect((await rejected(() => readInteractions(file('u,i\n'), { user: 'user', item: 'i' }))).message).toContain('no column named "user"');
    expect((await rejected(() => readInteractions(join(dir, 'missing.csv'), { user: 'u', item: 'i' }))).code).toBe('ERR_FILE_NOT_FOUND');
  });

  it('checks its options strictly', async () => {
    const path = file(RATINGS);
    expect((await rejected(() => readInteractions(path, { user: 'user', item: 'item', duplicate: 'sum' } as never))).message).toContain("did you mean 'duplicates'");
    expect((await rejected(() => readInteractions(path, { user: 'user', item: 'item', duplicates: 'max' } as never))).code).toBe('ERR_INVALID_ARG');
    expect((await rejected(() => readInteractions(path, { user: 'user' } as never))).message).toContain('options.item');
    expect((await rejected(() => readInteractions(path, { user: 'user', item: 'item', delimiter: ';;' }))).code).toBe('ERR_INVALID_ARG');
    expect((await rejected(() => readInteractions(path, { user: 'user', item: 'item', dataset: {} as Dataset }))).code).toBe('ERR_INVALID_ARG');
  });

  it('reports progress and can be aborted', async () => {
    const rows = ['u,i'];
    for (let k = 0; k < 200_000; k++) rows.push(`user${k % 5000},item${k % 300}`);
    const path = file(`${rows.join('\n')}\n`);
    const reports: ReadProgress[] = [];
    await readInteractions(path, { user: 'u', item: 'i', progress: (p) => reports.push(p) });
    const last = reports.at(-1) as ReadProgress;
    expect(last.rows).toBe(200_000);
    expect(last.bytesRead).toBe(last.totalBytes);
    const controller = new AbortController();
    controller.abort();
    expect((await rejected(() => readInteractions(path, { user: 'u', item: 'i', signal: controller.signal }))).code).toBe('ERR_ABORTED');
  });
});

const dataHome = process.env.LIGHTFM_DATA_HOME;
if (dataHome === undefined) console.warn('read-interactions.test.ts: MovieLens part skipped, LIGHTFM_DATA_HOME is not set');

describe.skipIf(dataHome === undefined)('readInteractions on MovieLens 100k (LIGHTFM_DATA_HOME)', () => {
  it('reads u.data, trains, and recommends by external id', async () => {
    const path = join(dataHome as string, 'movielens100k', 'ml-100k', 'u.data');
    const { dataset, interactions, weights, timestamps } = await readInteractions(path, {
      format: 'tsv',
      header: false,
      user: 0,
      item: 1,
      weight: 2,
      timestamp: 3,
    });
    expect(dataset.interactionsShape()).toEqual([943, 1682]);
    expect(interactions.nnz).toBe(100_000);
    expect(timestamps?.length).toBe(100_000);
    expect(weights.data.every((w) => w >= 1 && w <= 5)).toBe(true);
    const model = new LightFM({ loss: 'warp', noComponents: 16, randomState: 1 });
    await model.fit(interactions, { epochs: 5, numThreads: 2 });
    const top = model.recommend(dataset.userIndex('196'), { k: 10 });
    const itemIds = dataset.itemIds();
    const names = Array.from(top.items, (i) => itemIds[i]);
    expect(names).toHaveLength(10);
    expect(names.every((id) => typeof id === 'string')).toBe(true);
  });
});
