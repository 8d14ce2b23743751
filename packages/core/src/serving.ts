// Options and results of the serving methods (recommend, similarItems, similarUsers,
// resize). The LightFM class delegates its argument handling here; the ranking itself is the
// core's (crates/lightfm-core/src/topk.rs).
import type { Binding } from './native.js';
import { invalidArg } from './errors.js';
import { type NumericArray, describe, toIndexArray } from './arrays.js';
import type { SparseMatrix } from './sparse.js';
import { optionalCsr, optionsObject, positiveInt } from './args.js';

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

const DEFAULT_K = 10;

/** `recommend`'s options in the binding's form. */
export function recommendArgs(options: RecommendOptions | undefined): Binding.RecommendArgs {
  const where = 'recommend()';
  const o = optionsObject(where, options);
  return {
    k: positiveInt(where, 'k', o.k, DEFAULT_K),
    exclude: optionalCsr(where, 'exclude', o.exclude),
    items: o.items === undefined ? undefined : toIndexArray(`${where}: items`, o.items),
    userFeatures: optionalCsr(where, 'userFeatures', o.userFeatures),
    itemFeatures: optionalCsr(where, 'itemFeatures', o.itemFeatures),
    numThreads: positiveInt(where, 'numThreads', o.numThreads, 1),
  };
}

/** `similarItems` / `similarUsers` options: `[k, features, numThreads]`. */
export function similarArgs(
  where: string,
  options: SimilarItemsOptions | SimilarUsersOptions | undefined,
  featuresName: 'itemFeatures' | 'userFeatures',
): [number, Binding.CsrArg | undefined, number] {
  const o = optionsObject(where, options) as Record<string, unknown>;
  return [
    positiveInt(where, 'k', o.k, DEFAULT_K),
    optionalCsr(where, featuresName, o[featuresName] as SparseMatrix | undefined),
    positiveInt(where, 'numThreads', o.numThreads, 1),
  ];
}

/** `resize`'s new sizes, defaulting to the current ones. */
export function resizeArgs(options: ResizeOptions, current: { user: number; item: number }): [number, number] {
  const where = 'resize()';
  if (options === null || typeof options !== 'object') {
    throw invalidArg(`${where}: expected { userFeatures?, itemFeatures? }, got ${describe(options)}`);
  }
  return [
    positiveInt(where, 'userFeatures', options.userFeatures, current.user, 0),
    positiveInt(where, 'itemFeatures', options.itemFeatures, current.item, 0),
  ];
}
