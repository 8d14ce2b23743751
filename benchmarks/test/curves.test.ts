import { describe, expect, it } from 'vitest';
import { implicitTable, raceTable, races } from '../src/curve-report.js';
import { type CurveResult, PATIENCE, readCurve, shouldStop } from '../src/curves.js';
import { toRows } from '../src/report.js';
import type { RunResult } from '../src/result.js';

function curve(over: Partial<CurveResult>): CurveResult {
  return {
    library: 'implicit', version: '0.7.3', dataset: 'ml1m', loss: 'bpr', threads: 2, components: 64, trainSamples: 1_000_000,
    epochSeconds: [1.5, 1, 1, 1], precisionAt10: [0.1, 0.2, 0.3, 0.3], target: null, maxEpochs: 100, peakRssBytes: 2 ** 27, ...over,
  };
}

describe('shouldStop', () => {
  it('stops at the cap, at the target, or after PATIENCE epochs without a new best, with or without a target', () => {
    expect(shouldStop([0.1, 0.2], 2, null)).toBe(true);
    expect(shouldStop([0.1, 0.2], 5, 0.2)).toBe(true);
    expect(shouldStop([0.1, 0.19], 5, 0.2)).toBe(false);
    const flat = [0.3, ...Array<number>(PATIENCE).fill(0.3)];
    expect(shouldStop(flat.slice(0, PATIENCE), 100, null)).toBe(false);
    // A tie is no new best: the first best stands.
    expect(shouldStop(flat, 100, null)).toBe(true);
    // Below a target it cannot reach, a run stops the same way.
    expect(shouldStop(flat, 100, 0.5)).toBe(true);
    expect(shouldStop(flat.slice(0, PATIENCE), 100, 0.5)).toBe(false);
  });
});

describe('readCurve', () => {
  it('reads speed from the median epoch, and seconds through the first best or the first epoch at the target', () => {
    expect(readCurve(curve({}))).toEqual({ samplesPerSecond: 1_000_000, best: 0.3, bestEpoch: 3, secondsToBest: 3.5, targetEpoch: null, secondsToTarget: null });
    const ours = readCurve(curve({ library: 'lightfm-ts', target: 0.2, precisionAt10: [0.1, 0.25], epochSeconds: [0.5, 0.5] }));
    expect(ours).toMatchObject({ targetEpoch: 2, secondsToTarget: 1 });
    expect(readCurve(curve({ target: 0.5 })).secondsToTarget).toBeNull();
  });
});

describe('curve tables', () => {
  const implicit = curve({});
  const bpr = curve({ library: 'lightfm-ts', target: 0.3, precisionAt10: [0.2, 0.31], epochSeconds: [0.5, 0.5] });
  const warp = curve({ library: 'lightfm-ts', loss: 'warp', target: 0.3, precisionAt10: [0.3], epochSeconds: [0.8] });
  const logistic = curve({ library: 'lightfm-ts', loss: 'logistic', target: 0.3, precisionAt10: [0.1, 0.2], epochSeconds: [0.1, 0.1], maxEpochs: 2 });

  it("finds the fastest loss that reached implicit's best", () => {
    expect(races([implicit, bpr, warp, logistic])).toEqual([{ dataset: 'ml1m', threads: 2, implicitSeconds: 3.5, fastest: { loss: 'warp', seconds: 0.8 } }]);
    expect(races([implicit, logistic])).toEqual([{ dataset: 'ml1m', threads: 2, implicitSeconds: 3.5 }]);
  });

  it("shows implicit's speed beside lightfm-ts's BPR, and each loss's time to implicit's best", () => {
    const ours: RunResult = {
      library: 'lightfm-ts', version: '1', dataset: 'ml1m', loss: 'bpr', threads: 2, components: 64, epochs: 1, trainSamples: 1_000_000,
      epochSeconds: [0.25], epochCpuSeconds: [0.5], evalSeconds: 1, auc: 0.9, precisionAt10: 0.1, recommendSeconds: 1, recommendUsers: 10, peakRssBytes: 1,
    };
    expect(implicitTable([implicit, bpr], toRows([ours]))).toContain('| ml1m | 2 | 1 | 4 | 1.00 | 4.00 | 0.3000 | 3 | 3.50 |');
    const text = raceTable([implicit, bpr, logistic]);
    expect(text).toContain('| ml1m | 2 | bpr | 0.3000 | 1/1 | 2 | 1.00 | 3.50 | 3.5x | 0.3100 |');
    expect(text).toContain('| ml1m | 2 | logistic | 0.3000 | 0/1 | not in 2 | n/a | 3.50 | n/a | 0.2000 |');
  });
});
