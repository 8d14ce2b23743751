// readInteractions: a CSV/TSV or Parquet file of interactions, read by the Rust reader
// (crates/lightfm-io: streaming, on several threads, ids interned in file order), returned as
// a Dataset whose mappings are the file's ids and the matrices `fit` takes.
import { LightFMError } from '../errors.js';
import { type Binding, native } from '../native.js';
import { type KnownKeys, readOptions } from '../option-reader.js';
import { CooMatrix } from '../sparse.js';
import { Dataset, datasetSide } from '../dataset/dataset.js';
import type { BuiltInteractions } from '../dataset/interactions.js';
import { type ColumnRef, FILE_KEYS, type FileOptions, columnOption, fileOptions } from './file-options.js';
import type { ReadProgressOption } from './read-progress.js';
import { knownIds, newIds } from './ids.js';
import { readNative } from './read-native.js';

/** What to do with rows that repeat a `(user, item)` pair. */
export type DuplicatesPolicy = 'keep' | 'sum' | 'last';

/** Options of {@link readInteractions}. */
export interface ReadInteractionsOptions extends FileOptions {
  /** The user id column (name or 0-based index). */
  user: ColumnRef;
  /** The item id column. */
  item: ColumnRef;
  /** A weight column (finite numbers); without one every weight is 1. */
  weight?: ColumnRef;
  /**
   * A timestamp column: integer seconds, or ISO-8601 text (`2024-05-01`, `2024-05-01T12:00:00Z`,
   * `2024-05-01 12:00:00+02:00`; without an offset UTC; fractions of a second dropped); in
   * Parquet also timestamp and date columns. Returned as seconds since 1970-01-01 UTC.
   */
  timestamp?: ColumnRef;
  /**
   * Rows that repeat a `(user, item)` pair: `'keep'` every row as its own entry (LightFM's and
   * `buildInteractions`' rule); `'sum'` one entry where the pair first appears, weights summed
   * (rows counted without a weight column), the latest timestamp; `'last'` one entry where the
   * pair first appears, with the weight and timestamp of its last row. @default 'keep'
   */
  duplicates?: DuplicatesPolicy;
  /** A dataset to extend: its ids keep their indices, new ones are appended. It is not changed: a new dataset is returned. */
  dataset?: Dataset;
  /** `true` for a display on stderr, or a function receiving {@link ReadProgress} reports. @default false */
  progress?: ReadProgressOption;
}

/** What {@link readInteractions} returns. */
export interface ReadInteractionsResult extends BuiltInteractions {
  /** The ids of the file (after those of `options.dataset`), in first-seen order. */
  dataset: Dataset;
  /** Each entry's timestamp (seconds since 1970), aligned with the matrices' entries; only with `options.timestamp`. */
  timestamps?: Float64Array;
  /** Rows skipped as malformed (`skipInvalid`). */
  skipped: number;
}

const KEYS: KnownKeys<ReadInteractionsOptions> = {
  ...FILE_KEYS,
  user: true,
  item: true,
  weight: true,
  timestamp: true,
  duplicates: true,
  dataset: true,
  progress: true,
};

const WHERE = 'readInteractions';

/**
 * Reads interactions from a CSV/TSV or Parquet file, off the event loop: streaming (a few
 * megabytes of the file in memory at a time) and on `numThreads` threads. User and item ids
 * (strings; integers in Parquet integer columns) get rows and columns in order of first
 * appearance in the file, the same whatever the number of threads.
 *
 * Malformed rows (a wrong number of columns, a weight that is not a number or not finite, an
 * empty id, text that is not UTF-8, a bad timestamp) fail the read with the file, the line
 * (Parquet: row group and row) and the column, unless `skipInvalid` skips them; nothing
 * partial is returned.
 *
 * @param path a `.csv`, `.tsv` or `.parquet` file (see `options.format`)
 * @returns the dataset (its mappings are the file's ids), `interactions` (1 per entry) and
 *   `weights` with the same entries, the timestamps, and the count of skipped rows
 * @throws LightFMError `ERR_INVALID_ARG` for a bad option or a missing column; `ERR_PARSE`
 *   for a malformed row or an empty file; `ERR_NOT_FINITE` for a NaN or infinite weight;
 *   `ERR_CORRUPT_FILE` for a damaged Parquet file; `ERR_FILE_NOT_FOUND`, `ERR_IO`;
 *   `ERR_ABORTED` when `signal` fires
 * @example
 * ```ts
 * const { dataset, interactions, weights } = await readInteractions('ratings.csv', { user: 'user_id', item: 'item_id', weight: 'rating' });
 * await new LightFM({ loss: 'warp' }).fit(interactions, { sampleWeight: weights });
 * ```
 */
export async function readInteractions(path: string, options: ReadInteractionsOptions): Promise<ReadInteractionsResult> {
  if (options === undefined) throw new LightFMError('ERR_INVALID_ARG', `${WHERE}: options with the user and item columns are required, e.g. { user: 'user_id', item: 'item_id' }`);
  const o = readOptions(WHERE, options, KEYS);
  const file = fileOptions(WHERE, path, o);
  const duplicates = o.string('duplicates', 'keep');
  if (duplicates !== 'keep' && duplicates !== 'sum' && duplicates !== 'last') throw o.invalid('duplicates', "must be 'keep', 'sum' or 'last'");
  const base = o.get('dataset');
  if (base !== undefined && !(base instanceof Dataset)) throw o.invalid('dataset', 'must be a Dataset');
  const progress = o.progress('progress');
  const counter = new native.ReadCounter();
  const args: Binding.ReadArgs = {
    file,
    first: columnOption(o, 'user', true) as ColumnRef,
    second: columnOption(o, 'item', true) as ColumnRef,
    weight: columnOption(o, 'weight', false),
    timestamp: columnOption(o, 'timestamp', false),
    knownFirst: knownIds(base?.userIds() ?? []),
    knownSecond: knownIds(base?.itemIds() ?? []),
  };
  const read = await readNative(WHERE, o, progress, counter, () => native.readInteractionsFile(args, duplicates, counter));
  const dataset = base === undefined ? new Dataset() : Dataset.fromJSON(base.toJSON());
  // The reader checked that these are new and distinct: appended without a lookup each.
  datasetSide(dataset, 'user').appendNewIds(newIds(WHERE, 'user', read.first));
  datasetSide(dataset, 'item').appendNewIds(newIds(WHERE, 'item', read.second));
  const [rows, cols] = dataset.interactionsShape();
  if (rows !== read.first.total || cols !== read.second.total) {
    throw new LightFMError('ERR_INTERNAL', `${WHERE}: the dataset has ${rows} x ${cols} ids but the file ${read.first.total} x ${read.second.total}; please report this bug`);
  }
  const ones = new Float32Array(read.row.length).fill(1);
  const matrix = (data: Float32Array) => CooMatrix.fromNative({ rows, cols, row: read.row, col: read.col, data });
  return {
    dataset,
    interactions: matrix(ones),
    weights: matrix(read.weights ?? ones.slice()),
    ...(read.timestamps ? { timestamps: read.timestamps } : {}),
    skipped: read.skipped,
  };
}

