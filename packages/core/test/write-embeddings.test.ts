import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dataset, LightFM, readInteractions, writeEmbeddings } from '../src/index.js';
import { rejected } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'lightfm-emb-'));

describe('writeEmbeddings', () => {
  it('writes Parquet and Arrow files with an id and a vector column', async () => {
    const dataset = new Dataset().fit(['u1', 'u2'], ['a', 'b', 'c']);
    const { interactions } = dataset.buildInteractions([['u1', 'a'], ['u2', 'b'], ['u1', 'c']]);
    const model = new LightFM({ noComponents: 4, randomState: 3 });
    await model.fit(interactions, { epochs: 2 });
    const { dim, itemVectors } = model.exportEmbeddings();
    const parquet = join(dir, 'items.parquet');
    await writeEmbeddings(parquet, { ids: dataset.itemIds(), vectors: itemVectors, dim });
    expect(readFileSync(parquet).subarray(0, 4).toString()).toBe('PAR1');
    const arrow = join(dir, 'items.arrow');
    await writeEmbeddings(arrow, { ids: dataset.itemIds(), vectors: itemVectors, dim });
    expect(readFileSync(arrow).subarray(0, 6).toString()).toBe('ARROW1');
    // Read back through the Rust reader: the ids in order.
    const back = await readInteractions(parquet, { user: 'id', item: 'id' });
    expect(back.dataset.userIds()).toEqual(['a', 'b', 'c']);
    expect(statSync(arrow).size).toBeGreaterThan(itemVectors.byteLength);
  });

  it('checks the table', async () => {
    const vectors = new Float32Array(6);
    expect((await rejected(() => writeEmbeddings(join(dir, 'x.parquet'), { ids: ['a'], vectors, dim: 3 }))).message).toContain('need 3');
    expect((await rejected(() => writeEmbeddings(join(dir, 'x.parquet'), { ids: ['a', 'b'], vectors, dim: 3 }, { format: 'csv' as never }))).code).toBe('ERR_INVALID_ARG');
    expect((await rejected(() => writeEmbeddings(join(dir, 'no', 'such', 'x.parquet'), { ids: ['a', 'b'], vectors, dim: 3 }))).code).toBe('ERR_IO');
  });
});
