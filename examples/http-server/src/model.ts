// The model the service answers from: trained once and saved with everything the service
// needs to speak in external ids (ids, titles, and what each user has already seen).
import { type CooMatrix, CsrMatrix, LightFM, LightFMError } from '@lightfm-ts/core';
import { type CacheOptions, fetchMovielens, getDataHome, makeSynthetic } from '@lightfm-ts/datasets';

/** JSON stored in the model file's `mappings`. */
export interface ServingMappings {
  /** External user id of each user index. */
  users: string[];
  /** External item id of each item index. */
  items: string[];
  /** A display name per item index. */
  titles?: string[];
  /** Items each user already has, CSR style: user `u` has `indices[indptr[u] .. indptr[u + 1]]`. */
  seen?: { indptr: number[]; indices: number[] };
}

/**
 * The mappings to store with a model trained on `train`: ids by index and the seen items.
 *
 * @param train - The training interactions (their rows become `seen`).
 * @param users - External user ids by index.
 * @param items - External item ids by index.
 * @param titles - Optional display names by item index.
 * @returns JSON-serialisable mappings for `model.mappings`.
 * @example
 * ```ts
 * model.mappings = servingMappings(train, ['u0', 'u1'], ['a', 'b', 'c']);
 * ```
 */
export function servingMappings(train: CooMatrix, users: string[], items: string[], titles?: string[]): ServingMappings {
  const rows = train.toCsr();
  return { users, items, ...(titles && { titles }), seen: { indptr: Array.from(rows.indptr), indices: Array.from(rows.indices) } };
}

/**
 * The seen items of a loaded model as a matrix for `recommend`'s `exclude`.
 *
 * @param mappings - A model's {@link ServingMappings}.
 * @returns `users x items`, or `undefined` when the model has no `seen` record.
 * @throws {LightFMError} `ERR_INDEX_RANGE` / `ERR_INVALID_ARG` when the record is inconsistent.
 * @example
 * ```ts
 * const exclude = seenMatrix(model.mappings as ServingMappings);
 * ```
 */
export function seenMatrix(mappings: ServingMappings): CsrMatrix | undefined {
  const { seen, users, items } = mappings;
  if (!seen) return undefined;
  const indices = Int32Array.from(seen.indices);
  return new CsrMatrix(Int32Array.from(seen.indptr), indices, new Float32Array(indices.length).fill(1), [users.length, items.length]);
}

/**
 * Trains a WARP model on MovieLens 100k (ids and titles as in the files), or on synthetic
 * data when MovieLens is neither cached nor downloadable, and attaches {@link ServingMappings}.
 *
 * @param cache - Where MovieLens is cached and downloaded from.
 * @param log - Receives progress notices.
 * @param epochs - Training epochs.
 * @returns The trained model, ready to `save`.
 * @throws {LightFMError} As `fetchMovielens` (except `ERR_DOWNLOAD`, which falls back) and `fit`.
 * @example
 * ```ts
 * await (await trainServingModel({}, console.log)).save('model.lightfm');
 * ```
 */
export async function trainServingModel(cache: CacheOptions, log: (line: string) => void, epochs = 10): Promise<LightFM> {
  const model = new LightFM({ loss: 'warp', noComponents: 32, randomState: 42 });
  try {
    const { train, itemLabels } = await fetchMovielens(cache);
    log('training on MovieLens 100k (user and item ids as in the files)');
    await model.fit(train, { epochs, numThreads: 2 });
    const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
    model.mappings = servingMappings(train, ids(train.shape[0]), ids(train.shape[1]), itemLabels);
  } catch (err) {
    if (!(err instanceof LightFMError && err.code === 'ERR_DOWNLOAD')) throw err;
    log(`MovieLens 100k is not in ${getDataHome(cache.dataHome)} and could not be downloaded; training on synthetic data (users u0.., items i0..)`);
    const { train } = makeSynthetic({ users: 1000, items: 500, interactions: 30_000, seed: 42 });
    await model.fit(train, { epochs, numThreads: 2 });
    const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    model.mappings = servingMappings(train, ids('u', train.shape[0]), ids('i', train.shape[1]));
  }
  return model;
}
