// Options and results of the serving methods (recommend, similarItems, similarUsers,
// resize). The LightFM class delegates its argument handling here; the ranking itself is the
// core's (crates/lightfm-core/src/topk.rs).
import type { Binding } from './native.js';
import { invalidArg } from './errors.js';
import { type NumericArray, toIndexArray } from './arrays.js';
import type { SparseMatrix } from './sparse.js';
import { type KnownKeys, readOptions } from './option-reader.js';
import { DEFAULT_K } from './defaults.js';

/** Options of `recommend`. */
export interface RecommendOptions {
  /**
   * Items per user. Capped at the number of items that can be ranked (the allow-list, or
   * every item); asking for more is not an error.
   * @default 10
   */
  k?: number;
  /**
   * Items stored in row `u` are never recommended to user `u`: typically the training
   * interactions, so users are not shown what they already have. Needs a row for every
   * requested user and at most as many columns as there are items.
   */
  exclude?: SparseMatrix;
  /** Only these item ids are ranked (an allow-list; order and duplicates do not matter). */
  items?: NumericArray;
  /** `users x userFeatures`; rows beyond the trained users score new users (cold start). */
  userFeatures?: SparseMatrix;
  /** `items x itemFeatures`; rows beyond the trained items score new items (cold start). */
  itemFeatures?: SparseMatrix;
  /** Threads ranking users in parallel. @default 1 */
  numThreads?: number;
}

/**
 * Top-k items per query, row-major: row `r` is `items.subarray(r * k, (r + 1) * k)`, best
 * first (score descending, ties to the lower item id). Rows with fewer than `k` candidates
 * end with item `-1` and score `-Infinity`.
 */
export interface TopItems {
  /** Item ids, `k` per row. */
  items: Int32Array;
  /** Scores matching `items`: `predict`'s scores for `recommend`, cosines for `similarItems`. */
  scores: Float32Array;
  /** Row width: the requested `k`, capped at the number of candidates. */
  k: number;
}

/** Top-k users per query: the same layout as {@link TopItems}, with user ids. */
export interface TopUsers {
  /** User ids, `k` per row. */
  users: Int32Array;
  /** Cosine similarities matching `users`. */
  scores: Float32Array;
  /** Row width: the requested `k`, capped at the number of other users. */
  k: number;
}

/** Options of `similarItems`. */
export interface SimilarItemsOptions {
  /** Similar items per query (capped at the number of other items). @default 10 */
  k?: number;
  /** `items x itemFeatures`: compare (and return) items by their feature rows; identity when omitted. */
  itemFeatures?: SparseMatrix;
  /** @default 1 */
  numThreads?: number;
}

/** Options of `similarUsers`. */
export interface SimilarUsersOptions {
  /** Similar users per query (capped at the number of other users). @default 10 */
  k?: number;
  /** `users x userFeatures`: compare (and return) users by their feature rows; identity when omitted. */
  userFeatures?: SparseMatrix;
  /** @default 1 */
  numThreads?: number;
}

/** New sizes for `resize`: feature embeddings per side (omitted sides keep their size). */
export interface ResizeOptions {
  /** Number of user feature embeddings (columns of `userFeatures`; users with identity features). */
  userFeatures?: number;
  /** Number of item feature embeddings (columns of `itemFeatures`; items with identity features). */
  itemFeatures?: number;
}

const RECOMMEND_KEYS: KnownKeys<RecommendOptions> = { k: true, exclude: true, items: true, userFeatures: true, itemFeatures: true, numThreads: true };
const SIMILAR_ITEMS_KEYS: KnownKeys<SimilarItemsOptions> = { k: true, itemFeatures: true, numThreads: true };
const SIMILAR_USERS_KEYS: KnownKeys<SimilarUsersOptions> = { k: true, userFeatures: true, numThreads: true };
const RESIZE_KEYS: KnownKeys<ResizeOptions> = { userFeatures: true, itemFeatures: true };

/** `recommend`'s options in the binding's form. */
export function recommendArgs(options: RecommendOptions | undefined): Binding.RecommendArgs {
  const where = 'recommend()';
  const o = readOptions(where, options, RECOMMEND_KEYS);
  const items = o.get('items');
  return {
    k: o.int('k', DEFAULT_K),
    exclude: o.csr('exclude'),
    items: items === undefined ? undefined : toIndexArray(`${where}: options.items`, items),
    userFeatures: o.csr('userFeatures'),
    itemFeatures: o.csr('itemFeatures'),
    numThreads: o.int('numThreads', 1),
  };
}

/** `similarItems` options: `[k, itemFeatures, numThreads]`. */
export function similarItemsArgs(options: SimilarItemsOptions | undefined): [number, Binding.CsrArg | undefined, number] {
  const o = readOptions('similarItems()', options, SIMILAR_ITEMS_KEYS);
  return [o.int('k', DEFAULT_K), o.csr('itemFeatures'), o.int('numThreads', 1)];
}

/** `similarUsers` options: `[k, userFeatures, numThreads]`. */
export function similarUsersArgs(options: SimilarUsersOptions | undefined): [number, Binding.CsrArg | undefined, number] {
  const o = readOptions('similarUsers()', options, SIMILAR_USERS_KEYS);
  return [o.int('k', DEFAULT_K), o.csr('userFeatures'), o.int('numThreads', 1)];
}

/** `resize`'s new sizes, defaulting to the current ones. */
export function resizeArgs(options: ResizeOptions, current: { user: number; item: number }): [number, number] {
  // Sizes count feature embeddings; with identity features that is the users and items.
  const aliases = { users: 'userFeatures', items: 'itemFeatures' };
  if (options === undefined) throw invalidArg('resize(): expected { userFeatures?, itemFeatures? }, got undefined');
  const o = readOptions('resize()', options, RESIZE_KEYS, { aliases });
  return [o.int('userFeatures', current.user, 0), o.int('itemFeatures', current.item, 0)];
}
