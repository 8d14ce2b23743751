// What an omitted serving, evaluation or early-stopping option means, read once from the Rust
// core, where the defaults are defined (the hyperparameters' are in `defaultOptions()`).
import { type Binding, native } from './native.js';

const defaults = native.optionDefaults();

/** Items per `recommend` list and per `similarItems` / `similarUsers` list. */
export const DEFAULT_K: number = defaults.k;

/** `k`, `preserveRows`, `numThreads` and `checkIntersections` of the evaluation functions. */
export const EVALUATION_DEFAULTS: Readonly<Binding.EvalDefaults> = Object.freeze(defaults.evaluation);

/** `metric`, `k`, `patience`, `restoreBest` and `checkIntersections` of `fit`'s `validation`. */
export const VALIDATION_DEFAULTS: Readonly<Binding.ValidationDefaults> = Object.freeze(defaults.validation);

/** `m`, `efConstruction` and `ef` of `buildIndex`. */
export const INDEX_DEFAULTS: Readonly<Binding.IndexDefaults> = Object.freeze(defaults.index);
