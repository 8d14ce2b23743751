// The implicit protocol (issue 22): train one epoch at a time, measure test precision@10
// (train items excluded) after each, and read off samples/s, the best precision and the
// training time it took to first reach it, or to reach another run's best.
import type { DatasetName } from './datasets.js';
import { median } from './stats.js';

/** A run stops once this many epochs in a row have not beaten its best. */
export const PATIENCE = 10;

/** Where implicit's BPR runs, its epoch cap, and whether lightfm-ts races to its best there. */
export const IMPLICIT_SETS: Partial<Record<DatasetName, { maxEpochs: number; race: boolean }>> = {
  ml1m: { maxEpochs: 100, race: true },
  synthetic100m: { maxEpochs: 15, race: false },
};

/** One curve run in a fresh process (both workers print the same fields). */
export interface CurveResult {
  library: 'implicit' | 'lightfm-ts';
  version: string;
  dataset: string;
  /** `bpr` for implicit. */
  loss: string;
  threads: number;
  components: number;
  /** Stored training interactions: the examples of one epoch. */
  trainSamples: number;
  /** Training wall time of each epoch, evaluation excluded (implicit's first includes its setup). */
  epochSeconds: number[];
  /** Test precision@10 after each epoch. */
  precisionAt10: number[];
  /** The precision the run stopped at once reached, or null for a run to its own best. */
  target: number | null;
  maxEpochs: number;
  peakRssBytes: number;
  /** 1-minute load average of the machine when the run started (added by the driver). */
  loadAverage?: number;
}

/**
 * Whether a run stops after these precisions: at its cap, at its target, or after
 * {@link PATIENCE} epochs without a new best (with a target too: a loss that has levelled off
 * below it will not get there).
 */
export function shouldStop(precisions: number[], maxEpochs: number, target: number | null): boolean {
  const n = precisions.length;
  if (n >= maxEpochs) return true;
  if (target !== null && (precisions[n - 1] as number) >= target) return true;
  return n - 1 - firstBest(precisions) >= PATIENCE;
}

function firstBest(precisions: number[]): number {
  let best = 0;
  precisions.forEach((p, e) => {
    if (p > (precisions[best] as number)) best = e;
  });
  return best;
}

const secondsThrough = (r: CurveResult, epoch: number) => r.epochSeconds.slice(0, epoch + 1).reduce((a, b) => a + b, 0);

/** What one curve run says: its speed, its best and when it got there, and when it reached its target. */
export interface CurvePoint {
  samplesPerSecond: number;
  best: number;
  /** 1-based epoch of the first best. */
  bestEpoch: number;
  secondsToBest: number;
  /** 1-based epoch where the target was first reached, or null (also without a target). */
  targetEpoch: number | null;
  secondsToTarget: number | null;
}

export function readCurve(r: CurveResult): CurvePoint {
  const best = firstBest(r.precisionAt10);
  const reached = r.target === null ? -1 : r.precisionAt10.findIndex((p) => p >= (r.target as number));
  return {
    samplesPerSecond: r.trainSamples / median(r.epochSeconds),
    best: r.precisionAt10[best] as number,
    bestEpoch: best + 1,
    secondsToBest: secondsThrough(r, best),
    targetEpoch: reached < 0 ? null : reached + 1,
    secondsToTarget: reached < 0 ? null : secondsThrough(r, reached),
  };
}
