// Where the demo's data comes from: MovieLens 100k (the cache, else a download), or the
// synthetic data set when neither works, so the demo always completes.
import { type CooMatrix, type CsrMatrix, LightFMError } from '@lightfm-ts/core';
import { type CacheOptions, fetchMovielens, getDataHome, makeSynthetic } from '@lightfm-ts/datasets';

/** The interactions, item features and item names the demo trains on. */
export interface DemoData {
  /** `'movielens'`, or `'synthetic'` when MovieLens could not be loaded. */
  source: 'movielens' | 'synthetic';
  /** One line saying what the data is. */
  description: string;
  /** `users x items`; values are star ratings (MovieLens) or 1 (synthetic). */
  train: CooMatrix;
  /** `users x items`, disjoint from `train`. */
  test: CooMatrix;
  /** `items x features`: one identity column per item, then metadata (genres or tags). */
  itemFeatures: CsrMatrix;
  /** A readable name per item: the movie title, or the item's id and planted group. */
  itemLabels: string[];
  /** A readable name per user: the user's id (and planted group for synthetic data). */
  userLabels: string[];
}

/**
 * Loads MovieLens 100k with genre features from the cache, downloading it when missing. When
 * the download fails (no network), logs one line and returns a synthetic data set instead.
 *
 * @param cache - Where to look for and download MovieLens (`dataHome`, `baseUrl`, ...).
 * @param log - Receives the one-line notice when falling back to synthetic data.
 * @returns The data to train on.
 * @throws {LightFMError} `ERR_CHECKSUM` / `ERR_CORRUPT_FILE` for a damaged cached file (the
 *   message says which file to delete); only `ERR_DOWNLOAD` triggers the fallback.
 * @example
 * ```ts
 * const data = await loadData({}, console.log);
 * ```
 */
export async function loadData(cache: CacheOptions, log: (line: string) => void): Promise<DemoData> {
  try {
    const movielens = await fetchMovielens({ ...cache, genreFeatures: true });
    const genres = movielens.itemFeatures.shape[1] - movielens.train.shape[1];
    const [users, items] = movielens.train.shape;
    return {
      source: 'movielens',
      description:
        `MovieLens 100k: ${users} users, ${items.toLocaleString('en')} movies, ` +
        `${movielens.train.nnz.toLocaleString('en')} train / ${movielens.test.nnz.toLocaleString('en')} test ratings, ` +
        `features: identity + ${genres} genres`,
      train: movielens.train,
      test: movielens.test,
      itemFeatures: movielens.itemFeatures,
      itemLabels: movielens.itemLabels,
      userLabels: Array.from({ length: users }, (_, user) => `user ${user}`),
    };
  } catch (err) {
    if (!(err instanceof LightFMError && err.code === 'ERR_DOWNLOAD')) throw err;
    log(`MovieLens 100k is not in ${getDataHome(cache.dataHome)} and could not be downloaded (no network?); using synthetic data instead.`);
    return synthetic();
  }
}

/** MovieLens-sized synthetic data with planted groups, so the structure is easy to see. */
function synthetic(): DemoData {
  const users = 943;
  const items = 1682;
  const data = makeSynthetic({ users, items, interactions: 100_000, features: 50, seed: 42 });
  const { itemGroups, userGroups } = data.latent;
  return {
    source: 'synthetic',
    description:
      `synthetic data: ${users} users, ${items.toLocaleString('en')} items in 10 planted groups, ` +
      `${data.train.nnz.toLocaleString('en')} train / ${data.test.nnz.toLocaleString('en')} test interactions, features: identity + 50 tags`,
    train: data.train,
    test: data.test,
    itemFeatures: data.itemFeatures,
    itemLabels: Array.from(itemGroups, (group, item) => `item ${item} (group ${group})`),
    userLabels: Array.from(userGroups, (group, user) => `user ${user} (group ${group})`),
  };
}
