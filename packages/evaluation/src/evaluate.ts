import type { LightFM, SparseMatrix } from '@lightfm-ts/core';
import { type Binding, call, fromNative, native, polling } from '@lightfm-ts/core/internal';
import { type EvaluateOptions, type MetricName, OPTION_KEYS, type PerUserMetric, nativeCall } from './options.js';
import { evaluationReporter } from './progress.js';

/**
 * Every requested metric from one pass, per user and summarised.
 *
 * `M` is the union of the requested metric names, so only those appear in `perUser` and `mean`.
 */
export interface Evaluation<M extends MetricName = MetricName> {
  /**
   * The user id (test-matrix row) of each entry of the `perUser` arrays, increasing: the users
   * with at least one stored test entry, or every row with `preserveRows`.
   */
  users: Int32Array;
  /** Users with at least one stored test entry: those the means are over. */
  evaluatedUsers: number;
  /** One value per entry of `users`, per requested per-user metric. */
  perUser: Record<Extract<M, PerUserMetric>, Float32Array>;
  /** Mean of each per-user metric over the users with test entries (NaN when there are none). */
  mean: Record<Extract<M, PerUserMetric>, number>;
  /** When requested: the share of all items that are in the top `k` of some evaluated user. */
  catalogCoverage?: number;
  /** When `rmse` is requested: the RMSE over all stored test entries pooled (not a mean of users). */
  pooledRmse?: number;
  /** When `mae` is requested: the MAE over all stored test entries pooled. */
  pooledMae?: number;
}

function convert<M extends MetricName>(out: Binding.EvalOutput): Evaluation<M> {
  const perUser: Record<string, Float32Array> = {};
  const mean: Record<string, number> = {};
  for (const c of out.columns) {
    perUser[c.metric] = c.values;
    mean[c.metric] = c.mean;
  }
  const result: Evaluation<M> = {
    users: out.users,
    evaluatedUsers: out.evaluatedUsers,
    perUser: perUser as Evaluation<M>['perUser'],
    mean: mean as Evaluation<M>['mean'],
  };
  if (out.catalogCoverage != null) result.catalogCoverage = out.catalogCoverage;
  if (out.pooledRmse != null) result.pooledRmse = out.pooledRmse;
  if (out.pooledMae != null) result.pooledMae = out.pooledMae;
  return result;
}

/**
 * Computes several metrics in one pass: every user's items are scored and ranked once, and
 * every metric is derived from that ranking. The pass runs off the event loop (the model's
 * representations are copied first, so the model may be trained again meanwhile).
 *
 * Semantics follow LightFM's `lightfm.evaluation`: every stored test entry is a positive
 * (whatever its value), `trainInteractions` items are excluded from each user's ranking, and
 * ties count against the test item (an item scoring the same ranks above it). See
 * docs/evaluation.md for every formula and for the users without test entries or negatives.
 *
 * @param model - A fitted model.
 * @param testInteractions - `users x items`; every stored entry is a positive.
 * @param options - The metrics and LightFM's evaluation options.
 * @returns Per-user values, their means, and coverage / pooled errors when requested.
 * @throws {LightFMError} `ERR_NOT_FITTED`; `ERR_BUSY` while the model trains; `ERR_SHAPE`
 *   when matrices do not fit the model or each other; `ERR_INVALID_ARG` for bad options or
 *   when test and train share entries (unless `checkIntersections: false`).
 * @example
 * ```ts
 * const e = await evaluate(model, test, { metrics: ['precision', 'auc', 'ndcg'], k: 10, trainInteractions: train });
 * console.log(e.mean.precision, e.mean.auc, e.mean.ndcg);
 * ```
 */
export async function evaluate<const M extends MetricName>(
  model: LightFM,
  testInteractions: SparseMatrix,
  options: EvaluateOptions<M>,
): Promise<Evaluation<M>> {
  const c = nativeCall('evaluate()', model, testInteractions, options, OPTION_KEYS.evaluate);
  const shown = evaluationReporter(c.progress, true);
  const counter = new native.ProgressCounter();
  try {
    const pass = native.evaluateAsync(c.model, c.test, c.args, counter);
    const out = await (shown ? polling(counter, (r) => shown.reading(r), pass) : pass);
    shown?.finished(out.users.length);
    return convert<M>(out);
  } catch (err) {
    throw fromNative(err);
  } finally {
    shown?.stop();
  }
}

/**
 * `evaluate` on the calling thread: blocks the event loop for the pass (fine in scripts;
 * prefer `evaluate` in servers). It reads the test and train matrices in place where
 * `evaluate` copies them, so it needs less memory.
 *
 * @returns The same result as `evaluate`.
 * @throws {LightFMError} As `evaluate`.
 * @example
 * ```ts
 * const { mean } = evaluateSync(model, test, { metrics: ['recall', 'map'], k: 5 });
 * ```
 */
export function evaluateSync<const M extends MetricName>(
  model: LightFM,
  testInteractions: SparseMatrix,
  options: EvaluateOptions<M>,
): Evaluation<M> {
  const c = nativeCall('evaluateSync()', model, testInteractions, options, OPTION_KEYS.evaluate);
  const shown = evaluationReporter(c.progress, false);
  const out = call(() => native.evaluate(c.model, c.test, c.args));
  shown?.finished(out.users.length);
  shown?.stop();
  return convert<M>(out);
}
