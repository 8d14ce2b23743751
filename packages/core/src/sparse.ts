import type { Binding } from './native.js';
import { native } from './native.js';
import { call, invalidArg } from './errors.js';
import { type NumericArray, describe, toFloat32, toIndexArray } from './arrays.js';

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

/**
 * A sparse matrix in coordinate format: entry `k` is `data[k]` at `(row[k], col[k])`.
 * Duplicate coordinates are allowed; in training each one is its own example.
 *
 * The constructor validates everything (lengths, index ranges, finite values) and keeps the
 * arrays you pass without copying them; do not modify them afterwards.
 */
export class CooMatrix {
  readonly shape: Shape;
  readonly row: Int32Array;
  readonly col: Int32Array;
  readonly data: Float32Array;

  constructor(row: Int32Array, col: Int32Array, data: Float32Array, shape: Shape) {
    this.shape = checkShape(shape);
    this.row = row;
    this.col = col;
    this.data = data;
    call(() => native.validateCoo(this.toNative()));
  }

  /**
   * Builds a matrix from plain or typed arrays (copied when they are not already
   * `Int32Array` / `Float32Array`).
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
    const out = Array.from({ length: this.shape[0] }, () => new Float64Array(this.shape[1]));
    for (let k = 0; k < this.nnz; k++) (out[this.row[k] as number] as Float64Array)[this.col[k] as number]! += this.data[k] as number;
    return out;
  }

  /** @internal */
  toNative(): Binding.CooArg {
    return { rows: this.shape[0], cols: this.shape[1], row: this.row, col: this.col, data: this.data };
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
 */
export class CsrMatrix {
  readonly shape: Shape;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float32Array;

  constructor(indptr: Int32Array, indices: Int32Array, data: Float32Array, shape: Shape) {
    this.shape = checkShape(shape);
    this.indptr = indptr;
    this.indices = indices;
    this.data = data;
    call(() => native.validateCsr(this.toNative()));
  }

  /** The `n x n` identity: the default (one feature per user or item). */
  static identity(n: number): CsrMatrix {
    const [rows] = checkShape([n, n]);
    const indptr = new Int32Array(rows + 1);
    for (let i = 0; i <= rows; i++) indptr[i] = i;
    return CsrMatrix.trusted(indptr, indptr.slice(0, rows), new Float32Array(rows).fill(1), [rows, rows]);
  }

  /** From dense rows; zeros are not stored. */
  static fromDense(rows: ArrayLike<number>[]): CsrMatrix {
    const cols = rows.length ? (rows[0] as ArrayLike<number>).length : 0;
    const indptr = new Int32Array(rows.length + 1);
    const indices: number[] = [];
    const data: number[] = [];
    rows.forEach((r, i) => {
      if (r.length !== cols) throw invalidArg(`fromDense: row ${i} has ${r.length} columns, expected ${cols}`);
      for (let j = 0; j < cols; j++) {
        if (r[j] !== 0) {
          indices.push(j);
          data.push(r[j] as number);
        }
      }
      indptr[i + 1] = indices.length;
    });
    return new CsrMatrix(indptr, Int32Array.from(indices), Float32Array.from(data), [rows.length, cols]);
  }

  get nnz(): number {
    return this.data.length;
  }

  /** Column indices and values of row `i`, as views (no copy). */
  row(i: number): { indices: Int32Array; data: Float32Array } {
    if (!Number.isInteger(i) || i < 0 || i >= this.shape[0]) {
      throw invalidArg(`row index must be an integer in 0..${this.shape[0] - 1}, got ${describe(i)}`);
    }
    const s = this.indptr[i] as number;
    const e = this.indptr[i + 1] as number;
    return { indices: this.indices.subarray(s, e), data: this.data.subarray(s, e) };
  }

  /** Row-major COO. */
  toCoo(): CooMatrix {
    return CooMatrix.fromNative(call(() => native.csrToCoo(this.toNative())));
  }

  transpose(): CsrMatrix {
    return CsrMatrix.fromNative(call(() => native.csrTranspose(this.toNative())));
  }

  toDense(): Float64Array[] {
    const out = Array.from({ length: this.shape[0] }, () => new Float64Array(this.shape[1]));
    for (let i = 0; i < this.shape[0]; i++) {
      const { indices, data } = this.row(i);
      indices.forEach((c, k) => ((out[i] as Float64Array)[c] = data[k] as number));
    }
    return out;
  }

  /** @internal */
  toNative(): Binding.CsrArg {
    return { rows: this.shape[0], cols: this.shape[1], indptr: this.indptr, indices: this.indices, data: this.data };
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

export function asCsr(what: string, m: SparseMatrix): CsrMatrix {
  if (m instanceof CsrMatrix) return m;
  if (m instanceof CooMatrix) return m.toCsr();
  throw invalidArg(`${what} must be a CooMatrix or CsrMatrix, got ${describe(m)}`);
}

export function asCoo(what: string, m: SparseMatrix): CooMatrix {
  if (m instanceof CooMatrix) return m;
  if (m instanceof CsrMatrix) return m.toCoo();
  throw invalidArg(`${what} must be a CooMatrix or CsrMatrix, got ${describe(m)}`);
}
