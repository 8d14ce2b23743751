// Options and result of `exportEmbeddings`. The LightFM class delegates its argument handling
// here; the vectors are built by the core (crates/lightfm-core/src/embeddings.rs).
import type { Binding } from './native.js';
import { type NumericArray, toIndexArray } from './arrays.js';
import type { SparseMatrix } from './sparse.js';
import { type KnownKeys, readOptions } from './option-reader.js';

/** Options of `exportEmbeddings`: which users and items, and from which feature matrices. */
export interface ExportEmbeddingsOptions {
  /**
   * `users x userFeatures`: the user feature matrix the model was trained with (required
   * then), or one with rows for new users, which are exported from their features (cold
   * start). @default identity
   */
  userFeatures?: SparseMatrix;
  /** `items x itemFeatures`, as `userFeatures`. @default identity */
  itemFeatures?: SparseMatrix;
  /**
   * The users to export, in this order (repeats allowed): indices of users (rows of
   * `userFeatures` when given). Every user when omitted. `[]` exports no users and leaves
   * the user side unread, so a model trained with user features exports its items without
   * them.
   */
  userIds?: NumericArray;
  /** The items to export, as `userIds`; `[]` exports no items. */
  itemIds?: NumericArray;
  /** Threads that compute the vectors. @default 1 */
  numThreads?: number;
}

/**
 * Users and items as vectors of `dim` floats, row-major, with the biases folded in: user
 * `[embedding, bias, 1]`, item `[embedding, 1, bias]`. The dot product of a user's and an
 * item's vector is their `predict` score, up to float rounding.
 */
export interface ExportedEmbeddings {
  /** Floats per vector: the model's `noComponents + 2`. */
  dim: number;
  /** One vector per exported user: row `r` is `userVectors.subarray(r * dim, (r + 1) * dim)`. */
  userVectors: Float32Array;
  /** One vector per exported item, as `userVectors`. */
  itemVectors: Float32Array;
}

const EXPORT_EMBEDDINGS_KEYS: KnownKeys<ExportEmbeddingsOptions> = { userFeatures: true, itemFeatures: true, userIds: true, itemIds: true, numThreads: true };

/** `exportEmbeddings`'s options in the binding's form. */
export function exportEmbeddingsArgs(options: ExportEmbeddingsOptions | undefined): Binding.EmbeddingsArgs {
  const where = 'exportEmbeddings()';
  // `{ users: false }` reads as "no users": that is `userIds: []`.
  const aliases = { users: 'userIds', items: 'itemIds' };
  const o = readOptions(where, options, EXPORT_EMBEDDINGS_KEYS, { aliases });
  const ids = (key: 'userIds' | 'itemIds') => {
    const v = o.get(key);
    return v === undefined ? undefined : toIndexArray(`${where}: options.${key}`, v);
  };
  return {
    userIds: ids('userIds'),
    itemIds: ids('itemIds'),
    userFeatures: o.csr('userFeatures'),
    itemFeatures: o.csr('itemFeatures'),
    numThreads: o.int('numThreads', 1),
  };
}
