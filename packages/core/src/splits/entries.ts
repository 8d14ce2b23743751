import { LightFMError, invalidArg } from '../errors.js';
import { describe } from '../arrays.js';
import { CooMatrix, type SparseMatrix, asCoo, ownMatrix } from '../sparse.js';

/** `[train, test]`. */
export type TrainTest = [train: CooMatrix, test: CooMatrix];

/** `[train, test, trainWeights, testWeights]`, when weights were given. */
export type TrainTestWeights = [train: CooMatrix, test: CooMatrix, trainWeights: CooMatrix, testWeights: CooMatrix];

/** The input of a split: the entries to divide and the weights that follow them. */
export interface SplitInput {
  entries: CooMatrix;
  weights: CooMatrix | undefined;
}

function sameArray(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The interactions as COO entries (a CSR matrix gives its entries row by row), and the
 * optional weights checked to have exactly those coordinates in the same order.
 * @throws LightFMError `ERR_SHAPE` / `ERR_INVALID_ARG` when the weights do not line up
 */
export function splitInput(where: string, interactions: SparseMatrix, weightsArg: unknown): SplitInput {
  const entries = asCoo(`${where}: interactions`, interactions);
  const weights = ownMatrix(weightsArg);
  if (weights === undefined) return { entries, weights: undefined };
  if (!(weights instanceof CooMatrix)) throw invalidArg(`${where}: weights must be a CooMatrix, got ${describe(weights)}`);
  if (weights.shape[0] !== entries.shape[0] || weights.shape[1] !== entries.shape[1]) {
    throw new LightFMError('ERR_SHAPE', `${where}: weights shape [${weights.shape}] differs from the interactions' [${entries.shape}]`);
  }
  if (!sameArray(weights.row, entries.row) || !sameArray(weights.col, entries.col)) {
    throw invalidArg(
      `${where}: weights must have exactly the interactions' entries in the same order (build both with Dataset.buildInteractions)`,
    );
  }
  return { entries, weights };
}

/** The entries at `indices`, in that order, as a new matrix (no array shared with `m`). */
function gather(m: CooMatrix, indices: Int32Array): CooMatrix {
  const n = indices.length;
  const row = new Int32Array(n);
  const col = new Int32Array(n);
  const data = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const e = indices[k] as number;
    row[k] = m.row[e] as number;
    col[k] = m.col[e] as number;
    data[k] = m.data[e] as number;
  }
  // Entries of a valid matrix, so no need to validate again.
  return CooMatrix.fromNative({ rows: m.shape[0], cols: m.shape[1], row, col, data });
}

/** Train takes the entries `order[0 .. trainCount]`, test the rest, each in that order. */
export function splitByOrder(input: SplitInput, order: Int32Array, trainCount: number): TrainTest | TrainTestWeights {
  const train = order.subarray(0, trainCount);
  const test = order.subarray(trainCount);
  const out: CooMatrix[] = [gather(input.entries, train), gather(input.entries, test)];
  if (input.weights !== undefined) out.push(gather(input.weights, train), gather(input.weights, test));
  return out as TrainTest | TrainTestWeights;
}

/** Train takes the entries with `isTest[k] === 0`, test the others, both in input order. */
export function splitByMask(input: SplitInput, isTest: Uint8Array): TrainTest | TrainTestWeights {
  const n = isTest.length;
  let testCount = 0;
  for (let k = 0; k < n; k++) testCount += isTest[k] as number;
  const order = new Int32Array(n);
  let train = 0;
  let test = n - testCount;
  for (let k = 0; k < n; k++) order[isTest[k] ? test++ : train++] = k;
  return splitByOrder(input, order, n - testCount);
}

/**
 * Entry indices grouped by row, each row's entries in input order (a counting sort):
 * row `r` owns `order[starts[r] .. starts[r + 1]]`.
 */
export function entriesByRow(m: CooMatrix): { starts: Int32Array; order: Int32Array } {
  const rows = m.shape[0];
  const starts = new Int32Array(rows + 1);
  for (let k = 0; k < m.nnz; k++) starts[(m.row[k] as number) + 1]!++;
  for (let r = 0; r < rows; r++) starts[r + 1] = (starts[r + 1] as number) + (starts[r] as number);
  const next = starts.slice(0, rows);
  const order = new Int32Array(m.nnz);
  for (let k = 0; k < m.nnz; k++) order[next[m.row[k] as number]!++] = k;
  return { starts, order };
}
