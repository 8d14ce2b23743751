import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LightFM } from '@lightfm-ts/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readRatings } from '../src/ratings.js';
import { recommendFor, trainRecommender } from '../src/recommender.js';

const SAMPLE = fileURLToPath(new URL('../data/ratings.csv', import.meta.url));

describe('csv-to-recommendations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lightfm-csv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('goes from the sample CSV to a saved model and top-k by external id', async () => {
    const ratings = await readRatings(SAMPLE);
    expect(ratings.length).toBe(307);
    const { model, rated, heldOut } = await trainRecommender(ratings, { epochs: 10 });
    expect(heldOut.auc).toBeGreaterThan(0.6);

    const file = join(dir, 'model.lightfm');
    await model.save(file);
    const loaded = await LightFM.load(file);
    const top = recommendFor(loaded, 'zoe', 3, rated);
    expect(top).toHaveLength(3);
    const zoeRated = new Set(ratings.filter((r) => r.user === 'zoe').map((r) => r.item));
    for (const { item } of top) expect(zoeRated.has(item)).toBe(false);
    expect(top).toEqual(recommendFor(model, 'zoe', 3, rated));
    expect(() => recommendFor(loaded, 'nobody', 3)).toThrow(/unknown user "nobody"/);
  });

  it('reads CSVs without a rating column and names the line of a bad rating', async () => {
    const implicit = join(dir, 'implicit.csv');
    writeFileSync(implicit, 'user,item\na,x\nb,y\n');
    expect(await readRatings(implicit)).toEqual([
      { user: 'a', item: 'x', rating: 1 },
      { user: 'b', item: 'y', rating: 1 },
    ]);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'user,item,rating\na,x,5\nb,y,five\n');
    await expect(readRatings(bad)).rejects.toThrow(/bad\.csv:3: rating must be a number, got "five"/);
  });
});
