// MovieLens 100k (from @lightfm-ts/test-utils) as core matrices, prepared the way LightFM's
// tests/test_movielens.py does (lightfm-behaviour.md §12.1).
import { CooMatrix, type CsrMatrix, type LightFM } from '@lightfm-ts/core';
import { ITEMS, type Triplets, genreTriplets, positiveTriplets, readRatings as readTriplets } from '@lightfm-ts/test-utils';
import { rocAuc } from './reference.js';

export { ITEMS, USERS, binarize, hasMovielens } from '@lightfm-ts/test-utils';

const coo = (t: Triplets): CooMatrix => new CooMatrix(t.row, t.col, t.data, t.shape);

/** `ua.base` / `ua.test` as COO with values `map(rating)`. */
export function readRatings(file: 'ua.base' | 'ua.test', map?: (rating: number) => number): CooMatrix {
  return coo(readTriplets(file, map));
}

/** The 19 genre flags of `u.item` as an `items x 19` matrix (LightFM's genre features). */
export function genreFeatures(): CooMatrix {
  return coo(genreTriplets());
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
  return coo(positiveTriplets(m)).toCsr();
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
