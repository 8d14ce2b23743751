// The data of LightFM's hybrid example: StackExchange CrossValidated answers with question tags,
// split by time so most test questions are new. Synthetic data with new items stands in when
// the file is neither cached nor downloadable.
import { CooMatrix, type CsrMatrix, LightFMError } from '@lightfm-ts/core';
import { type CacheOptions, fetchStackexchange, getDataHome, makeSynthetic } from '@lightfm-ts/datasets';

/** Users x questions (items), and the questions' tags as item features (no identity columns). */
export interface ColdStartData {
  source: 'crossvalidated' | 'synthetic';
  /** One line saying what the data is. */
  description: string;
  train: CooMatrix;
  /** May share a few entries with `train` (CrossValidated: 5 pairs answered before and after the cutoff). */
  test: CooMatrix;
  /** `items x tags`. */
  itemFeatures: CsrMatrix;
  /** The name of each tag column. */
  tagLabels: string[];
  /** Tags to list neighbours of. */
  exampleTags: string[];
}

/**
 * Loads CrossValidated as LightFM's example does (`testSetFraction: 0.1`, tag features only),
 * from the cache or a download; on `ERR_DOWNLOAD` logs one line and returns synthetic data
 * whose test items never occur in training (pure cold start).
 *
 * @param cache - Where the dataset is cached and downloaded from.
 * @param log - Receives the one-line notice when falling back.
 * @returns The interactions and tag features.
 * @throws {LightFMError} `ERR_CORRUPT_FILE` for a damaged cached file; only `ERR_DOWNLOAD` falls back.
 * @example
 * ```ts
 * const data = await loadColdStartData({}, console.log);
 * ```
 */
export async function loadColdStartData(cache: CacheOptions, log: (line: string) => void): Promise<ColdStartData> {
  try {
    const cv = await fetchStackexchange('crossvalidated', { ...cache, testSetFraction: 0.1, indicatorFeatures: false, tagFeatures: true });
    const [users, questions] = cv.train.shape;
    return {
      source: 'crossvalidated',
      description:
        `StackExchange CrossValidated: ${users.toLocaleString('en')} users, ${questions.toLocaleString('en')} questions, ` +
        `${cv.train.nnz.toLocaleString('en')} train / ${cv.test.nnz.toLocaleString('en')} test answers, ${cv.itemFeatures.shape[1].toLocaleString('en')} tags`,
      train: cv.train,
      test: cv.test,
      itemFeatures: cv.itemFeatures,
      tagLabels: cv.itemFeatureLabels,
      exampleTags: ['bayesian', 'regression', 'survival'],
    };
  } catch (err) {
    if (!(err instanceof LightFMError && err.code === 'ERR_DOWNLOAD')) throw err;
    log(`CrossValidated is not in ${getDataHome(cache.dataHome)} and could not be downloaded (no network?); using synthetic data instead.`);
    return synthetic();
  }
}

/** Synthetic interactions where every fifth item is new: all its interactions are in test. */
function synthetic(): ColdStartData {
  const data = makeSynthetic({ users: 2000, items: 3000, interactions: 60_000, features: 50, indicatorFeatures: false, seed: 1 });
  const isNew = (item: number) => item % 5 === 0;
  const train = entries([data.train, data.test], (item) => !isNew(item));
  const test = entries([data.train, data.test], isNew);
  return {
    source: 'synthetic',
    description:
      `synthetic data: 2,000 users, 3,000 items (600 of them new), ${train.nnz.toLocaleString('en')} train / ` +
      `${test.nnz.toLocaleString('en')} test interactions, 50 tags`,
    train,
    test,
    itemFeatures: data.itemFeatures,
    tagLabels: data.itemFeatureLabels,
    exampleTags: ['tag:0', 'tag:1', 'tag:2'],
  };
}

/** The entries of `parts` whose item passes `keep`, as one matrix. */
function entries(parts: CooMatrix[], keep: (item: number) => boolean): CooMatrix {
  const rows: number[] = [];
  const cols: number[] = [];
  for (const m of parts) {
    for (let k = 0; k < m.nnz; k++) {
      const item = m.col[k] as number;
      if (keep(item)) rows.push(m.row[k] as number), cols.push(item);
    }
  }
  const shape = parts[0]?.shape ?? [0, 0];
  return CooMatrix.fromTriplets(rows, cols, new Float32Array(rows.length).fill(1), shape);
}
