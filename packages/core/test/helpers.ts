// Test helpers: MovieLens 100k (from @lightfm-ts/test-utils) as this build's matrices, and
// LightFM's metrics computed from predictRank (independent of @lightfm-ts/evaluation), and
// small files written to a temporary folder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Triplets, positiveTriplets, readRatings as readTriplets } from '@lightfm-ts/test-utils';
import { CooMatrix, type CsrMatrix, type LightFM } from '../src/index.js';

export { binarize, hasMovielens, movielensFolder } from '@lightfm-ts/test-utils';

const coo = (t: Triplets): CooMatrix => new CooMatrix(t.row, t.col, t.data, t.shape);

/** `ua.base` / `ua.test` as 943 x 1682 COO with the values `map(rating)`. */
export function readRatings(file: 'ua.base' | 'ua.test', map?: (rating: number) => number): CooMatrix {
  return coo(readTriplets(file, map));
}

/** Only the positive entries (LightFM's `_get_metrics` strips the rest before evaluating). */
export function positives(m: CooMatrix): CsrMatrix {
  return coo(positiveTriplets(m)).toCsr();
}

/** Means of LightFM's `precision_at_k` (k = 10) and `auc_score`, no train exclusion. */
export function lightfmMetrics(model: LightFM, test: CsrMatrix, k = 10): { precision: number; auc: number } {
  const ranks = model.predictRank(test, { numThreads: 2 });
  const nItems = test.shape[1];
  let precision = 0;
  let auc = 0;
  let users = 0;
  for (let u = 0; u < test.shape[0]; u++) {
    const r = Float64Array.from(ranks.row(u).data).sort();
    if (r.length === 0) continue;
    const negatives = nItems - r.length;
    precision += r.filter((x) => x < k).length / k;
    auc += r.reduce((s, x, i) => s + 1 - Math.max(0, x - i) / negatives, 0) / r.length;
    users++;
  }
  return { precision: precision / users, auc: auc / users };
}

/** A small clustered implicit data set: users mostly interact with items of their group. */
export function clustered(users: number, items: number, perUser: number, groups: number, seed = 1): CooMatrix {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < users; u++) {
    const seen = new Set<number>();
    while (seen.size < perUser) {
      const i = rand() < 0.8 ? Math.floor(rand() * (items / groups)) * groups + (u % groups) : Math.floor(rand() * items);
      if (i < items && !seen.has(i)) {
        seen.add(i);
        rows.push(u);
        cols.push(i);
      }
    }
  }
  return CooMatrix.fromTriplets(rows, cols, rows.map(() => 1), [users, items]);
}

/** `count` random entries (value 1) of a `rows x cols` matrix from a small seeded LCG. */
export function randomInteractions(rows: number, cols: number, count: number, seed: number): CooMatrix {
  let s = seed;
  const next = (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % n;
  const r: number[] = [];
  const c: number[] = [];
  for (let k = 0; k < count; k++) {
    r.push(next(rows));
    c.push(next(cols));
  }
  return CooMatrix.fromTriplets(r, c, r.map(() => 1), [rows, cols]);
}

/** A writer of small files into a fresh temporary folder: returns each file's path. */
export function tempFiles(prefix: string): (content: string, ext?: string) => string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let n = 0;
  return (content, ext = 'csv') => {
    const path = join(dir, `f${n++}.${ext}`);
    writeFileSync(path, content);
    return path;
  };
}

/** A CSR matrix as plain arrays, for `toEqual`. */
export const csrOf = (m: CsrMatrix) => ({
  shape: [...m.shape],
  indptr: Array.from(m.indptr),
  indices: Array.from(m.indices),
  data: Array.from(m.data),
});
