import { fetchMovielens, makeSynthetic } from '@lightfm-ts/datasets';
import { describe, expect, it } from 'vitest';
import { compareLosses } from '../src/losses.js';

const dataHome = process.env.LIGHTFM_DATA_HOME;
if (!dataHome) console.log('warp-vs-bpr: LIGHTFM_DATA_HOME is unset, so the MovieLens run is skipped (the synthetic run still runs)');

describe('warp-vs-bpr', () => {
  it('records AUC and time per epoch for both losses (synthetic data)', async () => {
    const data = makeSynthetic({ users: 300, items: 200, interactions: 6000, seed: 1 });
    const curves = await compareLosses(data, { epochs: 2 });
    for (const curve of [curves.warp, curves.bpr]) {
      expect(curve.auc).toHaveLength(2);
      expect(curve.seconds.every((s) => s > 0)).toBe(true);
    }
    expect(curves.warp.auc[1]).toBeGreaterThan(0.7);
  });

  it.skipIf(!dataHome)('WARP leads BPR early on MovieLens 100k', async () => {
    const curves = await compareLosses(await fetchMovielens({ downloadIfMissing: false }), { epochs: 2, maxSampled: 3 });
    console.log(`MovieLens test AUC after 2 epochs: WARP ${curves.warp.auc[1]?.toFixed(3)}, BPR ${curves.bpr.auc[1]?.toFixed(3)}`);
    // LightFM's plots: WARP about 0.92 after 2 epochs, BPR about 0.83.
    expect(curves.warp.auc[1]).toBeGreaterThan(0.88);
    expect(curves.warp.auc[1]).toBeGreaterThan(curves.bpr.auc[1] ?? 1);
  });
});
