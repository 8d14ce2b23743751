// `--item-features` / `--user-features`: long tables of `id,feature[,weight]` rows, or wide
// tables (a row per id, a column per attribute) when the side's `--*-categorical` or
// `--*-numeric` columns are given; read into the training dataset's feature columns with
// @lightfm-ts/core's readFeatures.
import type { Command } from 'commander';
import { type ColumnRef, type CsrMatrix, type Dataset, type ReadFeaturesOptions, readFeatures } from '@lightfm-ts/core';
import { UsageError } from './exit.js';
import { character, column, columnList, grouped } from './parse.js';

/** The feature options of `train`. */
export interface FeatureFlags {
  itemFeatures?: string;
  userFeatures?: string;
  featureId: string | number;
  featureName: string | number;
  featureWeight?: string | number;
  itemCategorical?: ColumnRef[];
  itemNumeric?: ColumnRef[];
  userCategorical?: ColumnRef[];
  userNumeric?: ColumnRef[];
  featureSeparator?: string;
}

/** Adds the options of {@link FeatureFlags}. */
export function featureOptions(command: Command): Command {
  return grouped(command, 'Feature file options:', (c) =>
    c
    .option('--item-features <file>', 'item features: one `item,feature[,weight]` row per feature of an item, or with --item-categorical/--item-numeric one row per item (CSV, TSV or Parquet)')
    .option('--user-features <file>', 'user features, as --item-features')
    .option('--feature-id <column>', 'column of the user or item ids in the feature files', column, 0)
    .option('--feature-name <column>', 'long feature files: column of the feature names', column, 1)
    .option('--feature-weight <column>', 'long feature files: column of the feature weights (default: every feature weighs 1)', column)
    .option('--item-categorical <columns>', 'the item features file is wide: its columns of categories (comma-separated), each value v of column c the feature c:v', columnList)
    .option('--item-numeric <columns>', 'the item features file is wide: its columns of numbers, each the weight of a feature named after the column', columnList)
    .option('--user-categorical <columns>', 'wide user features file, as --item-categorical', columnList)
    .option('--user-numeric <columns>', 'wide user features file, as --item-numeric', columnList)
    .option('--feature-separator <char>', 'wide feature files: splits a categorical cell into several values (e.g. "|" for action|space)', character),
  );
}

/** How the flags say to read one side's file: wide when it has categorical or numeric columns. */
function sideOptions(flags: FeatureFlags, side: 'item' | 'user'): ReadFeaturesOptions {
  const [categorical, numeric] = side === 'item' ? [flags.itemCategorical, flags.itemNumeric] : [flags.userCategorical, flags.userNumeric];
  const common = { side, id: flags.featureId, progress: true } as const;
  if (categorical === undefined && numeric === undefined) {
    return { ...common, feature: flags.featureName, weight: flags.featureWeight };
  }
  return { ...common, layout: 'wide', categorical, numeric, separator: flags.featureSeparator };
}

/**
 * The feature matrices of the flags' files (identity plus the features, rows normalised, as
 * `Dataset.buildItemFeatures` builds them); adds the feature names to `dataset`.
 */
export async function readFeatureFiles(flags: FeatureFlags, dataset: Dataset): Promise<{ itemFeatures?: CsrMatrix; userFeatures?: CsrMatrix }> {
  for (const [side, path, wide] of [
    ['item', flags.itemFeatures, flags.itemCategorical ?? flags.itemNumeric],
    ['user', flags.userFeatures, flags.userCategorical ?? flags.userNumeric],
  ] as const) {
    if (path === undefined && wide !== undefined) throw new UsageError(`--${side}-categorical and --${side}-numeric describe a wide --${side}-features file; pass --${side}-features <file>`);
  }
  const wide = [flags.itemCategorical, flags.itemNumeric, flags.userCategorical, flags.userNumeric].some((c) => c !== undefined);
  if (flags.featureSeparator !== undefined && !wide) throw new UsageError('--feature-separator splits the cells of wide feature files; pass --item-categorical or --user-categorical columns too');
  const read = (path: string | undefined, side: 'item' | 'user') => (path === undefined ? undefined : readFeatures(path, dataset, sideOptions(flags, side)));
  // One after the other: each adds its feature names to the dataset.
  const itemFeatures = await read(flags.itemFeatures, 'item');
  const userFeatures = await read(flags.userFeatures, 'user');
  return { itemFeatures, userFeatures };
}
