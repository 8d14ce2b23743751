import type { CooMatrix, SparseMatrix } from '../sparse.js';
import { type KnownKeys, readOptions } from '../option-reader.js';
import { type TrainTest, type TrainTestWeights, splitByOrder, splitInput } from './entries.js';
import { generatorFor } from './prng.js';

/** Options of `randomTrainTestSplit`. */
export interface RandomSplitOptions {
  /** Share of the entries that go to the test set. @default 0.2 */
  testPercentage?: number;
  /** Seed (an integer in `0 .. 2^32 - 1`); the same seed gives the same split. @default random */
  randomState?: number;
  /** Weights with exactly the interactions' coordinates in the same order; split alongside. */
  weights?: CooMatrix;
}

const KEYS: KnownKeys<RandomSplitOptions> = { testPercentage: true, randomState: true, weights: true };

/**
 * Splits the stored entries at random into train and test (LightFM's
 * `random_train_test_split`): the entries are shuffled, the first
 * `floor((1 - testPercentage) * nnz)` go to train and the rest to test.
 *
 * The two halves are disjoint as entries and together hold every entry; both keep the
 * input's shape. Duplicate coordinates are separate entries and can land in both halves;
 * users or items seen only in test are cold-start. The shuffle is numpy's legacy
 * `RandomState(randomState).shuffle`, so the same seed on the same entries in the same
 * order selects exactly what LightFM selects, in the same order.
 *
 * @param interactions the matrix to split (a CSR matrix is split by its row-major entries)
 * @param options test share, seed and optional weights
 * @returns `[train, test]`, plus `[trainWeights, testWeights]` when `weights` is given
 * @throws LightFMError `ERR_INVALID_ARG` for a test share outside `[0, 1]`, a bad seed, or
 *   weights with other coordinates (`ERR_SHAPE` for another shape)
 * @example
 * ```ts
 * const [train, test] = randomTrainTestSplit(interactions, { testPercentage: 0.2, randomState: 42 });
 * const [train, test, trainWeights, testWeights] = randomTrainTestSplit(interactions, { randomState: 42, weights });
 * ```
 */
export function randomTrainTestSplit(interactions: SparseMatrix, options: RandomSplitOptions & { weights: CooMatrix }): TrainTestWeights;
export function randomTrainTestSplit(interactions: SparseMatrix, options?: RandomSplitOptions): TrainTest;
export function randomTrainTestSplit(interactions: SparseMatrix, options?: RandomSplitOptions): TrainTest | TrainTestWeights {
  const where = 'randomTrainTestSplit';
  const o = readOptions(where, options, KEYS);
  const testPercentage = o.number('testPercentage', 0.2, 0, 1);
  const rng = generatorFor(o);
  const input = splitInput(where, interactions, o.get('weights'));
  const n = input.entries.nnz;
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  rng.shuffle(order);
  // LightFM's cut, computed the same way in float64: int((1.0 - p) * nnz).
  return splitByOrder(input, order, Math.floor((1 - testPercentage) * n));
}
