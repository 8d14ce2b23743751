import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareModels, similarTags } from '../src/compare.js';
import { loadColdStartData } from '../src/data.js';

const dataHome = process.env.LIGHTFM_DATA_HOME;
if (!dataHome) console.log('hybrid-cold-start: LIGHTFM_DATA_HOME is unset, so the CrossValidated run is skipped (the synthetic run still runs)');

describe('hybrid-cold-start', () => {
  const empty = mkdtempSync(join(tmpdir(), 'lightfm-cold-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('falls back to synthetic new items, where only the hybrid model ranks well', async () => {
    const lines: string[] = [];
    const data = await loadColdStartData({ dataHome: empty, baseUrl: 'http://127.0.0.1:1/' }, (line) => lines.push(line));
    expect(lines).toHaveLength(1);
    expect(data.source).toBe('synthetic');
    const { pureCf, hybrid, hybridModel } = await compareModels(data);
    expect(pureCf.test).toBeLessThan(0.5);
    expect(hybrid.test).toBeGreaterThan(0.75);
    const [[tag, neighbours] = ['', []]] = similarTags(hybridModel, data.tagLabels, ['tag:0'], 3);
    expect(tag).toBe('tag:0');
    expect(neighbours).toHaveLength(3);
  });

  it.skipIf(!dataHome)('reproduces LightFM example on CrossValidated', async () => {
    const data = await loadColdStartData({ downloadIfMissing: false }, () => {});
    const { pureCf, hybrid } = await compareModels(data, { trainAuc: false });
    console.log(`CrossValidated test AUC: pure CF ${pureCf.test.toFixed(3)}, hybrid ${hybrid.test.toFixed(3)}`);
    // LightFM: 0.347 and 0.703.
    expect(pureCf.test).toBeLessThan(0.45);
    expect(hybrid.test).toBeGreaterThan(0.65);
  });
});
