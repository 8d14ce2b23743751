/**
 * `@lightfm-ts/evaluation`: fast, exact ranking metrics for `@lightfm-ts/core` models.
 *
 * @example
 * ```ts
 * import { evaluate, precisionAtK } from '@lightfm-ts/evaluation';
 * const p = precisionAtK(model, test, { k: 10, trainInteractions: train });
 * const { mean } = await evaluate(model, test, { metrics: ['precision', 'auc', 'ndcg'], trainInteractions: train });
 * ```
 * @packageDocumentation
 */
export { evaluate, evaluateSync } from './evaluate.js';
export type { Evaluation } from './evaluate.js';
export {
  aucScore,
  catalogCoverage,
  hitRateAtK,
  mae,
  mapAtK,
  ndcgAtK,
  precisionAtK,
  recallAtK,
  reciprocalRank,
  rmse,
} from './metrics.js';
export { METRICS } from './options.js';
export type { EvaluateOptions, MetricName, MetricOptions, PerUserMetric, RankingOptions } from './options.js';
export type { EvaluationProgress, EvaluationProgressOption } from './progress.js';
