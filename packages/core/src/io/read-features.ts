// readFeatures: a long table of (id, feature[, weight]) rows, read by the Rust reader, built
// into a feature matrix by the Dataset's own rule (dataset/features.ts: identity columns,
// summing, normalisation).
import { type Binding, native } from '../native.js';
import { invalidArg } from '../errors.js';
import { describe } from '../arrays.js';
import { type KnownKeys, readOptions } from '../option-reader.js';
import type { CsrMatrix } from '../sparse.js';
import { Dataset, datasetSide } from '../dataset/dataset.js';
import { featureMatrix } from '../dataset/features.js';
import { type ColumnRef, FILE_KEYS, type FileOptions, columnOption, fileOptions } from './file-options.js';
import type { ReadProgressOption } from './read-progress.js';
import { knownIds, newIds } from './ids.js';
import { readNative } from './read-native.js';

/** Options of {@link readFeatures}. */
export interface ReadFeaturesOptions extends FileOptions {
  /** Whose features: `'item'` (rows of `buildItemFeatures`) or `'user'`. */
  side: 'user' | 'item';
  /** The column of user or item ids (ids the dataset maps). */
  id: ColumnRef;
  /** The column of feature names. */
  feature: ColumnRef;
  /** A column of feature weights; without one every feature has weight 1. */
  weight?: ColumnRef;
  /** l1-normalise each row, as `buildItemFeatures` does. @default true */
  normalize?: boolean;
  /** `true` for a display on stderr, or a function receiving {@link ReadProgress} reports. @default false */
  progress?: ReadProgressOption;
}

const KEYS: KnownKeys<ReadFeaturesOptions> = {
  ...FILE_KEYS,
  side: true,
  id: true,
  feature: true,
  weight: true,
  normalize: true,
  progress: true,
};

const WHERE = 'readFeatures';

/**
 * Reads a long table of features, one `(id, feature[, weight])` row per feature of a user or
 * item, from a CSV/TSV or Parquet file (off the event loop, as `readInteractions` reads), and
 * builds the feature matrix `dataset.buildItemFeatures` (or `buildUserFeatures`) would build
 * from the same data: identity columns, repeated pairs summed, rows l1-normalised.
 *
 * Feature names the dataset does not map yet are added to it first (as
 * `dataset.fitPartial(null, null, { itemFeatures })` would, in file order): **this changes
 * `dataset`**, so that the matrix and the dataset's `modelDimensions()` agree. Every id must
 * already be mapped (read the interactions first).
 *
 * @param path a `.csv`, `.tsv` or `.parquet` file
 * @param dataset the dataset whose ids the rows name; gets the new feature names
 * @returns a CSR matrix of shape `itemFeaturesShape()` (or `userFeaturesShape()`)
 * @throws LightFMError as `readInteractions`, and `ERR_INVALID_ARG` for an id the dataset
 *   does not map, or a row with zero sum when normalising
 * @example
 * ```ts
 * const { dataset, interactions } = await readInteractions('ratings.csv', { user: 'user_id', item: 'item_id' });
 * const itemFeatures = await readFeatures('genres.csv', dataset, { side: 'item', id: 'item_id', feature: 'genre' });
 * await new LightFM().fit(interactions, { itemFeatures });
 * ```
 */
export async function readFeatures(path: string, dataset: Dataset, options: ReadFeaturesOptions): Promise<CsrMatrix> {
  if (!(dataset instanceof Dataset)) throw invalidArg(`${WHERE}: dataset must be a Dataset, got ${describe(dataset)}`);
  const o = readOptions(WHERE, options, KEYS);
  const file = fileOptions(WHERE, path, o);
  const sideName = o.string('side', undefined);
  if (sideName !== 'user' && sideName !== 'item') throw o.invalid('side', "must be 'user' or 'item' (it is required)");
  const normalize = o.flag('normalize', true);
  const progress = o.progress('progress');
  const side = datasetSide(dataset, sideName);
  const counter = new native.ReadCounter();
  const args: Binding.ReadArgs = {
    ...file,
    first: columnOption(o, 'id', true) as ColumnRef,
    second: columnOption(o, 'feature', true) as ColumnRef,
    weight: columnOption(o, 'weight', false),
    knownFirst: knownIds(side.ids.keys()),
    knownSecond: knownIds(side.names.keys()),
  };
  const read = await readNative(WHERE, o, progress, counter, () => native.readRowsFile(args, counter));
  const unknown = newIds(WHERE, sideName, read.first);
  // Throws the dataset's own "not in the mapping" error for the first unknown id.
  if (unknown.length > 0) side.row(unknown[0]);
  const names = [...side.names.keys(), ...newIds(WHERE, 'feature', read.second)];
  const features = sideName === 'user' ? { userFeatures: names } : { itemFeatures: names };
  dataset.fitPartial(null, null, features);
  const columns = Int32Array.from(names, (name) => side.names.get(name) as number);
  const col = read.col;
  for (let k = 0; k < col.length; k++) col[k] = columns[col[k] as number] as number;
  const value = read.weights ?? new Float32Array(col.length).fill(1);
  return featureMatrix(side, { row: read.row, col, value }, normalize, WHERE);
}
