// Option types and their checks at the TypeScript edge; the rules about the data itself
// (shapes, index ranges, overlapping train and test) are enforced in the Rust core.
import type { LightFM, MetricName, PerUserMetric, SparseMatrix } from '@lightfm-ts/core';
import {
  type Binding,
  EVALUATION_DEFAULTS,
  type KnownKeys,
  METRICS,
  asCsr,
  describe,
  invalidArg,
  nativeModel,
  readOptions,
} from '@lightfm-ts/core/internal';
import type { EvaluationProgress, EvaluationProgressOption } from './progress.js';

/** Every metric `evaluate` computes, in the core's order. */
export { METRICS };
export type { MetricName, PerUserMetric };

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

const METRIC_KEYS: KnownKeys<MetricOptions> = {
  trainInteractions: true,
  userFeatures: true,
  itemFeatures: true,
  preserveRows: true,
  numThreads: true,
  checkIntersections: true,
};

/** The options each function knows: the metrics without a cut-off have no `k`. */
export const OPTION_KEYS = {
  unranked: METRIC_KEYS,
  ranking: { ...METRIC_KEYS, k: true } satisfies KnownKeys<RankingOptions>,
  evaluate: { ...METRIC_KEYS, k: true, metrics: true, progress: true } satisfies KnownKeys<EvaluateOptions>,
} as const;

/** One of {@link OPTION_KEYS}. */
export type OptionKeys = (typeof OPTION_KEYS)[keyof typeof OPTION_KEYS];

function metricList(where: string, metrics: unknown): MetricName[] {
  if (!Array.isArray(metrics) || metrics.length === 0 || !metrics.every((m) => typeof m === 'string')) {
    throw invalidArg(`${where}: options.metrics must be a non-empty array of metric names (${METRICS.join(', ')}), got ${describe(metrics)}`);
  }
  // The names themselves are checked by the core.
  return metrics as MetricName[];
}

/** Everything the native pass needs, checked. */
export interface NativeCall {
  model: Binding.NativeModel;
  test: Binding.CsrArg;
  args: Binding.EvalArgs;
  /** `evaluate`'s `progress` option, read and checked with the others. */
  progress: EvaluationProgressOption | undefined;
}

/**
 * Checks the arguments of a metric function or of `evaluate` and converts them.
 * @param keys the options this function knows (`OPTION_KEYS`)
 * @param metrics the metric of a one-metric function (`evaluate` reads `options.metrics`)
 */
export function nativeCall(
  where: string,
  model: LightFM,
  testInteractions: SparseMatrix,
  options: EvaluateOptions | RankingOptions | undefined,
  keys: OptionKeys,
  metrics?: readonly MetricName[],
): NativeCall {
  const o = readOptions(where, options as EvaluateOptions | undefined, keys as KnownKeys<EvaluateOptions>);
  const d = EVALUATION_DEFAULTS;
  const handle = nativeModel(model);
  return {
    model: handle,
    test: asCsr(`${where}: testInteractions`, testInteractions).toNative(),
    args: {
      metrics: metricList(where, metrics ?? o.get('metrics')),
      k: o.int('k', d.k),
      train: o.csr('trainInteractions'),
      userFeatures: o.csr('userFeatures'),
      itemFeatures: o.csr('itemFeatures'),
      preserveRows: o.flag('preserveRows', d.preserveRows),
      numThreads: o.int('numThreads', d.numThreads),
      checkIntersections: o.flag('checkIntersections', d.checkIntersections),
    },
    progress: o.progress('progress'),
  };
}
