// Early stopping for `fit`: the option type, its checks and the report. The rule (when a
// metric improves, when to stop, what to restore) lives in lightfm-core's
// `metrics::EarlyStopping`; this module only converts.
import type { Binding } from './native.js';
import type { SparseMatrix } from './sparse.js';
import type { PerUserMetric } from './metric-names.js';
import { VALIDATION_DEFAULTS } from './defaults.js';
import type { KnownKeys, OptionsReader } from './option-reader.js';

/** Metrics early stopping can watch (every per-user metric); `rmse` and `mae` improve downwards, the others upwards. */
export type ValidationMetric = PerUserMetric;

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

const VALIDATION_KEYS: KnownKeys<ValidationOptions> = {
  interactions: true,
  metric: true,
  k: true,
  patience: true,
  restoreBest: true,
  trainInteractions: true,
  checkIntersections: true,
};

/**
 * Checks a fit's `validation` and converts it for the binding (`undefined` when not asked
 * for); omitted settings take the core's defaults, and the core checks the metric name.
 */
export function validationArgs(fit: OptionsReader<{ validation?: ValidationOptions }>): Binding.ValidationArgs | undefined {
  const v = fit.nested('validation', VALIDATION_KEYS);
  if (v === undefined) return undefined;
  const d = VALIDATION_DEFAULTS;
  const interactions = v.csr('interactions');
  if (interactions === undefined) throw v.invalid('interactions', 'is required (the held-out interactions to validate on)');
  return {
    interactions,
    train: v.csr('trainInteractions'),
    metric: v.string('metric', d.metric),
    k: v.int('k', d.k),
    patience: v.int('patience', d.patience),
    restoreBest: v.flag('restoreBest', d.restoreBest),
    checkIntersections: v.flag('checkIntersections', d.checkIntersections),
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
