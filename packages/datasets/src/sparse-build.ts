import { CooMatrix, CsrMatrix } from '@lightfm-ts/core';

/**
 * `[a | b]`: the columns of `b` appended to those of `a` (same row count), as scipy's
 * `hstack(...).tocsr()`. Both inputs are canonical CSR, so the result is too.
 */
export function hstackCsr(a: CsrMatrix, b: CsrMatrix): CsrMatrix {
  const rows = a.shape[0];
  const offset = a.shape[1];
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(a.nnz + b.nnz);
  const data = new Float32Array(a.nnz + b.nnz);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    for (let p = a.indptr[r] as number; p < (a.indptr[r + 1] as number); p++, k++) {
      indices[k] = a.indices[p] as number;
      data[k] = a.data[p] as number;
    }
    for (let p = b.indptr[r] as number; p < (b.indptr[r + 1] as number); p++, k++) {
      indices[k] = offset + (b.indices[p] as number);
      data[k] = b.data[p] as number;
    }
    indptr[r + 1] = k;
  }
  return new CsrMatrix(indptr, indices, data, [rows, offset + b.shape[1]]);
}

/**
 * A row-major COO with one entry of value 1 per distinct `(row, col)` pair: repeated pairs
 * collapse into one (sorting and merging is the core's COO-to-CSR conversion).
 */
export function binaryCoo(row: Int32Array, col: Int32Array, shape: [number, number]): CooMatrix {
  const csr = new CooMatrix(row, col, new Float32Array(row.length), shape).toCsr();
  return new CsrMatrix(csr.indptr, csr.indices, new Float32Array(csr.nnz).fill(1), shape).toCoo();
}
