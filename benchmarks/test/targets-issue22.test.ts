import { describe, expect, it } from 'vitest';
import type { CurveResult } from '../src/curves.js';
import { toRows } from '../src/report.js';
import type { RunResult } from '../src/result.js';
import { issue22Targets } from '../src/targets-issue22.js';

function run(over: Partial<RunResult>): RunResult {
  return {
    library: 'lightfm', version: '1', dataset: 'synthetic100m', loss: 'warp', threads: 2, components: 64, epochs: 1,
    trainSamples: 100_000_000, epochSeconds: [200], epochCpuSeconds: [400], evalSeconds: 60, auc: 0.9, precisionAt10: 0.01,
    recommendSeconds: 60, recommendUsers: 1000, peakRssBytes: 6700 * 2 ** 20, ...over,
  };
}

const curve = (over: Partial<CurveResult>): CurveResult => ({
  library: 'implicit', version: '0.7.3', dataset: 'ml1m', loss: 'bpr', threads: 2, components: 64, trainSamples: 900_000,
  epochSeconds: [1, 1, 1], precisionAt10: [0.1, 0.2, 0.25], target: null, maxEpochs: 100, peakRssBytes: 1, ...over,
});

describe('issue22Targets', () => {
  it('checks speed, AUC, scaling and memory on the 100M set and the race on ml1m', () => {
    const rows = toRows([
      run({}),
      run({ library: 'lightfm-ts', epochSeconds: [40], auc: 0.896, peakRssBytes: 4600 * 2 ** 20 }),
      run({ threads: 1, epochSeconds: [380] }),
      run({ library: 'lightfm-ts', threads: 1, epochSeconds: [76] }),
      run({ dataset: 'ml1m', trainSamples: 900_000, epochSeconds: [1] }),
      run({ dataset: 'ml1m', library: 'lightfm-ts', trainSamples: 900_000, epochSeconds: [0.2] }),
    ]);
    const curves = [curve({}), curve({ library: 'lightfm-ts', target: 0.25, precisionAt10: [0.26], epochSeconds: [0.4] })];
    const text = issue22Targets(rows, curves);
    expect(text).toMatch(/samples\/s >= 4x LightFM, synthetic100m warp 2 threads \| 5\.00x \| PASS/);
    expect(text).toMatch(/AUC within 0\.005 of LightFM or better, synthetic100m warp 2 threads \| -0\.0040 \| PASS/);
    expect(text).toMatch(/2-thread speed-up >= 1\.8x, synthetic100m warp \| 1\.90x \| PASS/);
    expect(text).toMatch(/peak RSS <= 0\.7x LightFM's, synthetic100m warp 2t \| 0\.69 \| PASS/);
    expect(text).toMatch(/peak RSS <= 0\.7x LightFM's, synthetic100m warp 1t \| 1\.00 \| MISS/);
    expect(text).toMatch(/samples\/s >= 6x LightFM, ml1m warp 2 threads \| 5\.00x \| MISS/);
    expect(text).toMatch(/time to implicit BPR's best P@10 below implicit's, ml1m 2t \| bpr 0\.40 s vs 3\.00 s \| PASS/);
    expect(issue22Targets(rows, [curve({})])).not.toMatch(/time to implicit/);
    expect(issue22Targets(rows, [curve({}), curve({ library: 'lightfm-ts', target: 0.25, precisionAt10: [0.2], maxEpochs: 1 })])).toMatch(/not reached \(implicit: 3\.00 s\) \| MISS/);
  });
});
