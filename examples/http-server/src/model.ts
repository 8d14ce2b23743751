// The model the service answers from: a hybrid model (item ids plus item features) trained
// once and saved with its Dataset and feature matrix (`servingMappings` of @lightfm-ts/cli), so
// that the server rebuilds the exact id maps and feature columns it was trained with and speaks
// in external ids.
import { type CooMatrix, type CsrMatrix, Dataset, type Id, LightFM, LightFMError } from '@lightfm-ts/core';
import { servingMappings } from '@lightfm-ts/cli';
import { type CacheOptions, fetchMovielens, getDataHome, makeSynthetic } from '@lightfm-ts/datasets';

/** One item and the names of its features, as passed to `dataset.buildItemFeatures`. */
export type ItemFeatureRow = [item: Id, features: Id[]];

/** Training data as an application holds it: interactions by id, and each item's feature names. */
interface Catalogue {
  users: string[];
  items: string[];
  /** The training interactions: row `r` is `users[r]`, column `c` is `items[c]`. */
  train: CooMatrix;
  featureNames: string[];
  itemFeatures: ItemFeatureRow[];
  titles?: string[];
}

/** Each item's feature names, from a `items x features` matrix and its column labels. */
function featureRows(items: string[], features: CsrMatrix, labels: string[]): ItemFeatureRow[] {
  return items.map((id, i) => [id, Array.from(features.row(i).indices, (c) => labels[c] as string)]);
}

/** MovieLens 100k (user and movie ids as in the files, genres as features), or synthetic data. */
async function catalogue(cache: CacheOptions, log: (line: string) => void): Promise<Catalogue> {
  const ids = (prefix: string, n: number, from = 0) => Array.from({ length: n }, (_, i) => `${prefix}${i + from}`);
  try {
    const { train, itemFeatures, itemFeatureLabels, itemLabels } = await fetchMovielens({ ...cache, genreFeatures: true, indicatorFeatures: false });
    log('training on MovieLens 100k (user and item ids as in the files, genres as item features)');
    const items = ids('', train.shape[1], 1);
    return { users: ids('', train.shape[0], 1), items, train, featureNames: itemFeatureLabels, itemFeatures: featureRows(items, itemFeatures, itemFeatureLabels), titles: itemLabels };
  } catch (err) {
    if (!(err instanceof LightFMError && err.code === 'ERR_DOWNLOAD')) throw err;
    log(`MovieLens 100k is not in ${getDataHome(cache.dataHome)} and could not be downloaded; training on synthetic data (users u0.., items i0..)`);
    const { train, itemFeatures, itemFeatureLabels } = makeSynthetic({ users: 1000, items: 500, interactions: 30_000, seed: 42, indicatorFeatures: false });
    const items = ids('i', train.shape[1]);
    return { users: ids('u', train.shape[0]), items, train, featureNames: itemFeatureLabels, itemFeatures: featureRows(items, itemFeatures, itemFeatureLabels) };
  }
}

/**
 * Trains a hybrid WARP model (item ids plus item features) on MovieLens 100k, or on synthetic
 * data when MovieLens is neither cached nor downloadable, through a `Dataset`, and attaches
 * the serving mappings (`servingMappings` of @lightfm-ts/cli).
 *
 * @param cache - Where MovieLens is cached and downloaded from.
 * @param log - Receives notices about the data.
 * @param epochs - Training epochs.
 * @returns The trained model, ready to `save`.
 * @throws {LightFMError} As `fetchMovielens` (except `ERR_DOWNLOAD`, which falls back) and `fit`.
 * @example
 * ```ts
 * await (await trainServingModel({}, console.log)).save('model.lightfm');
 * ```
 */
export async function trainServingModel(cache: CacheOptions, log: (line: string) => void, epochs = 10): Promise<LightFM> {
  const data = await catalogue(cache, log);
  const dataset = new Dataset().fit(data.users, data.items, { itemFeatures: data.featureNames });
  const { interactions } = dataset.buildInteractions({
    users: Array.from(data.train.row, (r) => data.users[r] as string),
    items: Array.from(data.train.col, (c) => data.items[c] as string),
  });
  const itemFeatures = dataset.buildItemFeatures(data.itemFeatures);
  const model = new LightFM({ loss: 'warp', noComponents: 32, randomState: 42 });
  await model.fit(interactions, { itemFeatures, epochs, numThreads: 2 });
  model.mappings = servingMappings(dataset, { itemFeatures, seen: interactions, titles: data.titles });
  return model;
}
