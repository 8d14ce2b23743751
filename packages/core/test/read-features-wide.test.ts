import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dataset, type ReadFeaturesOptions, readFeatures, readInteractions } from '../src/index.js';
import { rejected } from './errors.js';
import { csrOf, hasMovielens, movielensFolder, tempFiles } from './helpers.js';

const file = tempFiles('lightfm-wide-');

const itemsOf = async (...ids: string[]) => (await readInteractions(file(`u,i\n${ids.map((i) => `u,${i}`).join('\n')}\n`), { user: 'u', item: 'i' })).dataset;

describe('readFeatures of wide tables', () => {
  it('gives the matrix and feature mapping of the long table it stands for', async () => {
    const dataset = await itemsOf('i1', 'i2', 'i3');
    const wide = file('item_id,title,genre,year_scaled,tags\ni1,"A, the film",drama,0.5,"action|space"\ni2,B,drama,,\ni3,C,,0.25,space|space\n');
    const long = file('item,feature,weight\ni1,genre:drama,1\ni1,year_scaled,0.5\ni1,tags:action,1\ni1,tags:space,1\ni2,genre:drama,1\ni3,year_scaled,0.25\ni3,tags:space,1\ni3,tags:space,1\n');
    for (const normalize of [true, false]) {
      const [a, b] = [Dataset.fromJSON(dataset.toJSON()), Dataset.fromJSON(dataset.toJSON())];
      const fromWide = await readFeatures(wide, a, { side: 'item', layout: 'wide', id: 'item_id', categorical: ['genre', 'tags'], numeric: ['year_scaled'], separator: '|', normalize });
      const fromLong = await readFeatures(long, b, { side: 'item', id: 'item', feature: 'feature', weight: 'weight', normalize });
      expect(csrOf(fromWide)).toEqual(csrOf(fromLong));
      expect(a.toJSON()).toEqual(b.toJSON());
      expect([...a.mapping().itemFeatureMap.keys()]).toEqual(['genre:drama', 'year_scaled', 'tags:action', 'tags:space']);
    }
  });

  it('reads user features from a TSV file without header, columns by index', async () => {
    const dataset = new Dataset({ userIdentityFeatures: false }).fit(['a', 'b'], ['x']);
    const m = await readFeatures(file('b\t30\tF\na\t\tM\n', 'tsv'), dataset, { side: 'user', layout: 'wide', id: 0, categorical: [2], numeric: [1], header: false, normalize: false });
    expect([...dataset.mapping().userFeatureMap.keys()]).toEqual(['1', '2:F', '2:M']);
    expect(csrOf(m)).toEqual(csrOf(dataset.buildUserFeatures([['b', new Map([['1', 30], ['2:F', 1]])], ['a', ['2:M']]], false)));
  });

  it('refuses unknown ids (even without features), located bad cells, and options of the other layout', async () => {
    const dataset = new Dataset().fit(['u'], ['x']);
    const wide = (content: string, options: Partial<ReadFeaturesOptions>) =>
      rejected(() => readFeatures(file(content), dataset, { side: 'item', layout: 'wide', id: 'id', ...options } as ReadFeaturesOptions));
    let e = await wide('id,g\nx,1\ny,\n', { categorical: ['g'] });
    expect(e.code).toBe('ERR_INVALID_ARG');
    expect(e.message).toContain('"y"');
    e = await wide('id,g\nx,1\nx,NaN\n', { numeric: ['g'] });
    expect(e.code).toBe('ERR_NOT_FINITE');
    expect(e.message).toContain('line 3, column "g"');
    e = await wide('id,g\nx,high\n', { numeric: ['g'] });
    expect(e.code).toBe('ERR_PARSE');
    e = await wide('id,g\nx,1\n', { categorical: ['genre'] });
    expect(e.code).toBe('ERR_INVALID_ARG');
    expect(e.message).toContain('"id", "g"');
    for (const [options, says] of [
      [{}, 'at least one column'],
      [{ categorical: [], numeric: [] }, 'at least one column'],
      [{ categorical: ['g'], feature: 'g' }, "option of long tables"],
      [{ numeric: ['g'], weight: 'g' }, "option of long tables"],
      [{ categorical: 'g' }, 'array of column names'],
      [{ categorical: ['g'], separator: '||' }, 'one character'],
      [{ categorical: ['g'], layout: 'tall' }, "'long' or 'wide'"],
    ] as const) {
      e = await wide('id,g\nx,1\n', options as Partial<ReadFeaturesOptions>);
      expect(e.code).toBe('ERR_INVALID_ARG');
      expect(e.message).toContain(says);
    }
    e = await rejected(() => readFeatures(file('id,g\nx,1\n'), dataset, { side: 'item', id: 'id', feature: 'g', categorical: ['g'] } as never));
    expect(e.message).toContain("pass layout: 'wide'");
  });
});

describe.skipIf(!hasMovielens)('readFeatures of MovieLens 100k u.item (LIGHTFM_DATA_HOME)', () => {
  const folder = movielensFolder as string;
  it('reads the 19 genre flags as numeric columns, as a Dataset built by hand', async () => {
    const { dataset } = await readInteractions(join(folder, 'u.data'), { user: 0, item: 1, format: 'tsv', header: false });
    const genres = Array.from({ length: 19 }, (_, g) => 5 + g);
    const byHand = Dataset.fromJSON(dataset.toJSON()).fitPartial(null, null, { itemFeatures: genres.map(String) });
    const m = await readFeatures(join(folder, 'u.item'), dataset, { side: 'item', layout: 'wide', id: 0, numeric: genres, delimiter: '|', header: false, quote: '' });
    const rows = readFileSync(join(folder, 'u.item'), 'latin1').split('\n').filter((l) => l !== '').map((l) => l.split('|'));
    const expected = byHand.buildItemFeatures(rows.map((r) => [r[0] as string, new Map(genres.map((g) => [String(g), Number(r[g])]))]));
    expect(m.shape).toEqual([1682, 1682 + 19]);
    expect(csrOf(m)).toEqual(csrOf(expected));
    expect(dataset.toJSON()).toEqual(byHand.toJSON());
  });
});
