import { describe, expect, it } from 'vitest';
import { Dataset, readFeatures, readInteractions } from '../src/index.js';
import { rejected } from './errors.js';
import { csrOf, tempFiles } from './helpers.js';

const file = tempFiles('lightfm-features-');

describe('readFeatures', () => {
  it('builds what buildItemFeatures builds from the same rows, adding new feature names', async () => {
    const { dataset } = await readInteractions(file('u,i\na,i1\nb,i2\na,i3\n'), { user: 'u', item: 'i' });
    const js = Dataset.fromJSON(dataset.toJSON()).fitPartial(null, null, { itemFeatures: ['drama', 'crime', 'comedy'] });
    const path = file('item,genre,w\ni1,drama,1\ni2,crime,0.5\ni1,crime,2\ni1,drama,1\ni3,comedy,3\n');
    for (const normalize of [true, false]) {
      const copy = Dataset.fromJSON(dataset.toJSON());
      const m = await readFeatures(path, copy, { side: 'item', id: 'item', feature: 'genre', weight: 'w', normalize });
      const expected = js.buildItemFeatures(
        [
          ['i1', new Map([['drama', 2], ['crime', 2]])],
          ['i2', new Map([['crime', 0.5]])],
          ['i3', new Map([['comedy', 3]])],
        ],
        normalize,
      );
      expect(csrOf(m)).toEqual(csrOf(expected));
      expect(copy.toJSON()).toEqual(js.toJSON());
    }
  });

  it('keeps known feature columns, reads user features without weights', async () => {
    const dataset = new Dataset({ userIdentityFeatures: false }).fit(['a', 'b'], ['x'], { userFeatures: ['young'] });
    const m = await readFeatures(file('id,f\nb,old\na,young\nb,young\n'), dataset, { side: 'user', id: 0, feature: 1, normalize: false });
    expect(dataset.mapping().userFeatureMap.get('young')).toBe(0);
    expect(dataset.mapping().userFeatureMap.get('old')).toBe(1);
    expect(csrOf(m)).toEqual(csrOf(dataset.buildUserFeatures([['b', ['old', 'young']], ['a', ['young']]], false)));
  });

  it('refuses ids the dataset does not map, and bad options', async () => {
    const dataset = new Dataset().fit(['a'], ['x']);
    const e = await rejected(() => readFeatures(file('id,f\ny,tag\n'), dataset, { side: 'item', id: 'id', feature: 'f' }));
    expect(e.code).toBe('ERR_INVALID_ARG');
    expect(e.message).toContain('"y"');
    expect((await rejected(() => readFeatures(file('id,f\n'), dataset, { side: 'both', id: 'id', feature: 'f' } as never))).message).toContain("'user' or 'item'");
    expect((await rejected(() => readFeatures(file('id,f\n'), {} as Dataset, { side: 'item', id: 'id', feature: 'f' }))).code).toBe('ERR_INVALID_ARG');
  });
});
