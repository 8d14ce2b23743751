// What one worker run reports; the Python worker prints the same fields.

/** The two sides of every comparison. */
export type Library = 'lightfm' | 'lightfm-ts';

/** One train-evaluate-recommend run in a fresh process. */
export interface RunResult {
  library: Library;
  version: string;
  dataset: string;
  loss: string;
  threads: number;
  components: number;
  epochs: number;
  /** Stored training interactions: the examples of one epoch. */
  trainSamples: number;
  /** Wall time of each `fitPartial` / `fit_partial` call of one epoch. */
  epochSeconds: number[];
  /** CPU time (user + system, all threads) of the process during each of those calls. */
  epochCpuSeconds: number[];
  /** Wall time of test AUC plus precision@10, train items excluded. */
  evalSeconds: number;
  auc: number;
  precisionAt10: number;
  /** Wall time of the top-10 (train items excluded) of `recommendUsers` users; null if unsupported. */
  recommendSeconds: number | null;
  recommendUsers: number;
  /** Peak resident set size of the whole process. */
  peakRssBytes: number;
  /**
   * Resident set size once the runtime and the library are loaded, before any data: the
   * baseline the peak includes (absent from results of older workers).
   */
  baseRssBytes?: number;
  /** 1-minute load average of the machine when the run started (added by the driver). */
  loadAverage?: number;
}

/** Marks the result line in a worker's stdout. */
export const RESULT_PREFIX = 'RESULT ';

/** The result line of a worker's stdout (a {@link RunResult}, or a curve result), or undefined. */
export function parseResult<T = RunResult>(stdout: string): T | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  return line === undefined ? undefined : (JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
}
