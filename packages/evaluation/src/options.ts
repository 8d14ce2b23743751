// Option types and their checks at the TypeScript edge; the rules about the data itself
// (shapes, index ranges, overlapping train and test) are enforced in the Rust core.
import type { LightFM, SparseMatrix } from '@lightfm-ts/core';
import { type Binding, asCsr, describe, invalidArg, nativeModel } from '@lightfm-ts/core/internal';
import type { EvaluationProgress, EvaluationProgressOption } from './progress.js';

/** Every metric `evaluate` computes. */
export const METRICS = ['precision', 'recall', 'auc', 'reciprocalRank', 'ndcg', 'map', 'hitRate', 'catalogCoverage', 'rmse', 'mae'] as const;

/**
 * A metric name:
 * - `precision`, `recall`, `ndcg`, `map` (average precision), `hitRate`: at the cut-off `k`;
 * - `auc`, `reciprocalRank`: over the whole ranking;
 * - `catalogCoverage`: one number, the share of items in some evaluated user's top `k`;
 * - `rmse`, `mae`: of the scores against the stored test values (for the regression loss).
 */
export type MetricName = (typeof METRICS)[number];

/** The metrics with one value per user (all but `catalogCoverage`). */
export type PerUserMetric = Exclude<MetricName, 'catalogCoverage'>;

/** Options every metric takes (LightFM's keyword arguments, camelCased). */
export interface MetricOptions {
  /**
   * Items stored here for a user are left out of that user's ranking (typically the
   * training interactions, so that known items do not count as misses).
   */
  trainInteractions?: SparseMatrix;
  /** `users x userFeatures`, as given to `fit`; identity when omitted. */
  userFeatures?: SparseMatrix;
  /** `items x itemFeatures`, as given to `fit`; identity when omitted. */
  itemFeatures?: SparseMatrix;
  /**
   * Return one value per row of the test matrix instead of one per user with test entries.
   * Users without test entries then get 0 (0.5 for AUC); they never count in means.
   * @default false
   */
  preserveRows?: boolean;
  /** Threads for the pass (values above the core count are allowed). @default 1 */
  numThreads?: number;
  /** Throw `ERR_INVALID_ARG` when test and train share entries. @default true */
  checkIntersections?: boolean;
}

/** Options of the metrics with a cut-off. */
export interface RankingOptions extends MetricOptions {
  /** The cut-off: how many top-ranked items count. May exceed the number of items. @default 10 */
  k?: number;
}

/** Options of `evaluate`. */
export interface EvaluateOptions<M extends MetricName = MetricName> extends RankingOptions {
  /** The metrics to compute, all from one pass. */
  metrics: readonly M[];
  /**
   * Shows how the pass goes. `true`: on stderr, a bar (users done, users/s, ETA) when stderr is
   * a terminal, otherwise a line when the pass is still running after 150 ms and one when it
   * ends. A function: called with an {@link EvaluationProgress} about every 150 ms during the
   * pass and once at its end (`finished: true`); the pass cannot be stopped, so if it throws,
   * the call rejects with that error once the pass is done. `evaluateSync` blocks the event
   * loop: it only reports the end.
   * @default false
   */
  progress?: EvaluationProgressOption;
}

function positiveInt(where: string, name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 0xffffffff) {
    throw invalidArg(`${where}: ${name} must be an integer >= 1, got ${describe(v)}`);
  }
  return v as number;
}

function flag(where: string, name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw invalidArg(`${where}: ${name} must be a boolean, got ${describe(v)}`);
  return v;
}

function optionalCsr(where: string, name: string, m: SparseMatrix | undefined): Binding.CsrArg | undefined {
  return m === undefined ? undefined : asCsr(`${where}: ${name}`, m).toNative();
}

function metricList(where: string, metrics: unknown): MetricName[] {
  if (!Array.isArray(metrics) || metrics.length === 0) {
    throw invalidArg(`${where}: metrics must be a non-empty array of metric names (${METRICS.join(', ')}), got ${describe(metrics)}`);
  }
  for (const m of metrics) {
    if (!(METRICS as readonly unknown[]).includes(m)) {
      throw invalidArg(`${where}: unknown metric ${describe(m)}; metrics are ${METRICS.join(', ')}`);
    }
  }
  return metrics as MetricName[];
}

/** Everything the native pass needs, checked. */
export interface NativeCall {
  model: Binding.NativeModel;
  test: Binding.CsrArg;
  args: Binding.EvalArgs;
}

/** Checks the arguments of a metric function or of `evaluate` and converts them. */
export function nativeCall(
  where: string,
  model: LightFM,
  testInteractions: SparseMatrix,
  options: unknown,
  metrics: unknown,
): NativeCall {
  if (options === null || typeof options !== 'object') throw invalidArg(`${where}: options must be an object, got ${describe(options)}`);
  const o = options as RankingOptions;
  const handle = nativeModel(model);
  return {
    model: handle,
    test: asCsr(`${where}: testInteractions`, testInteractions).toNative(),
    args: {
      metrics: metricList(where, metrics),
      k: positiveInt(where, 'k', o.k, 10),
      train: optionalCsr(where, 'trainInteractions', o.trainInteractions),
      userFeatures: optionalCsr(where, 'userFeatures', o.userFeatures),
      itemFeatures: optionalCsr(where, 'itemFeatures', o.itemFeatures),
      preserveRows: flag(where, 'preserveRows', o.preserveRows, false),
      numThreads: positiveInt(where, 'numThreads', o.numThreads, 1),
      checkIntersections: flag(where, 'checkIntersections', o.checkIntersections, true),
    },
  };
}
