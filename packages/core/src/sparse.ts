import type { Binding } from './native.js';
import { native } from './native.js';
import { getHeapStatistics } from 'node:v8';
import { LightFMError, call, invalidArg } from './errors.js';
import { type NumericArray, describe, numericArray, ownedView, toFloat32, toIndexArray, typedArrayArg } from './arrays.js';

/** `[rows, cols]`. */
export type Shape = [rows: number, cols: number];

function checkShape(shape: unknown): Shape {
  if (
    !Array.isArray(shape) ||
    shape.length !== 2 ||
    !shape.every((n) => Number.isInteger(n) && n >= 0 && n <= 0x7fffffff)
  ) {
    throw invalidArg(`shape must be [rows, cols] with non-negative integers, got ${describe(shape)}`);
  }
  return [shape[0], shape[1]];
}

/** What V8 keeps for each typed array object, about (measured on Node 20: ~130 bytes). */
const TYPED_ARRAY_OVERHEAD = 256;

/**
 * Zeroed dense rows of `shape`, refused (`ERR_OUT_OF_MEMORY`) when the machine cannot hold
 * their values or V8's heap their row objects (running out of heap ends the process).
 */
function denseRows([rows, cols]: Shape): Float64Array[] {
  call(() => native.checkMemory('a dense matrix', rows * cols * Float64Array.BYTES_PER_ELEMENT));
  const objects = rows * TYPED_ARRAY_OVERHEAD;
  if (objects > getHeapStatistics().total_available_size / 2) {
    throw new LightFMError('ERR_OUT_OF_MEMORY', `toDense: ${rows} row arrays would need about ${objects} bytes of JavaScript heap, more than is free; read rows one at a time with CsrMatrix.row(i) or use the sparse arrays`);
  }
  return Array.from({ length: rows }, () => new Float64Array(cols));
}

/**
 * A sparse matrix in coordinate format: entry `k` is `data[k]` at `(row[k], col[k])`.
 * Duplicate coordinates are allowed; in training each one is its own example.
 *
 * The constructor validates everything (lengths, index ranges, finite values) and keeps the
 * arrays you pass without copying them; do not modify them afterwards. Arrays backed by a
 * `SharedArrayBuffer` are the exception: they are copied once here, so another thread writing
 * to them cannot change a matrix that was already validated.
 *
 * Do not transfer (`postMessage`, `structuredClone(x, { transfer })`) the buffers of a matrix
 * you still use: a transferred buffer reads as empty, so every method that hands the matrix to
 * the core (training, prediction, conversions) throws `ERR_INVALID_ARG` for it instead of
 * working on an empty matrix. Transfer a copy (`m.row.slice()`) instead.
 */
export class CooMatrix {
  readonly shape: Shape;
  readonly row: Int32Array;
  readonly col: Int32Array;
  readonly data: Float32Array;

  /**
   * @throws {LightFMError} `ERR_INVALID_ARG` when an array is not an `Int32Array` /
   *   `Float32Array` (use {@link CooMatrix.fromTriplets} for other arrays) or its buffer was
   *   transferred; `ERR_SHAPE`, `ERR_INDEX_RANGE`, `ERR_NOT_FINITE` for invalid contents
   */
  constructor(row: Int32Array, col: Int32Array, data: Float32Array, shape: Shape) {
    this.shape = checkShape(shape);
    const hint = 'build the matrix from other arrays with CooMatrix.fromTriplets';
    this.row = typedArrayArg('CooMatrix: row', row, 'Int32Array', hint);
    this.col = typedArrayArg('CooMatrix: col', col, 'Int32Array', hint);
    this.data = typedArrayArg('CooMatrix: data', data, 'Float32Array', hint);
    call(() => native.validateCoo(this.toNative()));
  }

  /**
   * Builds a matrix from plain or typed arrays (copied when they are not already
   * `Int32Array` / `Float32Array`). Every element must be a `number`: strings, booleans,
   * `null`, nested arrays and bigint typed arrays are refused, never converted.
   *
   * @throws {LightFMError} `ERR_INVALID_ARG` for a non-number element (naming the argument
   *   and index) or a transferred buffer; otherwise as the constructor
   *
   * @example
   * ```ts
   * const m = CooMatrix.fromTriplets([0, 1], [2, 0], [1, 1], [2, 3]);
   * ```
   */
  static fromTriplets(rows: NumericArray, cols: NumericArray, data: NumericArray, shape: Shape): CooMatrix {
    return new CooMatrix(toIndexArray('rows', rows), toIndexArray('cols', cols), toFloat32('data', data), shape);
  }

  /** Number of stored entries. */
  get nnz(): number {
    return this.data.length;
  }

  /** Canonical CSR: column indices sorted, duplicates summed, explicit zeros kept. */
  toCsr(): CsrMatrix {
    return CsrMatrix.fromNative(call(() => native.cooToCsr(this.toNative())));
  }

  /** Dense rows (duplicates summed); for small matrices and tests. */
  toDense(): Float64Array[] {
    const { row, col, data } = this.toNative();
    const out = denseRows(this.shape);
    for (let k = 0; k < data.length; k++) (out[row[k] as number] as Float64Array)[col[k] as number]! += data[k] as number;
    return out;
  }

  /**
   * @internal The arrays for the core, checked not to have been transferred since the
   * matrix was built (every use of the matrix goes through here).
   */
  toNative(): Binding.CooArg {
    return {
      rows: this.shape[0],
      cols: this.shape[1],
      row: ownedView('CooMatrix.row', this.row),
      col: ownedView('CooMatrix.col', this.col),
      data: ownedView('CooMatrix.data', this.data),
    };
  }

  /** @internal */
  static fromNative(m: Binding.CooArg): CooMatrix {
    return Object.assign(Object.create(CooMatrix.prototype) as CooMatrix, {
      shape: [m.rows, m.cols] as Shape,
      row: m.row,
      col: m.col,
      data: m.data,
    });
  }
}

/**
 * A sparse matrix in compressed-sparse-row format. Row `i` holds columns
 * `indices[indptr[i] .. indptr[i+1]]`, strictly increasing, with values `data[...]`.
 * The constructor validates the structure; build one from a `CooMatrix` with `toCsr()`.
 *
 * As with {@link CooMatrix}, arrays backed by a `SharedArrayBuffer` are copied once by the
 * constructor, and a matrix whose buffers were transferred afterwards throws
 * `ERR_INVALID_ARG` wherever it is used instead of reading as empty.
 */
export class CsrMatrix {
  readonly shape: Shape;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float32Array;

  /**
   * @throws {LightFMError} `ERR_INVALID_ARG` when an array is not an `Int32Array` /
   *   `Float32Array` or its buffer was transferred; `ERR_SHAPE`, `ERR_INDEX_RANGE`,
   *   `ERR_NOT_FINITE` for an invalid structure or values
   */
  constructor(indptr: Int32Array, indices: Int32Array, data: Float32Array, shape: Shape) {
    this.shape = checkShape(shape);
    const hint = 'build the matrix from other arrays with CooMatrix.fromTriplets(...).toCsr() or CsrMatrix.fromDense';
    this.indptr = typedArrayArg('CsrMatrix: indptr', indptr, 'Int32Array', hint);
    this.indices = typedArrayArg('CsrMatrix: indices', indices, 'Int32Array', hint);
    this.data = typedArrayArg('CsrMatrix: data', data, 'Float32Array', hint);
    call(() => native.validateCsr(this.toNative()));
  }

  /** The `n x n` identity: the default (one feature per user or item). */
  static identity(n: number): CsrMatrix {
    const [rows] = checkShape([n, n]);
    return CsrMatrix.fromNative(call(() => native.csrIdentity(rows)));
  }

  /**
   * From dense rows (plain or typed arrays of numbers); zeros are not stored.
   * @throws {LightFMError} `ERR_INVALID_ARG` when `rows` is not an array of arrays of
   *   numbers (naming the row and column) or rows differ in length; `ERR_NOT_FINITE` for NaN
   *   or infinite values
   */
  static fromDense(rows: ArrayLike<number>[]): CsrMatrix {
    if (!Array.isArray(rows)) throw invalidArg(`fromDense: rows must be an array of rows (arrays of numbers), got ${describe(rows)}`);
    const dense = Array.from(rows as unknown[], (r, i) => numericArray(`fromDense: rows[${i}]`, r));
    const cols = dense.length ? (dense[0] as ArrayLike<number>).length : 0;
    const indptr = new Int32Array(dense.length + 1);
    const indices: number[] = [];
    const data: number[] = [];
    dense.forEach((r, i) => {
      if (r.length !== cols) throw invalidArg(`fromDense: row ${i} has ${r.length} columns, expected ${cols}`);
      for (let j = 0; j < cols; j++) {
        if (r[j] !== 0) {
          indices.push(j);
          data.push(r[j] as number);
        }
      }
      indptr[i + 1] = indices.length;
    });
    return new CsrMatrix(indptr, Int32Array.from(indices), Float32Array.from(data), [dense.length, cols]);
  }

  get nnz(): number {
    return this.data.length;
  }

  /** Column indices and values of row `i`, as views (no copy). */
  row(i: number): { indices: Int32Array; data: Float32Array } {
    if (!Number.isInteger(i) || i < 0 || i >= this.shape[0]) {
      throw invalidArg(`row index must be an integer in 0..${this.shape[0] - 1}, got ${describe(i)}`);
    }
    const { indptr, indices, data } = this.toNative();
    const s = indptr[i] as number;
    const e = indptr[i + 1] as number;
    return { indices: indices.subarray(s, e), data: data.subarray(s, e) };
  }

  /** Row-major COO. */
  toCoo(): CooMatrix {
    return CooMatrix.fromNative(call(() => native.csrToCoo(this.toNative())));
  }

  transpose(): CsrMatrix {
    return CsrMatrix.fromNative(call(() => native.csrTranspose(this.toNative())));
  }

  toDense(): Float64Array[] {
    const out = denseRows(this.shape);
    for (let i = 0; i < this.shape[0]; i++) {
      const { indices, data } = this.row(i);
      indices.forEach((c, k) => ((out[i] as Float64Array)[c] = data[k] as number));
    }
    return out;
  }

  /** @internal The arrays for the core, checked as {@link CooMatrix.toNative} does. */
  toNative(): Binding.CsrArg {
    return {
      rows: this.shape[0],
      cols: this.shape[1],
      indptr: ownedView('CsrMatrix.indptr', this.indptr),
      indices: ownedView('CsrMatrix.indices', this.indices),
      data: ownedView('CsrMatrix.data', this.data),
    };
  }

  /** @internal Wraps arrays that are known to be valid (from the core). */
  static fromNative(m: Binding.CsrArg): CsrMatrix {
    return CsrMatrix.trusted(m.indptr, m.indices, m.data, [m.rows, m.cols]);
  }

  private static trusted(indptr: Int32Array, indices: Int32Array, data: Float32Array, shape: Shape): CsrMatrix {
    return Object.assign(Object.create(CsrMatrix.prototype) as CsrMatrix, { shape, indptr, indices, data });
  }
}

/** A matrix argument: either format is accepted. */
export type SparseMatrix = CooMatrix | CsrMatrix;

/** `m` as CSR; a matrix passed through is checked by `toNative` (not transferred). */
export function asCsr(what: string, m: SparseMatrix): CsrMatrix {
  if (m instanceof CsrMatrix) {
    m.toNative();
    return m;
  }
  if (m instanceof CooMatrix) return m.toCsr();
  throw notAMatrix(what, m);
}

/** `m` as COO; a matrix passed through is checked by `toNative` (not transferred). */
export function asCoo(what: string, m: SparseMatrix): CooMatrix {
  if (m instanceof CooMatrix) {
    m.toNative();
    return m;
  }
  if (m instanceof CsrMatrix) return m.toCoo();
  throw notAMatrix(what, m);
}

/** The error for a value that is not a sparse matrix, with how to build one from it. */
function notAMatrix(what: string, m: unknown): Error {
  const rows = Array.isArray(m) ? m.filter((r): r is ArrayLike<unknown> => Array.isArray(r) || ArrayBuffer.isView(r)) : [];
  const ids = rows.some((r) => Array.from(r).some((v) => typeof v !== 'number'));
  const fix = !Array.isArray(m)
    ? ''
    : ids
      ? '; for [user, item, weight?] tuples of your ids, map them with a Dataset: new Dataset().fit(users, items).buildInteractions(tuples)'
      : '; a dense 2-D array becomes one with CsrMatrix.fromDense(rows); [user, item, weight] index triples with CooMatrix.fromTriplets(users, items, weights, shape), or Dataset.buildInteractions(tuples) for ids of any kind';
  return invalidArg(`${what} must be a CooMatrix or CsrMatrix, got ${describe(m)}${fix}`);
}
