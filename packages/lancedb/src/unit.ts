// The `unit` column: each item's embedding (the folded vector without its two bias slots)
// scaled to length 1, so a dot-product search on it ranks by cosine, as core's `similarItems`.
import type { Vector } from 'apache-arrow';
import type { Arrow } from './arrow-module.js';
import { vectorColumn } from './columns.js';

export const UNIT_COLUMN = 'unit';

/** The unit embeddings of `vectors` (`dim` floats each, the last two the folded biases). */
export function unitColumn(arrow: Arrow, vectors: Float32Array, dim: number): Vector {
  const d = dim - 2;
  const rows = vectors.length / dim;
  const out = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (vectors[r * dim + j] as number) ** 2;
    // A zero embedding stays zero: similarity 0 with everything, as in core.
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < d; j++) out[r * d + j] = (vectors[r * dim + j] as number) * scale;
  }
  return vectorColumn(arrow, out, d);
}
