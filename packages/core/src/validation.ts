// Early stopping for `fit`: the option type, its checks and the report. The rule (when a
// metric improves, when to stop, what to restore) lives in lightfm-core's
// `metrics::EarlyStopping`; this module only converts.
import type { Binding } from './native.js';
import { describe } from './arrays.js';
import { invalidArg } from './errors.js';
import { type SparseMatrix, asCsr } from './sparse.js';

/** Metrics early stopping can watch; `rmse` and `mae` improve downwards, the others upwards. */
export type ValidationMetric = 'precision' | 'recall' | 'auc' | 'reciprocalRank' | 'ndcg' | 'map' | 'hitRate' | 'rmse' | 'mae';

const METRICS: readonly ValidationMetric[] = ['precision', 'recall', 'auc', 'reciprocalRank', 'ndcg', 'map', 'hitRate', 'rmse', 'mae'];

/**
 * Early stopping: after every epoch the model is evaluated on `interactions` (the same pass as
 * `@lightfm-ts/evaluation`, off the event loop) and training stops once `metric` has not
 * improved for `patience` epochs.
 *
 * @example
 * ```ts
 * await model.fit(train, { epochs: 100, validation: { interactions: valid, metric: 'auc', patience: 5 } });
 * console.log(model.lastValidation); // { metric: 'auc', values: [...], bestEpoch: 12, ... }
 * ```
 */
export interface ValidationOptions {
  /** Held-out `users x items` interactions, same shape as the training ones; every stored entry is a positive. */
  interactions: SparseMatrix;
  /** The metric to watch (its mean over users with validation entries). @default 'auc' */
  metric?: ValidationMetric;
  /** Cut-off of `precision`, `recall`, `ndcg`, `map` and `hitRate`. @default 10 */
  k?: number;
  /** Epochs without improvement before stopping (an improvement is a strictly better value). @default 5 */
  patience?: number;
  /** When training ends, put back the parameters (and epoch count) of the best epoch. @default true */
  restoreBest?: boolean;
  /** Items stored here are left out of each user's validation ranking (usually the training interactions). */
  trainInteractions?: SparseMatrix;
  /** Throw `ERR_INVALID_ARG` when `trainInteractions` and `interactions` share entries. @default true */
  checkIntersections?: boolean;
}

/** What early stopping saw during the last `fit` / `fitPartial` with `validation`. */
export interface ValidationResult {
  /** The metric that was computed (`validation.metric`). */
  metric: ValidationMetric;
  /** The metric after each epoch run (index 0 is epoch 1). */
  values: number[];
  /** The best epoch (1-based, within that call); with `restoreBest` the model holds its parameters. */
  bestEpoch: number;
  /** The metric at `bestEpoch`. */
  bestValue: number;
  /** Whether training stopped before the requested number of epochs. */
  stoppedEarly: boolean;
}

function whole(where: string, name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 0xffffffff) {
    throw invalidArg(`${where}: validation.${name} must be an integer >= 1, got ${describe(v)}`);
  }
  return v as number;
}

function flag(where: string, name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw invalidArg(`${where}: validation.${name} must be a boolean, got ${describe(v)}`);
  return v;
}

/** Checks `validation` and converts it for the binding (`undefined` when not asked for). */
export function validationArgs(where: string, v: ValidationOptions | undefined): Binding.ValidationArgs | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object') throw invalidArg(`${where}: validation must be an object, got ${describe(v)}`);
  const metric = v.metric ?? 'auc';
  if (!METRICS.includes(metric)) {
    throw invalidArg(`${where}: validation.metric must be one of ${METRICS.join(', ')}, got ${describe(metric)}`);
  }
  return {
    interactions: asCsr(`${where}: validation.interactions`, v.interactions).toNative(),
    train: v.trainInteractions === undefined ? undefined : asCsr(`${where}: validation.trainInteractions`, v.trainInteractions).toNative(),
    metric,
    k: whole(where, 'k', v.k, 10),
    patience: whole(where, 'patience', v.patience, 5),
    restoreBest: flag(where, 'restoreBest', v.restoreBest, true),
    checkIntersections: flag(where, 'checkIntersections', v.checkIntersections, true),
  };
}

/** The report of a fit with validation, from its per-epoch history. */
export function validationResult(args: Binding.ValidationArgs, history: Binding.EpochProgress[], epochs: number): ValidationResult {
  const values = history.map((e) => e.validation ?? Number.NaN);
  const bestEpoch = history.at(-1)?.bestEpoch ?? 0;
  return {
    metric: args.metric as ValidationMetric,
    values,
    bestEpoch,
    bestValue: values[bestEpoch - 1] ?? Number.NaN,
    stoppedEarly: history.length < epochs,
  };
}
