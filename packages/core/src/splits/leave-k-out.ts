import type { CooMatrix, SparseMatrix } from '../sparse.js';
import { type KnownKeys, readOptions } from '../option-reader.js';
import { type TrainTest, type TrainTestWeights, entriesByRow, splitByMask, splitInput } from './entries.js';
import { generatorFor } from './prng.js';

/** Options of `leaveKOutSplit`. */
export interface LeaveKOutOptions {
  /** Test entries per user. @default 1 */
  k?: number;
  /** Seed (an integer in `0 .. 2^32 - 1`); the same seed gives the same split. @default random */
  randomState?: number;
  /**
   * Entries a user must keep in train. Users with fewer than `k + minTrain` entries are
   * not split: all their entries stay in train. @default 1
   */
  minTrain?: number;
  /** Weights with exactly the interactions' coordinates in the same order; split alongside. */
  weights?: CooMatrix;
}

const KEYS: KnownKeys<LeaveKOutOptions> = { k: true, randomState: true, minTrain: true, weights: true };

/**
 * Moves `k` entries of every user (row), chosen at random, to the test set. Users with
 * fewer than `k + minTrain` entries stay entirely in train, so every test user also has
 * train data.
 *
 * Train and test are disjoint as entries and together hold every entry; each keeps the
 * input's entry order and shape. Duplicate `(user, item)` entries are separate entries,
 * so merge them first (`m.toCsr().toCoo()`) if one must not land on both sides. The
 * choice depends only on the seed and the entries' order.
 *
 * @param interactions the matrix to split (users are rows)
 * @param options `k`, seed, `minTrain` and optional weights
 * @returns `[train, test]`, plus `[trainWeights, testWeights]` when `weights` is given
 * @throws LightFMError `ERR_INVALID_ARG` for `k < 1`, `minTrain < 0`, a bad seed, or weights
 *   with other coordinates (`ERR_SHAPE` for another shape)
 * @example
 * ```ts
 * const [train, test] = leaveKOutSplit(interactions, { k: 1, randomState: 7 });
 * ```
 */
export function leaveKOutSplit(interactions: SparseMatrix, options: LeaveKOutOptions & { weights: CooMatrix }): TrainTestWeights;
export function leaveKOutSplit(interactions: SparseMatrix, options?: LeaveKOutOptions): TrainTest;
export function leaveKOutSplit(interactions: SparseMatrix, options?: LeaveKOutOptions): TrainTest | TrainTestWeights {
  const where = 'leaveKOutSplit';
  const o = readOptions(where, options, KEYS);
  const k = o.int('k', 1);
  const minTrain = o.int('minTrain', 1, 0);
  const rng = generatorFor(o);
  const input = splitInput(where, interactions, o.get('weights'));
  const { starts, order } = entriesByRow(input.entries);
  const isTest = new Uint8Array(input.entries.nnz);
  for (let r = 0; r + 1 < starts.length; r++) {
    const start = starts[r] as number;
    const size = (starts[r + 1] as number) - start;
    if (size < k + minTrain) continue;
    // Partial Fisher-Yates: the first k of the user's entries after k swaps are a uniform sample.
    for (let t = 0; t < k; t++) {
      const j = start + t + rng.interval(size - 1 - t);
      const picked = order[j] as number;
      order[j] = order[start + t] as number;
      order[start + t] = picked;
      isTest[picked] = 1;
    }
  }
  return splitByMask(input, isTest);
}
