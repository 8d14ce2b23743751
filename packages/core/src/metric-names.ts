// The metric names, as the Rust core lists them (`lightfm_core::metrics::Metric`). The type
// spells them for the compiler; test/options.test.ts checks it against the core's list.
import { native } from './native.js';

/**
 * A metric name:
 * - `precision`, `recall`, `ndcg`, `map` (average precision), `hitRate`: at the cut-off `k`;
 * - `auc`, `reciprocalRank`: over the whole ranking;
 * - `catalogCoverage`: one number, the share of items in some evaluated user's top `k`;
 * - `rmse`, `mae`: of the scores against the stored test values (for the regression loss).
 */
export type MetricName = 'precision' | 'recall' | 'auc' | 'reciprocalRank' | 'ndcg' | 'map' | 'hitRate' | 'catalogCoverage' | 'rmse' | 'mae';

/** The metrics with one value per user (all but `catalogCoverage`). */
export type PerUserMetric = Exclude<MetricName, 'catalogCoverage'>;

/** Every metric name, in the core's order. */
export const METRICS: readonly MetricName[] = Object.freeze(native.metricNames() as MetricName[]);
