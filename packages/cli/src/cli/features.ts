// `--item-features` / `--user-features`: long tables of `id,feature[,weight]` rows, read into
// the training dataset's feature columns with @lightfm-ts/core's readFeatures.
import type { Command } from 'commander';
import { type CsrMatrix, type Dataset, readFeatures } from '@lightfm-ts/core';
import { column, grouped } from './parse.js';

/** The feature options of `train`. */
export interface FeatureFlags {
  itemFeatures?: string;
  userFeatures?: string;
  featureId: string | number;
  featureName: string | number;
  featureWeight?: string | number;
}

/** Adds the options of {@link FeatureFlags}. */
export function featureOptions(command: Command): Command {
  return grouped(command, 'Feature file options:', (c) =>
    c
    .option('--item-features <file>', 'item features: one `item,feature[,weight]` row per feature of an item (CSV, TSV or Parquet)')
    .option('--user-features <file>', 'user features, as --item-features')
    .option('--feature-id <column>', 'column of the user or item ids in the feature files', column, 0)
    .option('--feature-name <column>', 'column of the feature names', column, 1)
    .option('--feature-weight <column>', 'column of the feature weights (default: every feature weighs 1)', column),
  );
}

/**
 * The feature matrices of the flags' files (identity plus the features, rows normalised, as
 * `Dataset.buildItemFeatures` builds them); adds the feature names to `dataset`.
 */
export async function readFeatureFiles(flags: FeatureFlags, dataset: Dataset): Promise<{ itemFeatures?: CsrMatrix; userFeatures?: CsrMatrix }> {
  const read = (path: string | undefined, side: 'item' | 'user') =>
    path === undefined ? undefined : readFeatures(path, dataset, { side, id: flags.featureId, feature: flags.featureName, weight: flags.featureWeight, progress: true });
  // One after the other: each adds its feature names to the dataset.
  const itemFeatures = await read(flags.itemFeatures, 'item');
  const userFeatures = await read(flags.userFeatures, 'user');
  return { itemFeatures, userFeatures };
}
