import { describe, expect, it } from 'vitest';
import { DATASET_NAMES, holdOutStrided, unavailable } from '../src/datasets.js';

describe('data sets', () => {
  it('generates the synthetic sets without a data home', () => {
    for (const name of ['synthetic10m', 'synthetic100m', 'synthetic100m-hybrid'] as const) expect(unavailable(name, undefined)).toBeUndefined();
    expect(unavailable('ml1m', undefined)).toMatch(/LIGHTFM_DATA_HOME is not set/);
    expect(unavailable('ml100k', '/nowhere')).toMatch(/\/nowhere\/movielens100k does not exist/);
    expect(DATASET_NAMES).toContain('synthetic100m-hybrid');
  });
});

describe('holdOutStrided', () => {
  it("moves a share of every stride-th user's entries to the test set and compacts the rest in place", () => {
    const n = 400;
    const row = Int32Array.from({ length: n }, (_, k) => k % 8);
    const col = Int32Array.from({ length: n }, (_, k) => k);
    const { train, test } = holdOutStrided(row, col, 4, 5);
    // Only users 0 and 4 give up entries, about a fifth of their 100.
    expect(new Set(test.row)).toEqual(new Set([0, 4]));
    expect(test.row.length).toBeGreaterThan(20);
    expect(test.row.length).toBeLessThan(60);
    expect(train.row.length + test.row.length).toBe(n);
    expect(train.row.buffer).toBe(row.buffer);
    // Every entry lands once, with its own user.
    const pairs = (m: { row: Int32Array; col: Int32Array }) => [...m.col].map((c, k) => `${m.row[k]}:${c}`);
    expect(new Set([...pairs(train), ...pairs(test)]).size).toBe(n);
    for (const p of [...pairs(train), ...pairs(test)]) expect(Number(p.split(':')[0])).toBe(Number(p.split(':')[1]) % 8);
    // The same input gives the same split.
    const again = holdOutStrided(Int32Array.from({ length: n }, (_, k) => k % 8), Int32Array.from({ length: n }, (_, k) => k), 4, 5);
    expect([...again.test.col]).toEqual([...test.col]);
  });
});
