// What a model file carries so that it can be served by external ids: the Dataset it was
// trained with, the feature matrices it needs at prediction time and what each user already
// has. `lightfm train` writes it, `lightfm serve` / `recommend` / `similar` read it, and so does
// any application that uses `createService` (examples/http-server).
import { type CooMatrix, CsrMatrix, Dataset, type DatasetJSON, type LightFM, LightFMError, type Shape } from '@lightfm-ts/core';

/** A sparse matrix's rows as JSON, CSR style: row `r` has `indices[indptr[r] .. indptr[r + 1]]`. */
export interface SparseRowsJSON {
  /** `rows + 1` offsets into `indices`. */
  indptr: number[];
  /** The column of each entry. */
  indices: number[];
  /** One value per entry; every value is 1 when omitted. */
  data?: number[];
}

/** JSON stored in the model file's `mappings` (see {@link servingMappings}). */
export interface ServingMappings {
  /** The dataset the model was trained with (`dataset.toJSON()`): ids, feature names, columns. */
  dataset: DatasetJSON;
  /** `items x itemFeatures`, exactly as given to `fit`; identity when omitted. */
  itemFeatures?: SparseRowsJSON;
  /** `users x userFeatures`, exactly as given to `fit`; identity when omitted. */
  userFeatures?: SparseRowsJSON;
  /** `users x items`: what each user already has, left out of recommendations. */
  seen?: SparseRowsJSON;
  /** A display name per item row. */
  titles?: string[];
}

/** What a loaded model answers from, rebuilt from its {@link ServingMappings}. */
export interface Serving {
  /** The loaded model. */
  model: LightFM;
  /** Turns external ids into rows and back. */
  dataset: Dataset;
  /** The item features it was trained with (identity when absent). */
  itemFeatures?: CsrMatrix;
  /** The user features it was trained with (identity when absent). */
  userFeatures?: CsrMatrix;
  /** `users x items`: what each user already has (never recommended to them). */
  seen?: CsrMatrix;
  /** A display name per item row. */
  titles?: string[];
}

/** What {@link servingMappings} stores besides the dataset. */
export interface ServingParts {
  /** The item features the model was trained with. */
  itemFeatures?: CsrMatrix;
  /** The user features the model was trained with. */
  userFeatures?: CsrMatrix;
  /** What each user already has (usually every known interaction), `users x items`. */
  seen?: CooMatrix | CsrMatrix;
  /** A display name per item row. */
  titles?: string[];
}

function rowsJSON(m: CsrMatrix, withData: boolean): SparseRowsJSON {
  const rows: SparseRowsJSON = { indptr: Array.from(m.indptr), indices: Array.from(m.indices) };
  if (withData) rows.data = Array.from(m.data);
  return rows;
}

/**
 * The mappings to store with a model trained on `dataset`'s matrices, so that
 * {@link servingState} rebuilds everything after `LightFM.load`.
 *
 * @param dataset - The dataset that built the training matrices.
 * @param parts - The feature matrices given to `fit`, the seen interactions and titles.
 * @returns JSON data for `model.mappings`.
 * @example
 * ```ts
 * model.mappings = servingMappings(dataset, { itemFeatures, seen: interactions });
 * await model.save('model.lightfm');
 * ```
 */
export function servingMappings(dataset: Dataset, parts: ServingParts = {}): ServingMappings {
  const { itemFeatures, userFeatures, seen, titles } = parts;
  return {
    dataset: dataset.toJSON(),
    ...(itemFeatures && { itemFeatures: rowsJSON(itemFeatures, true) }),
    ...(userFeatures && { userFeatures: rowsJSON(userFeatures, true) }),
    // Seen interactions are membership: their values are not needed.
    ...(seen && { seen: rowsJSON(seen instanceof CsrMatrix ? seen : seen.toCsr(), false) }),
    ...(titles && { titles }),
  };
}

function corrupt(what: string, err?: unknown): LightFMError {
  const why = err instanceof Error ? `: ${err.message}` : '';
  return new LightFMError('ERR_CORRUPT_FILE', `the model file's mappings.${what} is damaged${why}; train and save the model again`, { cause: err });
}

function sparseFromJSON(what: string, json: SparseRowsJSON | undefined, shape: Shape): CsrMatrix | undefined {
  if (json === undefined) return undefined;
  if (!Array.isArray(json.indptr) || !Array.isArray(json.indices)) throw corrupt(what);
  const indices = Int32Array.from(json.indices);
  const data = Array.isArray(json.data) ? Float32Array.from(json.data) : new Float32Array(indices.length).fill(1);
  try {
    return new CsrMatrix(Int32Array.from(json.indptr), indices, data, shape);
  } catch (err) {
    throw corrupt(what, err);
  }
}

/**
 * Rebuilds the dataset, the feature matrices and the seen items of a loaded model.
 *
 * @param model - A model saved with {@link ServingMappings} (from `LightFM.load`).
 * @returns Everything needed to answer by external ids.
 * @throws {LightFMError} `ERR_INVALID_ARG` when the model has no serving mappings;
 *   `ERR_CORRUPT_FILE` when they are damaged.
 * @example
 * ```ts
 * const { model, dataset, itemFeatures } = servingState(await LightFM.load('model.lightfm'));
 * model.recommend(dataset.userIndex('u1'), { k: 5, itemFeatures });
 * ```
 */
export function servingState(model: LightFM): Serving {
  const m = model.mappings as Partial<ServingMappings> | undefined;
  if (m === null || typeof m !== 'object' || m.dataset === undefined) {
    throw new LightFMError(
      'ERR_INVALID_ARG',
      'the model file has no dataset in its mappings, so it cannot answer by id; train it with `lightfm train` or store servingMappings(dataset, ...) in model.mappings before saving',
    );
  }
  const dataset = Dataset.fromJSON(m.dataset);
  const [users, items] = dataset.interactionsShape();
  const [itemFeatures, userFeatures, seen] = [
    sparseFromJSON('itemFeatures', m.itemFeatures, dataset.itemFeaturesShape()),
    sparseFromJSON('userFeatures', m.userFeatures, dataset.userFeaturesShape()),
    sparseFromJSON('seen', m.seen, [users, items]),
  ];
  if (m.titles !== undefined && !Array.isArray(m.titles)) throw corrupt('titles');
  return { model, dataset, itemFeatures, userFeatures, seen, titles: m.titles };
}
