import { describe, expect, it } from 'vitest';
import { resultTables, scalingTable, targetTable, toRows } from '../src/report.js';
import { median } from '../src/stats.js';
import type { RunResult } from '../src/result.js';

function run(over: Partial<RunResult>): RunResult {
  return {
    library: 'lightfm', version: '1', dataset: 'ml1m', loss: 'bpr', threads: 2, components: 64, epochs: 2,
    trainSamples: 1_000_000, epochSeconds: [1, 1], epochCpuSeconds: [2, 2], evalSeconds: 2, auc: 0.9, precisionAt10: 0.1,
    recommendSeconds: 2, recommendUsers: 10, peakRssBytes: 100 * 2 ** 20, ...over,
  };
}

describe('median', () => {
  it('takes the middle value or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('toRows', () => {
  it('pairs both libraries per configuration and takes medians over repetitions', () => {
    const rows = toRows([
      run({}),
      run({ library: 'lightfm-ts', epochSeconds: [0.2, 0.2] }),
      run({ library: 'lightfm-ts', epochSeconds: [0.3, 0.3] }),
      run({ library: 'lightfm-ts', epochSeconds: [0.25, 0.25] }),
    ]);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row?.lightfm?.samplesPerSecond).toBe(1_000_000);
    expect(row?.ours?.runs).toBe(3);
    expect(row?.ours?.secondsPerEpoch).toBe(0.25);
    expect(row?.ours?.samplesPerSecond).toBe(4_000_000);
  });
});

describe('targetTable', () => {
  it('marks each issue-8 target PASS or MISS from the ratios', () => {
    const rows = toRows([
      run({ threads: 1, epochSeconds: [2, 2] }),
      run({ library: 'lightfm-ts', threads: 1, epochSeconds: [0.5, 0.5] }),
      run({}),
      run({ library: 'lightfm-ts', epochSeconds: [0.25, 0.25], auc: 0.89, recommendSeconds: 0.05, evalSeconds: 0.5, peakRssBytes: 200 * 2 ** 20 }),
    ]);
    const text = targetTable(rows);
    expect(text).toMatch(/samples\/s >= 3x LightFM, ml1m bpr 2 threads \| 4\.00x \| PASS/);
    expect(text).toMatch(/AUC within 0\.005 of LightFM or better, ml1m bpr \| -0\.0100 \| MISS/);
    expect(text).toMatch(/2-thread speed-up >= 1\.7x, ml1m bpr \| 2\.00x \| PASS/);
    // LightFM's fastest top-10 over both thread counts is 2 s: 40x.
    expect(text).toMatch(/recommend-all-users >= 20x \(vs LightFM's fastest\), ml1m bpr 2t \| 40\.0x \| PASS/);
    expect(text).toMatch(/evaluation >= 5x \(vs LightFM's fastest\), ml1m bpr 2t \| 4\.0x \| MISS/);
    expect(text).toMatch(/peak RSS <= LightFM's, ml1m bpr 2t \| 2\.00 \| MISS/);
    expect(scalingTable(rows)).toMatch(/\| ml1m \| bpr \| 2\.00 \| 2\.00 \|/);
    expect(resultTables(rows)).toContain('| ml1m | bpr | 2 | 1.000 | 0.250 | 1.00 | 4.00 | 4.0x |');
  });

  it("shows each side's baseline and what the workload added above it", () => {
    const rows = toRows([run({ baseRssBytes: 40 * 2 ** 20 }), run({ library: 'lightfm-ts', peakRssBytes: 120 * 2 ** 20, baseRssBytes: 50 * 2 ** 20 })]);
    expect(resultTables(rows)).toContain('| ml1m | bpr | 2 | 100 | 120 | 1.20 | 40 | 50 | 60 | 70 |');
    // Results from a worker that did not report a baseline.
    expect(resultTables(toRows([run({}), run({ library: 'lightfm-ts' })]))).toContain('| 1.00 | n/a | n/a | n/a | n/a |');
  });
});
