// MovieLens 100k read straight from LIGHTFM_DATA_HOME with node:fs, the way LightFM's
// tests/test_movielens.py prepares it (lightfm-behaviour.md §12.1).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CooMatrix, type CsrMatrix, type LightFM } from '@lightfm-ts/core';
import { rocAuc } from './reference.js';

const home = process.env.LIGHTFM_DATA_HOME;
const folder = home ? join(home, 'movielens100k', 'ml-100k') : undefined;

/** Whether MovieLens 100k is available; tests that need it skip (and say so) otherwise. */
export const hasMovielens = folder !== undefined && existsSync(join(folder, 'ua.base'));
if (!hasMovielens) {
  console.warn('MovieLens 100k tests skipped: set LIGHTFM_DATA_HOME to a folder holding movielens100k/ml-100k/ (the project uses ../shared/data)');
}

export const USERS = 943;
export const ITEMS = 1682;

/** `ua.base` / `ua.test` as COO with values `map(rating)`. */
export function readRatings(file: 'ua.base' | 'ua.test', map: (rating: number) => number = (r) => r): CooMatrix {
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
  return new CooMatrix(row, col, data, [USERS, ITEMS]);
}

/** LightFM's `_binarize`: ratings >= 4 become +1, the rest -1. */
export const binarize = (r: number): number => (r >= 4 ? 1 : -1);

/** The 19 genre flags of `u.item` as an `items x 19` matrix (LightFM's genre features). */
export function genreFeatures(): CooMatrix {
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
  return CooMatrix.fromTriplets(rows, cols, rows.map(() => 1), [ITEMS, 19]);
}

/** `identity | genres` (LightFM's `fetch_movielens(genre_features=True)` with indicators). */
export function identityAndGenres(): CooMatrix {
  const g = genreFeatures();
  const rows = [...Array.from({ length: ITEMS }, (_, i) => i), ...g.row];
  const cols = [...Array.from({ length: ITEMS }, (_, i) => i), ...Array.from(g.col, (c) => c + ITEMS)];
  return CooMatrix.fromTriplets(rows, cols, rows.map(() => 1), [ITEMS, ITEMS + 19]);
}

/** The stored entries with a value above zero, as 1s (LightFM's `_get_metrics` preparation). */
export function positives(m: CooMatrix): CsrMatrix {
  const keep: number[] = [];
  m.data.forEach((v, k) => v > 0 && keep.push(k));
  return CooMatrix.fromTriplets(
    keep.map((k) => m.row[k] as number),
    keep.map((k) => m.col[k] as number),
    keep.map(() => 1),
    m.shape,
  ).toCsr();
}

/** `m` with every value multiplied by `factor`. */
export function scaled(m: CooMatrix, factor: number): CooMatrix {
  return new CooMatrix(m.row, m.col, m.data.map((v) => v * factor), m.shape);
}

/**
 * The "sk-AUC" of §12.1: scikit-learn's `roc_auc_score(labels, model.predict(row, col))` over the
 * rated pairs only, a global Mann–Whitney AUC with tie averaging (labels: value > 0).
 */
export function skAuc(model: LightFM, m: CooMatrix, itemFeatures?: CooMatrix): number {
  const scores = model.predict(m.row, m.col, itemFeatures ? { itemFeatures } : {});
  return rocAuc(scores, Array.from(m.data, (v) => v > 0));
}
