import { native } from './native.js';
import { type KnownKeys, readOptions } from './option-reader.js';

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

const KEYS: KnownKeys<LightFMOptions> = {
  noComponents: true,
  k: true,
  n: true,
  learningSchedule: true,
  loss: true,
  learningRate: true,
  rho: true,
  epsilon: true,
  itemAlpha: true,
  userAlpha: true,
  maxSampled: true,
  randomState: true,
};

/** LightFM's defaults, read from the core (the single place they are defined). */
export function defaultOptions(): LightFMParams {
  return native.defaultOptions() as LightFMParams;
}

/** Checks option types and names (ranges are checked by the core). */
export function checkOptions(where: string, opts: LightFMOptions | undefined): LightFMOptions {
  const o = readOptions(where, opts, KEYS);
  for (const key of ['noComponents', 'k', 'n', 'maxSampled'] as const) o.int(key, undefined);
  for (const key of ['learningRate', 'rho', 'epsilon', 'itemAlpha', 'userAlpha'] as const) o.number(key, undefined);
  for (const key of ['loss', 'learningSchedule'] as const) o.string(key, undefined);
  o.int('randomState', undefined, 0, Number.MAX_SAFE_INTEGER);
  return opts ?? {};
}
