// LightFM's evaluation functions (plus NDCG, MAP, hit rate, coverage, RMSE and MAE), each a
// one-metric `evaluateSync`. They block the event loop for the pass; in servers, or for
// several metrics at once, use `evaluate`.
//
// Which users are present: one value per user with at least one stored test entry, in
// increasing user id (LightFM's layout); with `preserveRows: true`, one value per row of the
// test matrix, users without test entries holding 0 (0.5 for AUC). `evaluate(...).users`
// gives the user ids.
import type { LightFM, SparseMatrix } from '@lightfm-ts/core';
import { call, native } from '@lightfm-ts/core/internal';
import type { MetricOptions, PerUserMetric, RankingOptions } from './options.js';
import { OPTION_KEYS, type OptionKeys, nativeCall } from './options.js';

/** One per-user metric; `keys` are the options it knows (with `k` when it has a cut-off). */
function perUser(where: string, metric: PerUserMetric, model: LightFM, test: SparseMatrix, options: RankingOptions | undefined, keys: OptionKeys): Float32Array {
  const c = nativeCall(where, model, test, options, keys, [metric]);
  const out = call(() => native.evaluate(c.model, c.test, c.args));
  return (out.columns[0] as { values: Float32Array }).values;
}

/**
 * Precision at k per user: the share of the top `k` items that are test items,
 * `#{test items ranked < k} / k` (LightFM's `precision_at_k`; it divides by `k` even when
 * fewer than `k` items can be ranked).
 *
 * @param model - A fitted model.
 * @param testInteractions - `users x items`; every stored entry is a positive.
 * @param options - `k` (default 10) and LightFM's evaluation options.
 * @returns One value per user with test entries (per row with `preserveRows`).
 * @throws {LightFMError} `ERR_NOT_FITTED`, `ERR_BUSY`, `ERR_SHAPE`, `ERR_INVALID_ARG` (see `evaluate`).
 * @example
 * ```ts
 * const p = precisionAtK(model, test, { k: 10, trainInteractions: train });
 * const mean = p.reduce((s, v) => s + v, 0) / p.length;
 * ```
 */
export function precisionAtK(model: LightFM, testInteractions: SparseMatrix, options: RankingOptions = {}): Float32Array {
  return perUser('precisionAtK()', 'precision', model, testInteractions, options, OPTION_KEYS.ranking);
}

/**
 * Recall at k per user: `#{test items ranked < k} / #{test items}` (LightFM's `recall_at_k`).
 *
 * @returns One value per user with test entries; with `preserveRows`, 0 (not LightFM's NaN) for users without.
 * @throws {LightFMError} As `precisionAtK`.
 * @example
 * ```ts
 * const r = recallAtK(model, test, { k: 20 });
 * ```
 */
export function recallAtK(model: LightFM, testInteractions: SparseMatrix, options: RankingOptions = {}): Float32Array {
  return perUser('recallAtK()', 'recall', model, testInteractions, options, OPTION_KEYS.ranking);
}

/**
 * ROC AUC per user: the share of (test item, negative) pairs where the test item scores
 * strictly higher; negatives are the items neither tested nor in `trainInteractions`. Ties
 * count as errors, as in LightFM's `auc_score` (which additionally penalises ties between test
 * items; ours does not). Users without negatives get 0.5 (LightFM: NaN).
 *
 * @returns One value per user with test entries (0.5 for rows without, with `preserveRows`).
 * @throws {LightFMError} As `precisionAtK`.
 * @example
 * ```ts
 * const auc = aucScore(model, test, { trainInteractions: train, numThreads: 2 });
 * ```
 */
export function aucScore(model: LightFM, testInteractions: SparseMatrix, options: MetricOptions = {}): Float32Array {
  return perUser('aucScore()', 'auc', model, testInteractions, options, OPTION_KEYS.unranked);
}

/**
 * Reciprocal rank per user: `1 / (rank of the best-ranked test item + 1)`, ranks 0-based
 * (LightFM's `reciprocal_rank`; no cut-off).
 *
 * @returns One value per user with test entries (0 for rows without, with `preserveRows`).
 * @throws {LightFMError} As `precisionAtK`.
 * @example
 * ```ts
 * const rr = reciprocalRank(model, test);
 * ```
 */
export function reciprocalRank(model: LightFM, testInteractions: SparseMatrix, options: MetricOptions = {}): Float32Array {
  return perUser('reciprocalRank()', 'reciprocalRank', model, testInteractions, options, OPTION_KEYS.unranked);
}

/**
 * NDCG at k per user with binary relevance: `Σ 1/log2(rank + 2)` over test items ranked
 * `< k`, divided by the same sum for a perfect ranking of `min(#test items, k)` items.
 *
 * @returns One value per user with test entries (0 for rows without, with `preserveRows`).
 * @throws {LightFMError} As `precisionAtK`.
 * @example
 * ```ts
 * const ndcg = ndcgAtK(model, test, { k: 10 });
 * ```
 */
export function ndcgAtK(model: LightFM, testInteractions: SparseMatrix, options: RankingOptions = {}): Float32Array {
  return perUser('ndcgAtK()', 'ndcg', model, testInteractions, options, OPTION_KEYS.ranking);
}

/**
 * Average precision at k per user (the per-user term of MAP@k): the precision at the rank
 * of each test item ranked `< k`, summed and divided by `min(#test items, k)`.
 *
 * @returns One value per user with test entries (0 for rows without, with `preserveRows`).
 * @throws {LightFMError} As `precisionAtK`.
 * @example
 * ```ts
 * const ap = mapAtK(model, test, { k: 10 });
 * ```
 */
export function mapAtK(model: LightFM, testInteractions: SparseMatrix, options: RankingOptions = {}): Float32Array {
  return perUser('mapAtK()', 'map', model, testInteractions, options, OPTION_KEYS.ranking);
}

/**
 * Hit rate at k per user: 1 when at least one test item is ranked `< k`, else 0.
 *
 * @returns One value per user with test entries (0 for rows without, with `preserveRows`).
 * @throws {LightFMError} As `precisionAtK`.
 * @example
 * ```ts
 * const hits = hitRateAtK(model, test, { k: 10, trainInteractions: train });
 * ```
 */
export function hitRateAtK(model: LightFM, testInteractions: SparseMatrix, options: RankingOptions = {}): Float32Array {
  return perUser('hitRateAtK()', 'hitRate', model, testInteractions, options, OPTION_KEYS.ranking);
}

/**
 * Catalogue coverage at k: the share of all items that appear in the top `k` (train items
 * excluded, ties broken by the lower item id) of at least one user with test entries.
 *
 * @returns A number in [0, 1] (0 when nobody has test entries or there are no items).
 * @throws {LightFMError} As `precisionAtK`.
 * @example
 * ```ts
 * const coverage = catalogCoverage(model, test, { k: 10, trainInteractions: train });
 * ```
 */
export function catalogCoverage(model: LightFM, testInteractions: SparseMatrix, options: RankingOptions = {}): number {
  const c = nativeCall('catalogCoverage()', model, testInteractions, options, OPTION_KEYS.ranking, ['catalogCoverage']);
  return call(() => native.evaluate(c.model, c.test, c.args)).catalogCoverage ?? 0;
}

/**
 * Root-mean-square error per user of the model's scores (`predict`) against the stored test
 * values; meaningful for the `regression` loss. For one number over all entries use
 * `evaluate(..., { metrics: ['rmse'] }).pooledRmse`.
 *
 * @returns One value per user with test entries (0 for rows without, with `preserveRows`).
 * @throws {LightFMError} As `precisionAtK`.
 * @example
 * ```ts
 * const errors = rmse(model, heldOutRatings);
 * ```
 */
export function rmse(model: LightFM, testInteractions: SparseMatrix, options: MetricOptions = {}): Float32Array {
  return perUser('rmse()', 'rmse', model, testInteractions, options, OPTION_KEYS.unranked);
}

/**
 * Mean absolute error per user of the model's scores against the stored test values.
 *
 * @returns One value per user with test entries (0 for rows without, with `preserveRows`).
 * @throws {LightFMError} As `precisionAtK`.
 * @example
 * ```ts
 * const errors = mae(model, heldOutRatings);
 * ```
 */
export function mae(model: LightFM, testInteractions: SparseMatrix, options: MetricOptions = {}): Float32Array {
  return perUser('mae()', 'mae', model, testInteractions, options, OPTION_KEYS.unranked);
}
