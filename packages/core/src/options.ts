import { native } from './native.js';
import { invalidArg } from './errors.js';
import { describe } from './arrays.js';

/** The loss a model trains with; README.md's "Losses: which one to use" compares them. */
export type Loss = 'logistic' | 'bpr' | 'warp' | 'warp-kos' | 'regression';
/** The per-parameter learning-rate schedule: adagrad (`learningRate`) or adadelta (`rho`, `epsilon`). */
export type LearningSchedule = 'adagrad' | 'adadelta';

/** Hyperparameters of a `LightFM` model. Defaults are LightFM 1.17's. */
export interface LightFMOptions {
  /** Embedding dimension. @default 10 */
  noComponents?: number;
  /** k-OS: the k-th positive of the `n` sampled is the anchor. @default 5 */
  k?: number;
  /** k-OS: positives sampled per update. @default 10 */
  n?: number;
  /** Per-parameter learning-rate schedule. @default 'adagrad' */
  learningSchedule?: LearningSchedule;
  /** Training objective. @default 'logistic' */
  loss?: Loss;
  /** Initial learning rate for adagrad (adadelta ignores it). @default 0.05 */
  learningRate?: number;
  /** adadelta's decay, in (0, 1). @default 0.95 */
  rho?: number;
  /** adadelta's conditioning constant. @default 1e-6 */
  epsilon?: number;
  /** L2 penalty on item feature parameters. @default 0 */
  itemAlpha?: number;
  /** L2 penalty on user feature parameters. @default 0 */
  userAlpha?: number;
  /** WARP / k-OS: most negatives drawn per positive. @default 10 */
  maxSampled?: number;
  /**
   * Seed for initialisation, shuffling and sampling (a non-negative safe integer). With
   * `numThreads: 1` the same seed gives bit-identical models. @default a random seed
   */
  randomState?: number;
}

/** Every hyperparameter, as `getParams()` returns them. */
export type LightFMParams = Required<LightFMOptions>;

const INTEGER_KEYS = ['noComponents', 'k', 'n', 'maxSampled'] as const;
const NUMBER_KEYS = ['learningRate', 'rho', 'epsilon', 'itemAlpha', 'userAlpha'] as const;
const KNOWN = new Set<string>([...INTEGER_KEYS, ...NUMBER_KEYS, 'learningSchedule', 'loss', 'randomState']);

/** LightFM's defaults, read from the core (the single place they are defined). */
export function defaultOptions(): LightFMParams {
  return native.defaultOptions() as LightFMParams;
}

/** Checks option types and names (ranges are checked by the core). */
export function checkOptions(where: string, opts: unknown): LightFMOptions {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== 'object') throw invalidArg(`${where}: options must be an object, got ${describe(opts)}`);
  const o = opts as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key)) {
      throw invalidArg(`${where}: unknown option '${key}'; valid options are ${[...KNOWN].join(', ')}`);
    }
  }
  for (const key of INTEGER_KEYS) {
    const v = o[key];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) > 0 && (v as number) <= 0xffffffff)) {
      throw invalidArg(`${where}: options.${key} must be a positive integer, got ${describe(v)}`);
    }
  }
  for (const key of NUMBER_KEYS) {
    const v = o[key];
    if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) {
      throw invalidArg(`${where}: options.${key} must be a number, got ${describe(v)}`);
    }
  }
  const seed = o.randomState;
  if (seed !== undefined && !(Number.isSafeInteger(seed) && (seed as number) >= 0)) {
    throw invalidArg(`${where}: options.randomState must be a non-negative safe integer, got ${describe(seed)}`);
  }
  for (const key of ['loss', 'learningSchedule']) {
    if (o[key] !== undefined && typeof o[key] !== 'string') {
      throw invalidArg(`${where}: options.${key} must be a string, got ${describe(o[key])}`);
    }
  }
  return o as LightFMOptions;
}
