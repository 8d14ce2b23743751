// Which model rows to export and their folded vectors, a chunk at a time (a million-item
// catalogue is not held as one more copy per column).
import type { LightFM, NumericArray, SparseMatrix } from '@lightfm-ts/core';
import { describe, invalidArg } from '@lightfm-ts/core/internal';

/** Which side of the model a table holds. */
export type Side = 'users' | 'items';

/** Options shared by everything that exports vectors from a model. */
export interface ExportSource {
  /** `users x userFeatures`, as for the model's `exportEmbeddings` (cold users from their rows). */
  userFeatures?: SparseMatrix;
  /** `items x itemFeatures`, as `userFeatures`. */
  itemFeatures?: SparseMatrix;
  /** Threads computing the vectors. @default 1 */
  numThreads?: number;
}

/** One chunk of exported rows: `rows[r]`'s vector is `vectors.subarray(r * dim, (r + 1) * dim)`. */
export interface ExportedChunk {
  rows: Int32Array;
  vectors: Float32Array;
  dim: number;
}

/** The model rows to export: those given, else every row of the features or ids, else undefined (all). */
export function rowsToExport(where: string, rows: NumericArray | undefined, known: number | undefined): Int32Array | undefined {
  if (rows !== undefined) {
    if (rows === null || typeof rows !== 'object' || typeof rows.length !== 'number') throw invalidArg(`${where}: options.rows must be an array of model row indices, got ${describe(rows)}`);
    const out = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as number;
      if (!Number.isInteger(r) || r < 0 || r > 0x7fff_ffff) throw invalidArg(`${where}: options.rows must hold integer row indices >= 0, got ${describe(r)} at position ${i}`);
      out[i] = r;
    }
    return out;
  }
  if (known === undefined) return undefined;
  return Int32Array.from({ length: known }, (_, i) => i);
}

/** Exports `rows` of `side` (every row when undefined) in chunks of at most `chunk` rows. */
export function* exportChunks(model: LightFM, side: Side, rows: Int32Array | undefined, source: ExportSource, chunk: number): Generator<ExportedChunk> {
  const { userFeatures, itemFeatures, numThreads } = source;
  const run = (ids: Int32Array | undefined): ExportedChunk => {
    const e = model.exportEmbeddings(side === 'items' ? { userIds: [], itemIds: ids, itemFeatures, numThreads } : { itemIds: [], userIds: ids, userFeatures, numThreads });
    const vectors = side === 'items' ? e.itemVectors : e.userVectors;
    return { rows: ids ?? Int32Array.from({ length: vectors.length / e.dim }, (_, i) => i), vectors, dim: e.dim };
  };
  if (rows === undefined) {
    yield run(undefined);
    return;
  }
  // At least one chunk, so that writing no rows still creates the table.
  let start = 0;
  do {
    yield run(rows.subarray(start, start + chunk));
    start += chunk;
  } while (start < rows.length);
}
