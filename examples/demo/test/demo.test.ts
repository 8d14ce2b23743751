import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadData } from '../src/data.js';
import { runDemo } from '../src/demo.js';
import { metricsTable, recommendationTable } from '../src/report.js';

const dataHome = process.env.LIGHTFM_DATA_HOME;
if (!dataHome) console.log('demo: LIGHTFM_DATA_HOME is unset, so the MovieLens run is skipped (the synthetic run still runs)');

describe('demo without MovieLens', () => {
  const empty = mkdtempSync(join(tmpdir(), 'lightfm-demo-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('says so in one line and runs the same pipeline on synthetic data', async () => {
    const lines: string[] = [];
    // An empty cache and a download that is refused at once: the no-network case.
    const data = await loadData({ dataHome: empty, baseUrl: 'http://127.0.0.1:1/' }, (line) => lines.push(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/could not be downloaded.*synthetic/);
    expect(data.source).toBe('synthetic');

    const epochs: number[] = [];
    const result = await runDemo(data, { epochs: 3, numThreads: 2, onEpoch: (e) => epochs.push(e.epoch) });
    expect(epochs).toEqual([1, 2, 3]);
    expect(result.metrics.test.auc).toBeGreaterThan(0.8);
    for (const s of [result.metrics.train, result.metrics.test]) {
      for (const v of [s.precision, s.auc, s.ndcg]) expect(v).toBeGreaterThan(0);
    }
    expect(result.users).toHaveLength(3);
    for (const u of result.users) {
      expect(u.liked).toHaveLength(5);
      expect(u.recommended).toHaveLength(5);
      expect(u.recommended.filter((item) => u.liked.includes(item))).toEqual([]);
    }
    const printed = [...metricsTable(result.metrics), ...recommendationTable(result.users, 'interacted with')];
    expect(printed.join('\n')).toContain('precision@10');
  });
});

describe.skipIf(!dataHome)('demo on MovieLens 100k (LIGHTFM_DATA_HOME)', () => {
  it('reaches a test AUC above 0.90 with the demo settings', async () => {
    const data = await loadData({ downloadIfMissing: false }, () => {});
    expect(data.source).toBe('movielens');
    const result = await runDemo(data, { epochs: 10 });
    console.log(`demo on MovieLens: test AUC ${result.metrics.test.auc.toFixed(3)}, P@10 ${result.metrics.test.precision.toFixed(3)}`);
    expect(result.metrics.test.auc).toBeGreaterThan(0.9);
    expect(result.metrics.test.precision).toBeGreaterThan(0.15);
    expect(result.users[0]?.recommended).toHaveLength(5);
  });
});
