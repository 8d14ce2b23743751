import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exclusionMatrix, FORMAT, loadDataset, readMeta, saveDataset } from '../src/data-files.js';

const dir = mkdtempSync(join(tmpdir(), 'lightfm-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prepared data set files', () => {
  it('load back as the matrices that were saved', () => {
    const meta = {
      format: FORMAT, name: 'tiny', description: 'test', users: 3, items: 4, train: 3, test: 2,
      itemFeatures: { cols: 5, nnz: 5 }, recommendUsers: 2, evaluated: 'all', epochs: 1,
    };
    saveDataset(join(dir, 'tiny'), meta, {
      trainRow: Int32Array.of(0, 1, 2), trainCol: Int32Array.of(1, 2, 3),
      testRow: Int32Array.of(0, 2), testCol: Int32Array.of(0, 1),
      recommendUsers: Int32Array.of(0, 2),
      itemFeatures: { indptr: Int32Array.of(0, 1, 2, 4, 5), indices: Int32Array.of(0, 1, 2, 4, 3), data: Float32Array.of(1, 1, 0.5, 0.5, 1) },
    });
    const d = loadDataset(join(dir, 'tiny'));
    expect(d.meta).toEqual(meta);
    expect([...d.train.row]).toEqual([0, 1, 2]);
    expect([...d.train.col]).toEqual([1, 2, 3]);
    expect([...d.train.data]).toEqual([1, 1, 1]);
    expect(d.test.shape).toEqual([3, 4]);
    expect([...d.test.indptr]).toEqual([0, 1, 1, 2]);
    expect([...d.recommendUsers]).toEqual([0, 2]);
    expect(d.itemFeatures?.shape).toEqual([4, 5]);
    expect([...(d.itemFeatures?.data ?? [])]).toEqual([1, 1, 0.5, 0.5, 1]);
  });

  it('treat a folder without meta.json or in an older format as not prepared', () => {
    expect(readMeta(join(dir, 'missing'))).toBeUndefined();
    expect(() => loadDataset(join(dir, 'missing'))).toThrow(/no prepared data set/);
  });

  it('exclude the train rows of evaluated and served users only, or the whole train matrix when that is everyone', () => {
    const meta = {
      format: FORMAT, name: 'strided', description: 'test', users: 4, items: 3, train: 6, test: 1,
      itemFeatures: null, recommendUsers: 1, evaluated: 'some', epochs: 1,
    };
    const arrays = {
      trainRow: Int32Array.of(3, 0, 1, 2, 3, 1), trainCol: Int32Array.of(0, 1, 2, 0, 2, 0),
      testRow: Int32Array.of(1), testCol: Int32Array.of(1), recommendUsers: Int32Array.of(3),
    };
    saveDataset(join(dir, 'strided'), meta, arrays);
    const some = exclusionMatrix(loadDataset(join(dir, 'strided')));
    expect(some.shape).toEqual([4, 3]);
    expect([...some.indptr]).toEqual([0, 0, 2, 2, 4]);
    expect([...some.indices]).toEqual([0, 2, 0, 2]);

    saveDataset(join(dir, 'all'), { ...meta, name: 'all', recommendUsers: 4 }, { ...arrays, recommendUsers: Int32Array.of(0, 1, 2, 3) });
    const all = exclusionMatrix(loadDataset(join(dir, 'all')));
    expect([...all.indptr]).toEqual([0, 1, 3, 4, 6]);
  });
});
