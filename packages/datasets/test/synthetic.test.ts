import { describe, expect, it } from 'vitest';
import { LightFM } from '@lightfm-ts/core';
import { makeSynthetic } from '../src/index.js';
import { meanAuc } from './helpers/data.js';

const SMALL = { users: 300, items: 200, interactions: 6000, features: 20, seed: 3 } as const;

describe('makeSynthetic', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = makeSynthetic(SMALL);
    const b = makeSynthetic(SMALL);
    const c = makeSynthetic({ ...SMALL, seed: 4 });
    expect(a.train.row).toEqual(b.train.row);
    expect(a.train.col).toEqual(b.train.col);
    expect(a.test.col).toEqual(b.test.col);
    expect(a.itemFeatures.indices).toEqual(b.itemFeatures.indices);
    expect(a.train.col).not.toEqual(c.train.col);
  });

  it('returns exactly `interactions` distinct pairs, row-major, split into disjoint train and test', () => {
    const d = makeSynthetic(SMALL);
    expect(d.train.shape).toEqual([300, 200]);
    expect(d.test.shape).toEqual([300, 200]);
    expect(d.train.nnz + d.test.nnz).toBe(6000);
    expect(d.test.nnz / 6000).toBeGreaterThan(0.15);
    expect(d.test.nnz / 6000).toBeLessThan(0.25);
    const keys = (m: typeof d.train) => Array.from(m.row, (r, k) => r * 200 + (m.col[k] as number));
    const train = keys(d.train);
    const test = keys(d.test);
    expect(train).toEqual([...train].sort((x, y) => x - y));
    expect(new Set([...train, ...test]).size).toBe(6000);
    expect([...d.train.data, ...d.test.data].every((v) => v === 1)).toBe(true);
  });

  it('plants its latent groups: most interactions and tags follow them', () => {
    const d = makeSynthetic({ ...SMALL, clusters: 5, affinity: 0.8, featureNoise: 0.1 });
    const { userGroups, itemGroups } = d.latent;
    let same = 0;
    d.train.row.forEach((u, k) => (same += userGroups[u] === itemGroups[d.train.col[k] as number] ? 1 : 0));
    expect(same / d.train.nnz).toBeGreaterThan(0.7);
    // Tag t belongs to group t mod 5; indicator columns come first.
    let tagsInGroup = 0;
    let tags = 0;
    for (let i = 0; i < 200; i++) {
      for (const c of d.itemFeatures.row(i).indices) {
        if (c < 200) continue;
        tags++;
        if ((c - 200) % 5 === itemGroups[i]) tagsInGroup++;
      }
    }
    expect(tags).toBe(200 * 3);
    expect(tagsInGroup / tags).toBeGreaterThan(0.85);
  });

  it('builds item features with and without indicator columns, and optional user features', () => {
    const d = makeSynthetic({ ...SMALL, userFeatures: 7 });
    expect(d.itemFeatures.shape).toEqual([200, 220]);
    expect(d.itemFeatureLabels).toHaveLength(220);
    expect(d.itemFeatureLabels[0]).toBe('item:0');
    expect(d.itemFeatureLabels[200]).toBe('tag:0');
    expect(d.userFeatures?.shape).toEqual([300, 307]);
    const tagsOnly = makeSynthetic({ ...SMALL, indicatorFeatures: false });
    expect(tagsOnly.itemFeatures.shape).toEqual([200, 20]);
    expect(tagsOnly.itemFeatureLabels[0]).toBe('tag:0');
    expect(tagsOnly.userFeatures).toBeUndefined();
  });

  it('handles dense requests (users needing half the catalogue) and empty ones', () => {
    const dense = makeSynthetic({ users: 10, items: 11, interactions: 55, features: 2, seed: 1 });
    expect(dense.train.nnz + dense.test.nnz).toBe(55);
    const empty = makeSynthetic({ users: 3, items: 4, interactions: 0 });
    expect(empty.train.nnz + empty.test.nnz).toBe(0);
  });

  it('validates its options', () => {
    const bad = (o: unknown, message: RegExp) => expect(() => makeSynthetic(o as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG', message: expect.stringMatching(message) }));
    bad({ users: 10, items: 10 }, /options\.interactions is required/);
    bad({ users: 10, items: 10, interactions: 51 }, /at most half/);
    bad({ users: 0, items: 10, interactions: 1 }, /options\.users/);
    bad({ ...SMALL, affinity: 2 }, /options\.affinity/);
    bad({ ...SMALL, seed: -1 }, /options\.seed/);
    bad({ ...SMALL, features: 0, indicatorFeatures: false }, /features must be at least 1/);
    bad({ ...SMALL, interaction: 5 }, /unknown option 'interaction'/);
    bad(null, /options must be an object/);
  });

  it('builds 10 million interactions (timed for the log; speed is judged by benchmarks, not here)', () => {
    const start = performance.now();
    const d = makeSynthetic({ users: 100_000, items: 50_000, interactions: 10_000_000, features: 200, seed: 1 });
    const seconds = (performance.now() - start) / 1000;
    console.log(`makeSynthetic: 10,000,000 interactions (100k users x 50k items, 200 tags) in ${seconds.toFixed(2)} s`);
    expect(d.train.nnz + d.test.nnz).toBe(10_000_000);
  });

  it('a hybrid WARP model trained on tags alone clearly beats random ranking', async () => {
    const d = makeSynthetic({ users: 2000, items: 1000, interactions: 40_000, features: 50, seed: 7, indicatorFeatures: false });
    const model = await new LightFM({ loss: 'warp', noComponents: 16, randomState: 1 }).fit(d.train, { itemFeatures: d.itemFeatures, epochs: 10 });
    const auc = meanAuc(model.predictRank(d.test, { trainInteractions: d.train, itemFeatures: d.itemFeatures }), d.train);
    const untrained = await new LightFM({ loss: 'warp', randomState: 1 }).fit(d.train, { itemFeatures: d.itemFeatures, epochs: 0 });
    const random = meanAuc(untrained.predictRank(d.test, { trainInteractions: d.train, itemFeatures: d.itemFeatures }), d.train);
    console.log(`makeSynthetic: hybrid WARP test AUC ${auc.toFixed(4)} vs untrained ${random.toFixed(4)}`);
    expect(random).toBeGreaterThan(0.4);
    expect(random).toBeLessThan(0.6);
    expect(auc).toBeGreaterThan(0.75);
  });
});
