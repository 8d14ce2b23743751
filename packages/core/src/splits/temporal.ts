import { invalidArg } from '../errors.js';
import { type KnownKeys, readOptions } from '../option-reader.js';
import { describe, numericArray } from '../arrays.js';
import type { CooMatrix, SparseMatrix } from '../sparse.js';
import { type TrainTest, type TrainTestWeights, entriesByRow, splitByMask, splitInput } from './entries.js';

/** Options of `temporalSplit`: give `testFraction` or `cutoff`, not both. */
export interface TemporalSplitOptions {
  /** Share of the latest entries that go to test (globally, or per user with `perUser`). @default 0.2 */
  testFraction?: number;
  /** Entries at or after this time go to test, earlier ones to train (global only). */
  cutoff?: number;
  /** Split each user's (row's) own history instead of the whole matrix at once. @default false */
  perUser?: boolean;
  /** With `perUser`: entries a user keeps in train whatever `testFraction` says. @default 1 */
  minTrain?: number;
  /** Weights with exactly the interactions' coordinates in the same order; split alongside. */
  weights?: CooMatrix;
}

const KEYS: KnownKeys<TemporalSplitOptions> = { testFraction: true, cutoff: true, perUser: true, minTrain: true, weights: true };

function checkTimes(where: string, times: unknown, nnz: number): ArrayLike<number> {
  const t = numericArray(`${where}: timestamps`, times);
  if (t.length !== nnz) throw invalidArg(`${where}: timestamps has ${t.length} values; the interactions have ${nnz} entries`);
  for (let k = 0; k < nnz; k++) {
    if (!Number.isFinite(t[k])) throw invalidArg(`${where}: timestamps[${k}] must be a finite number, got ${describe(t[k])}`);
  }
  return t;
}

/**
 * Marks as test all but the `trainCount` earliest of the entries `order[start .. end]`.
 * Entries with equal times are taken in input order, so the earlier-listed go to train
 * and no test entry is older than a train entry.
 */
function markLatest(
  order: Int32Array,
  start: number,
  end: number,
  times: ArrayLike<number>,
  trainCount: number,
  isTest: Uint8Array,
  scratch: Float64Array,
): void {
  const size = end - start;
  if (trainCount >= size) return;
  const sorted = scratch.subarray(0, size);
  for (let t = 0; t < size; t++) sorted[t] = times[order[start + t] as number] as number;
  sorted.sort();
  const cut = sorted[trainCount] as number; // the earliest test time
  let before = trainCount;
  while (before > 0 && sorted[before - 1] === cut) before--;
  let tiesToTrain = trainCount - before;
  for (let t = start; t < end; t++) {
    const e = order[t] as number;
    const time = times[e] as number;
    if (time > cut) isTest[e] = 1;
    else if (time === cut) {
      if (tiesToTrain > 0) tiesToTrain--;
      else isTest[e] = 1;
    }
  }
}

/**
 * Splits interactions by time: earlier entries train, later ones test.
 *
 * - `cutoff`: entries with `timestamp < cutoff` go to train, the rest to test.
 * - `testFraction` (global): the latest `nnz - floor((1 - testFraction) * nnz)` entries go to test.
 * - `testFraction` with `perUser`: the same rule inside each user's (row's) entries,
 *   keeping at least `minTrain` entries of every user in train.
 *
 * Equal timestamps at the boundary are split in input order (earlier-listed entries to
 * train), so no test entry is older than a train entry of the same scope. Train and test
 * are disjoint as entries, together hold every entry, keep the input's entry order and
 * shape, and the result is deterministic (no randomness).
 *
 * @param interactions the matrix to split (users are rows)
 * @param timestamps one finite number per stored entry, in the entries' order (for a
 *   `CsrMatrix`, its entries row by row); a `Float64Array` keeps Unix times exact
 * @param options `testFraction` or `cutoff`, `perUser`, `minTrain`, optional weights
 * @returns `[train, test]`, plus `[trainWeights, testWeights]` when `weights` is given
 * @throws LightFMError `ERR_INVALID_ARG` for timestamps of the wrong length or not finite,
 *   both or a bad `testFraction` / `cutoff`, `cutoff` with `perUser`, or misaligned weights
 * @example
 * ```ts
 * const [train, test] = temporalSplit(interactions, times, { testFraction: 0.1, perUser: true });
 * ```
 */
export function temporalSplit(
  interactions: SparseMatrix,
  timestamps: ArrayLike<number>,
  options: TemporalSplitOptions & { weights: CooMatrix },
): TrainTestWeights;
export function temporalSplit(interactions: SparseMatrix, timestamps: ArrayLike<number>, options?: TemporalSplitOptions): TrainTest;
export function temporalSplit(
  interactions: SparseMatrix,
  timestamps: ArrayLike<number>,
  options?: TemporalSplitOptions,
): TrainTest | TrainTestWeights {
  const where = 'temporalSplit';
  const o = readOptions(where, options, KEYS);
  const perUser = o.flag('perUser', false);
  const cutoff = o.number('cutoff', undefined);
  if (cutoff !== undefined && o.get('testFraction') !== undefined) throw invalidArg(`${where}: give testFraction or cutoff, not both`);
  if (cutoff !== undefined && perUser) throw invalidArg(`${where}: cutoff is one global time; use testFraction with perUser`);
  if (o.get('minTrain') !== undefined && !perUser) throw invalidArg(`${where}: minTrain applies only with perUser: true`);
  const testFraction = o.number('testFraction', 0.2, 0, 1);
  const minTrain = o.int('minTrain', 1, 0);
  const input = splitInput(where, interactions, o.get('weights'));
  const n = input.entries.nnz;
  const times = checkTimes(where, timestamps, n);
  const isTest = new Uint8Array(n);

  if (cutoff !== undefined) {
    for (let k = 0; k < n; k++) if ((times[k] as number) >= cutoff) isTest[k] = 1;
  } else if (perUser) {
    const { starts, order } = entriesByRow(input.entries);
    let largest = 0;
    for (let r = 0; r + 1 < starts.length; r++) largest = Math.max(largest, (starts[r + 1] as number) - (starts[r] as number));
    const scratch = new Float64Array(largest);
    for (let r = 0; r + 1 < starts.length; r++) {
      const start = starts[r] as number;
      const size = (starts[r + 1] as number) - start;
      const trainCount = Math.max(Math.floor((1 - testFraction) * size), Math.min(size, minTrain));
      markLatest(order, start, start + size, times, trainCount, isTest, scratch);
    }
  } else {
    const order = new Int32Array(n);
    for (let k = 0; k < n; k++) order[k] = k;
    markLatest(order, 0, n, times, Math.floor((1 - testFraction) * n), isTest, new Float64Array(n));
  }
  return splitByMask(input, isTest);
}
