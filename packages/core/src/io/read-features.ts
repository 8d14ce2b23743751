// readFeatures: a long table of (id, feature[, weight]) rows or a wide table (a row per id, a
// column per attribute), read by the Rust reader (which turns wide rows into long ones), built
// into a feature matrix by the Dataset's own rule (dataset/features.ts: identity columns,
// summing, normalisation).
import { type Binding, native } from '../native.js';
import { invalidArg } from '../errors.js';
import { describe } from '../arrays.js';
import { type KnownKeys, type OptionsReader, readOptions } from '../option-reader.js';
import type { CsrMatrix } from '../sparse.js';
import { Dataset, datasetSide } from '../dataset/dataset.js';
import { featureMatrix } from '../dataset/features.js';
import { type ColumnRef, FILE_KEYS, type FileOptions, type NativeFileOptions, columnOption, columnsOption, fileOptions } from './file-options.js';
import type { ReadProgressOption } from './read-progress.js';
import { knownIds, newIds } from './ids.js';
import { readNative } from './read-native.js';

/** The options of {@link readFeatures} for either layout. */
export interface FeaturesFileOptions extends FileOptions {
  /** Whose features: `'item'` (rows of `buildItemFeatures`) or `'user'`. */
  side: 'user' | 'item';
  /** The column of user or item ids (ids the dataset maps). */
  id: ColumnRef;
  /** l1-normalise each row, as `buildItemFeatures` does. @default true */
  normalize?: boolean;
  /** `true` for a display on stderr, or a function receiving {@link ReadProgress} reports. @default false */
  progress?: ReadProgressOption;
}

/** A long table: one `(id, feature[, weight])` row per feature of a user or item. */
export interface LongFeaturesOptions extends FeaturesFileOptions {
  /** @default 'long' */
  layout?: 'long';
  /** The column of feature names. */
  feature: ColumnRef;
  /** A column of feature weights; without one every feature has weight 1. */
  weight?: ColumnRef;
}

/**
 * A wide table: one row per user or item, one column per attribute. Give at least one of
 * `categorical` and `numeric`; other columns are not read.
 */
export interface WideFeaturesOptions extends FeaturesFileOptions {
  /** A wide table (required: the default layout is `'long'`). */
  layout: 'wide';
  /**
   * Columns of categories: each non-empty cell `v` of column `c` is the feature `"c:v"` with
   * weight 1 (`c` is the header name, or the column's index without a header). Parquet:
   * strings, integers, booleans or dictionaries; null cells are no feature.
   */
  categorical?: readonly ColumnRef[];
  /**
   * Columns of numbers: a cell `x` of column `c` is the feature `"c"` with weight `x` (a `0`
   * weighs 0, as `{ c: 0 }` in `buildItemFeatures`); an empty or null cell is no feature.
   */
  numeric?: readonly ColumnRef[];
  /** One character splitting a categorical cell into several values (`'|'`: `action|space`); empty parts are ignored. */
  separator?: string;
}

/** Options of {@link readFeatures}: a long table's or a wide table's. */
export type ReadFeaturesOptions = LongFeaturesOptions | WideFeaturesOptions;

type AnyFeaturesOptions = FeaturesFileOptions & Partial<Omit<LongFeaturesOptions, 'layout'> & Omit<WideFeaturesOptions, 'layout'>> & { layout?: 'long' | 'wide' };

const KEYS: KnownKeys<AnyFeaturesOptions> = {
  ...FILE_KEYS,
  side: true,
  layout: true,
  id: true,
  feature: true,
  weight: true,
  categorical: true,
  numeric: true,
  separator: true,
  normalize: true,
  progress: true,
};

const WHERE = 'readFeatures';
const LONG_ONLY = ['feature', 'weight'] as const;
const WIDE_ONLY = ['categorical', 'numeric', 'separator'] as const;

/** Refuses the options of the other layout, saying which to pass. */
function onlyKeysOf(o: OptionsReader<AnyFeaturesOptions>, layout: 'long' | 'wide'): void {
  const foreign = layout === 'long' ? WIDE_ONLY : LONG_ONLY;
  const rule =
    layout === 'long'
      ? "is an option of wide tables: pass layout: 'wide' with categorical and/or numeric columns, or a long table's feature column"
      : "is an option of long tables: a wide table (layout: 'wide') names its feature columns in categorical and numeric";
  for (const key of foreign) if (o.get(key) !== undefined) throw o.invalid(key, rule);
}

function separatorOption(o: OptionsReader<AnyFeaturesOptions>): string | undefined {
  const s = o.string('separator', undefined);
  if (s === undefined || ([...s].length === 1 && s !== '\n' && s !== '\r')) return s;
  throw o.invalid('separator', 'must be one character other than a newline');
}

/** The native read of a long or wide file, with the dataset's ids and feature names known. */
function nativeRead(o: OptionsReader<AnyFeaturesOptions>, file: NativeFileOptions, known: Binding.KnownIds[], counter: Binding.ReadCounter) {
  const layout = o.string('layout', 'long');
  if (layout !== 'long' && layout !== 'wide') throw o.invalid('layout', "must be 'long' or 'wide'");
  onlyKeysOf(o, layout);
  const id = columnOption(o, 'id', true) as ColumnRef;
  const [knownFirst, knownSecond] = known as [Binding.KnownIds, Binding.KnownIds];
  if (layout === 'long') {
    const args: Binding.ReadArgs = { file, first: id, second: columnOption(o, 'feature', true) as ColumnRef, weight: columnOption(o, 'weight', false), knownFirst, knownSecond };
    return () => native.readRowsFile(args, counter);
  }
  const categorical = columnsOption(o, 'categorical');
  const numeric = columnsOption(o, 'numeric');
  if (categorical.length + numeric.length === 0) {
    throw invalidArg(`${WHERE}: layout 'wide' needs at least one column in options.categorical or options.numeric (e.g. categorical: ['genre'], numeric: ['year'])`);
  }
  const args: Binding.WideArgs = { file, id, categorical, numeric, separator: separatorOption(o), knownIds: knownFirst, knownFeatures: knownSecond };
  return () => native.readWideFile(args, counter);
}

/**
 * Reads the features of users or items from a CSV/TSV or Parquet file (off the event loop,
 * as `readInteractions` reads) and builds the feature matrix `dataset.buildItemFeatures` (or
 * `buildUserFeatures`) would build from the same data: identity columns, repeated pairs
 * summed, rows l1-normalised. The file is a long table, one `(id, feature[, weight])` row per
 * feature, or with `layout: 'wide'` a wide table, one row per id and one column per
 * attribute (`categorical` columns give features `column:value`, `numeric` ones a feature
 * `column` weighing the cell's number).
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
 *   does not map, options of the other layout, or a row with zero sum when normalising
 * @example
 * ```ts
 * const { dataset, interactions } = await readInteractions('ratings.csv', { user: 'user_id', item: 'item_id' });
 * const itemFeatures = await readFeatures('genres.csv', dataset, { side: 'item', id: 'item_id', feature: 'genre' });
 * // or a wide table: item_id,genre,tags,year_scaled with tags like action|space
 * const wide = await readFeatures('items.csv', dataset, { side: 'item', layout: 'wide', id: 'item_id', categorical: ['genre', 'tags'], numeric: ['year_scaled'], separator: '|' });
 * await new LightFM().fit(interactions, { itemFeatures });
 * ```
 */
export async function readFeatures(path: string, dataset: Dataset, options: ReadFeaturesOptions): Promise<CsrMatrix> {
  if (!(dataset instanceof Dataset)) throw invalidArg(`${WHERE}: dataset must be a Dataset, got ${describe(dataset)}`);
  const o = readOptions<AnyFeaturesOptions>(WHERE, options, KEYS);
  const file = fileOptions(WHERE, path, o);
  const sideName = o.string('side', undefined);
  if (sideName !== 'user' && sideName !== 'item') throw o.invalid('side', "must be 'user' or 'item' (it is required)");
  const normalize = o.flag('normalize', true);
  const progress = o.progress('progress');
  const side = datasetSide(dataset, sideName);
  const counter = new native.ReadCounter();
  const start = nativeRead(o, file, [knownIds(side.ids.keys()), knownIds(side.names.keys())], counter);
  const read = await readNative(WHERE, o, progress, counter, start);
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
