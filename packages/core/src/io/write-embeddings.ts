// writeEmbeddings: exported vectors with their ids to a Parquet or Arrow IPC file, written by
// the Rust writer (crates/lightfm-io/src/embeddings.rs).
import { extname } from 'node:path';
import { call, fromNative, invalidArg } from '../errors.js';
import { describe } from '../arrays.js';
import { native } from '../native.js';
import { type KnownKeys, readOptions } from '../option-reader.js';
import type { Id } from '../dataset/ids.js';

/** Vectors to write: `ids[i]` has `vectors.subarray(i * dim, (i + 1) * dim)`. */
export interface EmbeddingsTable {
  /** One id per vector (numbers are written as their decimal text). */
  ids: ArrayLike<Id>;
  /** `ids.length * dim` floats, row-major (`userVectors` or `itemVectors` of `exportEmbeddings`). */
  vectors: Float32Array;
  /** Floats per vector. */
  dim: number;
}

/** Options of {@link writeEmbeddings}. */
export interface WriteEmbeddingsOptions {
  /** `'parquet'` or `'arrow'` (Arrow IPC file). @default from the extension: `.arrow`, `.feather`, `.ipc` Arrow, otherwise Parquet */
  format?: 'parquet' | 'arrow';
}

const KEYS: KnownKeys<WriteEmbeddingsOptions> = { format: true };
const WHERE = 'writeEmbeddings';

/**
 * Writes vectors with their ids to a Parquet (snappy) or Arrow IPC file with two columns:
 * `id` (utf8) and `vector` (fixed-size list of `dim` float32), which vector stores and
 * pyarrow, DuckDB or pandas read directly.
 *
 * @param path the file to write (replaced if it exists)
 * @param table the ids and their vectors, e.g. `dataset.itemIds()` and `itemVectors`
 * @returns when the file is complete
 * @throws LightFMError `ERR_INVALID_ARG` when `vectors` does not hold `ids.length * dim` floats
 *   or an option is wrong; `ERR_IO` when the file cannot be written
 * @example
 * ```ts
 * const { dim, itemVectors } = model.exportEmbeddings();
 * await writeEmbeddings('items.parquet', { ids: dataset.itemIds(), vectors: itemVectors, dim });
 * ```
 */
export async function writeEmbeddings(path: string, table: EmbeddingsTable, options?: WriteEmbeddingsOptions): Promise<void> {
  if (typeof path !== 'string' || path === '') throw invalidArg(`${WHERE}: path must be a file path (a non-empty string), got ${describe(path)}`);
  const o = readOptions(WHERE, options, KEYS);
  const ext = extname(path).toLowerCase();
  const format = o.string('format', ext === '.arrow' || ext === '.feather' || ext === '.ipc' ? 'arrow' : 'parquet');
  if (format !== 'parquet' && format !== 'arrow') throw o.invalid('format', "must be 'parquet' or 'arrow'");
  const t = readOptions(WHERE, table, { ids: true, vectors: true, dim: true }, { name: 'table' });
  const ids = t.get('ids');
  if (ids === null || typeof ids !== 'object' || typeof ids.length !== 'number') throw t.invalid('ids', 'must be an array of ids');
  const vectors = t.get('vectors');
  if (!(vectors instanceof Float32Array)) throw t.invalid('vectors', 'must be a Float32Array');
  const dim = t.int('dim', undefined, 1, 1 << 20);
  if (dim === undefined) throw t.invalid('dim', 'is required');
  if (vectors.length !== ids.length * dim) {
    throw invalidArg(`${WHERE}: table.vectors holds ${vectors.length} floats but ${ids.length} ids x dim ${dim} need ${ids.length * dim}`);
  }
  const text = Array.from(ids, String);
  try {
    await call(() => native.writeEmbeddingsFile(path, text, vectors, dim, format));
  } catch (err) {
    throw fromNative(err);
  }
}
