// The approximate item index: the same shapes and scores as the exact recommend and
// similarItems, exclusions and allow-lists, save and load, cancellation and typed errors.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ItemIndex, LightFM, type TopItems } from '../src/index.js';
import { errorCode, rejectedCode } from './errors.js';
import { clustered } from './helpers.js';
import { INDEX_DEFAULTS } from '../src/defaults.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Share of the exact rows' items the approximate rows hold. */
function recall(approx: TopItems, exact: TopItems): number {
  let [hit, total] = [0, 0];
  for (let r = 0; r < exact.items.length / exact.k; r++) {
    const got = new Set(approx.items.subarray(r * approx.k, (r + 1) * approx.k));
    for (const id of exact.items.subarray(r * exact.k, (r + 1) * exact.k)) {
      if (id < 0) continue;
      total++;
      if (got.has(id)) hit++;
    }
  }
  return hit / total;
}

describe('ItemIndex', async () => {
  const train = clustered(600, 1500, 10, 12, 4);
  const model = await new LightFM({ loss: 'warp', noComponents: 24, randomState: 2 }).fit(train, { epochs: 5 });
  const index = await model.buildIndex({ numThreads: 2 });
  const users = range(200);

  it('answers recommend in the exact shapes, with predict scores and high recall', () => {
    const approx = index.recommend(users, { k: 10 });
    const exact = model.recommend(users, { k: 10 });
    expect(approx.k).toBe(10);
    expect(approx.items).toBeInstanceOf(Int32Array);
    expect(approx.scores).toBeInstanceOf(Float32Array);
    expect(approx.items.length).toBe(exact.items.length);
    expect(recall(approx, exact)).toBeGreaterThanOrEqual(0.95);
    const row = Array.from(approx.items.subarray(0, 10));
    expect(Array.from(approx.scores.subarray(0, 10))).toEqual(Array.from(model.predict(0, row)));
    expect([index.items, index.dim, index.m, index.ef, index.efConstruction]).toEqual([1500, 26, INDEX_DEFAULTS.m, INDEX_DEFAULTS.ef, INDEX_DEFAULTS.efConstruction]);
    expect(index.bytes).toBeGreaterThan(1500 * 26 * 4);
    expect(index.model).toBe(model);
  });

  it('never returns excluded items, and honours an allow-list', () => {
    const seen = train.toCsr();
    const approx = index.recommend(users, { k: 10, exclude: seen, ef: 100 });
    for (const u of users) {
      const excluded = new Set(seen.indices.subarray(seen.indptr[u], seen.indptr[u + 1]));
      for (const i of approx.items.subarray(u * 10, (u + 1) * 10)) expect(excluded.has(i)).toBe(false);
    }
    expect(recall(approx, model.recommend(users, { k: 10, exclude: seen }))).toBeGreaterThanOrEqual(0.95);
    const allowed = range(1500).filter((i) => i % 50 === 0);
    expect(index.recommend(users, { k: 5, items: allowed })).toEqual(model.recommend(users, { k: 5, items: allowed }));
  });

  it('answers similarItems in the exact shapes', () => {
    const ids = range(100).map((i) => i * 13);
    const approx = index.similarItems(ids, { k: 10 });
    const exact = model.similarItems(ids, { k: 10 });
    expect(approx.k).toBe(10);
    expect(recall(approx, exact)).toBeGreaterThanOrEqual(0.9);
    ids.forEach((id, r) => expect(Array.from(approx.items.subarray(r * 10, (r + 1) * 10))).not.toContain(id));
  });

  it('saves and loads, refusing damaged files and other models', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lightfm-index-'));
    const path = join(dir, 'items.index');
    await index.save(path);
    const loaded = await ItemIndex.load(path, model);
    expect(loaded.recommend(users, { k: 10 })).toEqual(index.recommend(users, { k: 10 }));
    expect(ItemIndex.fromBuffer(index.toBuffer(), model).similarItems(3)).toEqual(index.similarItems(3));
    const bytes = index.toBuffer();
    const middle = bytes.length >> 1;
    bytes[middle] = (bytes[middle] as number) ^ 1;
    expect(errorCode(() => ItemIndex.fromBuffer(bytes, model))).toBe('ERR_CHECKSUM');
    expect(errorCode(() => ItemIndex.fromBuffer(model.toBuffer(), model))).toBe('ERR_CORRUPT_FILE');
    await writeFile(join(dir, 'short.index'), index.toBuffer().subarray(0, 100));
    expect(await rejectedCode(() => ItemIndex.load(join(dir, 'short.index'), model))).toBe('ERR_CORRUPT_FILE');
    expect(await rejectedCode(() => ItemIndex.load(join(dir, 'missing.index'), model))).toBe('ERR_FILE_NOT_FOUND');
    const other = await new LightFM({ loss: 'warp', noComponents: 24, randomState: 3 }).fit(train, { epochs: 1 });
    expect(await rejectedCode(() => ItemIndex.load(path, other))).toBe('ERR_INVALID_ARG');
  });

  it('refuses a model that changed after the build', async () => {
    const copy = LightFM.fromBuffer(model.toBuffer());
    const own = await copy.buildIndex();
    expect(own.recommend(0).k).toBe(10);
    await copy.fitPartial(train);
    expect(errorCode(() => own.recommend(0))).toBe('ERR_INVALID_ARG');
    expect(errorCode(() => own.similarItems(0))).toBe('ERR_INVALID_ARG');
  });

  it('gives typed errors for bad input and can be aborted', async () => {
    expect(await rejectedCode(() => new LightFM().buildIndex())).toBe('ERR_NOT_FITTED');
    expect(await rejectedCode(() => model.buildIndex({ m: 1 }))).toBe('ERR_INVALID_ARG');
    expect(await rejectedCode(() => model.buildIndex({ efConstruction: 0 }))).toBe('ERR_INVALID_ARG');
    expect(await rejectedCode(() => model.buildIndex({ nope: 1 } as never))).toBe('ERR_INVALID_ARG');
    expect(await rejectedCode(() => model.buildIndex({ signal: AbortSignal.abort() }))).toBe('ERR_ABORTED');
    const big = await new LightFM({ noComponents: 8 }).fit(clustered(50, 60000, 2, 4, 1));
    const controller = new AbortController();
    const building = big.buildIndex({ signal: controller.signal });
    controller.abort();
    expect(await rejectedCode(() => building)).toBe('ERR_ABORTED');
    expect(errorCode(() => index.recommend(0, { k: 0 }))).toBe('ERR_INVALID_ARG');
    expect(errorCode(() => index.recommend(0, { ef: 0 }))).toBe('ERR_INVALID_ARG');
    expect(errorCode(() => index.recommend(600))).toBe('ERR_INDEX_RANGE');
    expect(errorCode(() => index.recommend(0, { items: [1500] }))).toBe('ERR_INDEX_RANGE');
    expect(errorCode(() => index.similarItems(1500))).toBe('ERR_INDEX_RANGE');
    expect(errorCode(() => index.recommend(0, { wrong: true } as never))).toBe('ERR_INVALID_ARG');
    expect(errorCode(() => ItemIndex.fromBuffer('x' as never, model))).toBe('ERR_INVALID_ARG');
  });
});
