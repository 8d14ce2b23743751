import { fetchMovielens, makeSynthetic } from '@lightfm-ts/datasets';
import { describe, expect, it } from 'vitest';
import { compareSchedules } from '../src/schedules.js';

const dataHome = process.env.LIGHTFM_DATA_HOME;
if (!dataHome) console.log('learning-schedules: LIGHTFM_DATA_HOME is unset, so the MovieLens run is skipped (the synthetic run still runs)');

describe('learning-schedules', () => {
  it('records one AUC per epoch and schedule (synthetic data)', async () => {
    const data = makeSynthetic({ users: 300, items: 200, interactions: 6000, seed: 1 });
    const seen: string[] = [];
    const curves = await compareSchedules(data, { epochs: 2, loss: 'warp-kos', onEpoch: (s, e) => seen.push(`${s}${e}`) });
    expect(seen).toEqual(['adagrad1', 'adagrad2', 'adadelta1', 'adadelta2']);
    for (const auc of [...curves.adagrad, ...curves.adadelta]) expect(auc).toBeGreaterThan(0.6);
  });

  it.skipIf(!dataHome)('learns on MovieLens 100k with both schedules', async () => {
    const curves = await compareSchedules(await fetchMovielens({ downloadIfMissing: false }), { epochs: 3 });
    console.log(`MovieLens test AUC after 3 epochs: adagrad ${curves.adagrad[2]?.toFixed(3)}, adadelta ${curves.adadelta[2]?.toFixed(3)}`);
    expect(curves.adagrad[2]).toBeGreaterThan(0.85);
    expect(curves.adadelta[2]).toBeGreaterThan(0.85);
  });
});
