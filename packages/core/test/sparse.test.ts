import { describe, expect, it } from 'vitest';
import { CooMatrix, CsrMatrix } from '../src/index.js';
import { errorCode as code } from './errors.js';

describe('CooMatrix', () => {
  it('converts to canonical CSR, summing duplicates and keeping explicit zeros', () => {
    const m = CooMatrix.fromTriplets([1, 0, 1, 1], [2, 1, 0, 2], [1, 5, 0, 2], [2, 3]);
    const csr = m.toCsr();
    expect(Array.from(csr.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(csr.indices)).toEqual([1, 0, 2]);
    expect(Array.from(csr.data)).toEqual([5, 0, 3]);
    expect(csr.toDense().map((r) => Array.from(r))).toEqual(m.toDense().map((r) => Array.from(r)));
  });

  it('round-trips COO -> CSR -> COO -> CSR and transposes like dense', () => {
    const m = CooMatrix.fromTriplets([0, 2, 2, 1], [3, 0, 3, 1], [1, 2, 3, 4], [3, 4]);
    const csr = m.toCsr();
    expect(csr.toCoo().toCsr()).toEqual(csr);
    const t = csr.transpose().toDense();
    csr.toDense().forEach((row, i) => row.forEach((v, j) => expect(t[j]![i]).toBe(v)));
  });

  it('rejects bad input with stable codes and never mutates it', () => {
    expect(code(() => CooMatrix.fromTriplets([0, 3], [0, 0], [1, 1], [3, 3]))).toBe('ERR_INDEX_RANGE');
    expect(code(() => CooMatrix.fromTriplets([0], [0, 1], [1, 1], [3, 3]))).toBe('ERR_SHAPE');
    expect(code(() => CooMatrix.fromTriplets([0], [0], [Number.NaN], [3, 3]))).toBe('ERR_NOT_FINITE');
    expect(code(() => CooMatrix.fromTriplets([0], [0], [Infinity], [3, 3]))).toBe('ERR_NOT_FINITE');
    expect(code(() => CooMatrix.fromTriplets([-1], [0], [1], [3, 3]))).toBe('ERR_INDEX_RANGE');
    expect(code(() => CooMatrix.fromTriplets([0.5], [0], [1], [3, 3]))).toBe('ERR_INVALID_ARG');
    expect(code(() => CooMatrix.fromTriplets([0], [0], [1], [3, -1] as never))).toBe('ERR_INVALID_ARG');
    const row = Int32Array.of(1, 0);
    CooMatrix.fromTriplets(row, [0, 0], [1, 1], [2, 2]).toCsr();
    expect(Array.from(row)).toEqual([1, 0]);
  });
});

describe('CsrMatrix', () => {
  it('validates structure', () => {
    const ok = new CsrMatrix(Int32Array.of(0, 1, 2), Int32Array.of(0, 1), Float32Array.of(1, 1), [2, 2]);
    expect(ok.nnz).toBe(2);
    expect(code(() => new CsrMatrix(Int32Array.of(0, 2, 1), Int32Array.of(0, 1), Float32Array.of(1, 1), [2, 2]))).toBe('ERR_INVALID_ARG');
    expect(code(() => new CsrMatrix(Int32Array.of(0, 2), Int32Array.of(1, 1), Float32Array.of(1, 1), [1, 2]))).toBe('ERR_INVALID_ARG');
    expect(code(() => new CsrMatrix(Int32Array.of(0, 1), Int32Array.of(5), Float32Array.of(1), [1, 2]))).toBe('ERR_INDEX_RANGE');
    expect(code(() => new CsrMatrix(Int32Array.of(0), Int32Array.of(), Float32Array.of(), [1, 2]))).toBe('ERR_SHAPE');
  });

  it('builds identity and dense matrices and reads rows as views', () => {
    const i = CsrMatrix.identity(3);
    expect(i.toDense().map((r) => Array.from(r))).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const d = CsrMatrix.fromDense([
      [0, 2],
      [3, 0],
    ]);
    expect(Array.from(d.row(1).indices)).toEqual([0]);
    expect(Array.from(d.row(1).data)).toEqual([3]);
    expect(code(() => d.row(2))).toBe('ERR_INVALID_ARG');
  });
});
