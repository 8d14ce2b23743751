// MovieLens 100k for this repository's test suites, read straight from LIGHTFM_DATA_HOME (its
// licence forbids shipping it). Plain arrays, so each suite wraps them in the CooMatrix of the
// build it tests (core's tests use its sources, the other packages its dist).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const home = process.env.LIGHTFM_DATA_HOME;
const folder = home ? join(home, 'movielens100k', 'ml-100k') : undefined;

/** The folder holding MovieLens 100k's files (`u.data`, `ua.base`, `u.item`, ...), when configured. */
export const movielensFolder: string | undefined = folder;

/** Whether MovieLens 100k is available; suites that need it skip (and say so) otherwise. */
export const hasMovielens = folder !== undefined && existsSync(join(folder, 'ua.base'));
if (!hasMovielens) {
  console.warn('MovieLens 100k tests skipped: set LIGHTFM_DATA_HOME to a folder holding movielens100k/ml-100k/ (the project uses ../shared/data)');
}

/** Users and items of MovieLens 100k. */
export const USERS = 943;
export const ITEMS = 1682;

/** COO arrays: entry `k` is `(row[k], col[k], data[k])`. */
export interface Triplets {
  row: Int32Array;
  col: Int32Array;
  data: Float32Array;
  shape: [number, number];
}

/** `ua.base` / `ua.test` as `USERS x ITEMS` triplets with the values `map(rating)`. */
export function readRatings(file: 'ua.base' | 'ua.test', map: (rating: number) => number = (r) => r): Triplets {
  const lines = readFileSync(join(folder as string, file), 'utf8').trim().split('\n');
  const row = new Int32Array(lines.length);
  const col = new Int32Array(lines.length);
  const data = new Float32Array(lines.length);
  lines.forEach((line, k) => {
    const [u, i, r] = line.split('\t');
    row[k] = Number(u) - 1;
    col[k] = Number(i) - 1;
    data[k] = map(Number(r));
  });
  return { row, col, data, shape: [USERS, ITEMS] };
}

/** LightFM's `_binarize`: ratings >= 4 become +1, the rest -1 (lightfm-behaviour.md §12.1). */
export const binarize = (r: number): number => (r >= 4 ? 1 : -1);

/**
 * The entries with a value above zero, as 1s (LightFM's `_get_metrics` strips the rest before
 * evaluating).
 */
export function positiveTriplets(m: Triplets): Triplets {
  const keep: number[] = [];
  m.data.forEach((v, k) => v > 0 && keep.push(k));
  return {
    row: Int32Array.from(keep, (k) => m.row[k] as number),
    col: Int32Array.from(keep, (k) => m.col[k] as number),
    data: new Float32Array(keep.length).fill(1),
    shape: m.shape,
  };
}

/** The 19 genre flags of `u.item` as `ITEMS x 19` triplets (LightFM's genre features). */
export function genreTriplets(): Triplets {
  const lines = readFileSync(join(folder as string, 'u.item'), 'latin1').trim().split('\n');
  const rows: number[] = [];
  const cols: number[] = [];
  for (const line of lines) {
    const fields = line.split('|');
    const item = Number(fields[0]) - 1;
    fields.slice(5).forEach((flag, g) => {
      if (flag === '1') {
        rows.push(item);
        cols.push(g);
      }
    });
  }
  return { row: Int32Array.from(rows), col: Int32Array.from(cols), data: new Float32Array(rows.length).fill(1), shape: [ITEMS, 19] };
}
