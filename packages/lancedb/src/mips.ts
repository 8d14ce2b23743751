// The inner-product-to-distance transform (Bachrach et al. 2014; implicit uses it for annoy
// and nmslib), owned here and nowhere else. Every stored item vector x gets one more
// coordinate sqrt(M² - |x|²), M the longest vector's norm, so all stored vectors have norm M;
// a query gets 0. Then |q - x|² = |q|² + M² - 2 q·x: the nearest item by L2 is the one with the
// largest dot product, which an L2 index (balanced partitions, unlike dot-product k-means)
// finds well. The dot product itself is unchanged, so flat search and rescoring use it as is.
import { LightFMError } from '@lightfm-ts/core';

/** The largest squared norm among `rows` vectors of `dim` floats. */
export function maxSquaredNorm(vectors: Float32Array, dim: number): number {
  let max = 0;
  for (let r = 0; r * dim < vectors.length; r++) max = Math.max(max, squaredNorm(vectors, r * dim, dim));
  return max;
}

/** The vectors with their extra coordinate, `dim + 1` floats each, for a table whose M² is `m2`. */
export function augmentItems(where: string, vectors: Float32Array, dim: number, m2: number): Float32Array {
  const rows = vectors.length / dim;
  const out = new Float32Array(rows * (dim + 1));
  for (let r = 0; r < rows; r++) {
    const n2 = squaredNorm(vectors, r * dim, dim);
    // Float rounding of the stored norm is tolerated; a genuinely longer vector is not.
    if (n2 > m2 * (1 + 1e-5)) {
      throw new LightFMError('ERR_SHAPE', `${where}: an item vector is longer (norm ${Math.sqrt(n2)}) than the table's longest (${Math.sqrt(m2)}), which its index is built around; write every item again with mode 'overwrite'`);
    }
    out.set(vectors.subarray(r * dim, (r + 1) * dim), r * (dim + 1));
    out[r * (dim + 1) + dim] = Math.sqrt(Math.max(0, m2 - n2));
  }
  return out;
}

/** M² of a table: every stored vector has that squared norm, so one row tells. */
export function tableSquaredNorm(stored: Float32Array): number {
  return squaredNorm(stored, 0, stored.length);
}

/** A query as stored vectors are: its extra coordinate is 0. */
export function augmentQuery(vector: Float32Array): Float32Array {
  const out = new Float32Array(vector.length + 1);
  out.set(vector);
  return out;
}

function squaredNorm(v: Float32Array, start: number, dim: number): number {
  let s = 0;
  for (let j = start; j < start + dim; j++) s += (v[j] as number) ** 2;
  return s;
}
