import { fetchMovielens, makeSynthetic } from '@lightfm-ts/datasets';
import { describe, expect, it } from 'vitest';
import { quickstart } from '../src/quickstart.js';

const dataHome = process.env.LIGHTFM_DATA_HOME;
if (!dataHome) console.log('quickstart: LIGHTFM_DATA_HOME is unset, so the MovieLens run is skipped (the synthetic run still runs)');

describe('quickstart', () => {
  it('runs on synthetic data', async () => {
    const data = makeSynthetic({ users: 300, items: 200, interactions: 6000, seed: 1 });
    const result = await quickstart(data, { epochs: 3 });
    expect(result.trainPrecision).toBeGreaterThan(0.1);
    expect(result.testPrecision).toBeGreaterThan(0);
  });

  it.skipIf(!dataHome)('matches LightFM quickstart numbers on MovieLens 100k', async () => {
    const result = await quickstart(await fetchMovielens({ minRating: 5, downloadIfMissing: false }));
    console.log(`quickstart on MovieLens: train P@5 ${result.trainPrecision.toFixed(3)}, test P@5 ${result.testPrecision.toFixed(3)}`);
    // LightFM reports 0.43 and 0.04.
    expect(result.trainPrecision).toBeGreaterThan(0.35);
    expect(result.testPrecision).toBeGreaterThan(0.03);
  });
});
