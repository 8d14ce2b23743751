import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dataset, LightFM } from '@lightfm-ts/core';
import { makeSynthetic } from '@lightfm-ts/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Serving, type ServingMappings, createService, servingMappings, servingState } from '@lightfm-ts/cli';
import { type ItemFeatureRow, trainServingModel } from '../src/model.js';
import { indexFor } from '../src/item-index.js';

describe('http-server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lightfm-http-'));
  const { train } = makeSynthetic({ users: 200, items: 100, interactions: 4000, seed: 3 });
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  // A hybrid model through a Dataset: string ids, and a tag per item (odd or even) as features.
  const dataset = new Dataset().fit(ids('u', 200), ids('i', 100), { itemFeatures: ['tag:even', 'tag:odd'] });
  const { interactions } = dataset.buildInteractions({ users: Array.from(train.row, (r) => `u${r}`), items: Array.from(train.col, (c) => `i${c}`) });
  const tags: ItemFeatureRow[] = ids('i', 100).map((id, i) => [id, [i % 2 ? 'tag:odd' : 'tag:even']]);
  const itemFeatures = dataset.buildItemFeatures(tags);
  let trained: LightFM;
  let server: Server | undefined;
  let base = '';

  beforeAll(async () => {
    // Train, save with the dataset, load and rebuild, as a deployment would.
    trained = await new LightFM({ loss: 'warp', noComponents: 8, randomState: 1 }).fit(interactions, { itemFeatures, epochs: 3 });
    trained.mappings = servingMappings(dataset, { itemFeatures, seen: interactions, titles: ids('Title ', 100) });
    const file = join(dir, 'model.lightfm');
    await trained.save(file);
    const started = createService(servingState(await LightFM.load(file)));
    server = started;
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(base + path, init);
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
  };

  it('recommends unseen items by external user id', async () => {
    const { status, type, body } = await get('/recommend?user=u7&k=5');
    expect(status).toBe(200);
    expect(type).toMatch(/application\/json/);
    const items = body.items as { id: string; title: string; score: number }[];
    expect(body.user).toBe('u7');
    expect(items).toHaveLength(5);
    const seen = new Set(Array.from(train.toCsr().row(7).indices, (i) => `i${i}`));
    for (const item of items) {
      expect(seen.has(item.id)).toBe(false);
      expect(item.title).toBe(`Title ${item.id.slice(1)}`);
    }
    const scores = items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Exactly what the trained model recommends with the dataset and features it was trained with.
    const top = trained.recommend(dataset.userIndex('u7'), { k: 5, exclude: interactions, itemFeatures });
    expect(items.map((i) => i.id)).toEqual(Array.from(top.items, (i) => dataset.itemIds()[i]));
    expect(scores).toEqual(Array.from(top.scores));
  });

  it('answers similar items', async () => {
    const { status, body } = await get('/similar?item=i3&k=4');
    expect(status).toBe(200);
    expect(body).toMatchObject({ item: 'i3', title: 'Title 3' });
    const similar = body.similar as { id: string }[];
    expect(similar).toHaveLength(4);
    expect(similar.map((s) => s.id)).not.toContain('i3');
  });

  it('reports bad requests with a status and a message', async () => {
    expect(await get('/recommend?user=nobody')).toMatchObject({ status: 404, body: { error: 'unknown user "nobody"' } });
    expect(await get('/recommend')).toMatchObject({ status: 400, body: { error: 'missing query parameter user' } });
    expect((await get('/similar?item=i1&k=0')).status).toBe(400);
    expect((await get('/similar?item=i1&k=1.5')).status).toBe(400);
    expect((await get('/nowhere')).status).toBe(404);
    expect(await get('/health')).toMatchObject({ status: 200, body: { status: 'ok', users: 200, items: 100 } });
    expect((await get('/recommend?user=u1', { method: 'POST' })).status).toBe(405);
  });
});

describe('http-server through an index', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lightfm-http-index-'));
  const { train } = makeSynthetic({ users: 150, items: 120, interactions: 3000, seed: 5 });
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const dataset = new Dataset().fit(ids('u', 150), ids('i', 120), { itemFeatures: ['tag:even', 'tag:odd'] });
  const { interactions } = dataset.buildInteractions({ users: Array.from(train.row, (r) => `u${r}`), items: Array.from(train.col, (c) => `i${c}`) });
  const tags: ItemFeatureRow[] = ids('i', 120).map((id, i) => [id, [i % 2 ? 'tag:odd' : 'tag:even']]);
  let server: Server | undefined;
  let serving: Serving;
  let base = '';

  beforeAll(async () => {
    const model = await new LightFM({ loss: 'warp', noComponents: 8, randomState: 2 }).fit(interactions, { itemFeatures: dataset.buildItemFeatures(tags), epochs: 3 });
    model.mappings = servingMappings(dataset, { itemFeatures: dataset.buildItemFeatures(tags), seen: interactions });
    const file = join(dir, 'model.lightfm');
    await model.save(file);
    serving = servingState(await LightFM.load(file));
    const lines: string[] = [];
    // Built and saved on first use, loaded after.
    await indexFor(serving, join(dir, 'model.index'), (line) => lines.push(line));
    const index = await indexFor(serving, join(dir, 'model.index'), (line) => lines.push(line));
    expect(lines).toHaveLength(1);
    const started = createService(serving, index);
    server = started;
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers as the exact model does, by external ids, never a seen item', async () => {
    const res = await fetch(`${base}/recommend?user=u4&k=6`);
    const body = (await res.json()) as { items: { id: string; score: number }[] };
    // 120 items and a search breadth of 96: the index finds the exact top 6.
    const top = serving.model.recommend(dataset.userIndex('u4'), { k: 6, exclude: serving.seen, itemFeatures: serving.itemFeatures });
    expect(body.items.map((i) => i.id)).toEqual(Array.from(top.items, (i) => dataset.itemIds()[i]));
    expect(body.items.map((i) => i.score)).toEqual(Array.from(top.scores));
    const similar = (await (await fetch(`${base}/similar?item=i8&k=3`)).json()) as { similar: { id: string }[] };
    const exact = serving.model.similarItems(dataset.itemIndex('i8'), { k: 3, itemFeatures: serving.itemFeatures });
    expect(similar.similar.map((s) => s.id)).toEqual(Array.from(exact.items, (i) => dataset.itemIds()[i]));
  });
});

describe('trainServingModel', () => {
  it('falls back to synthetic data and stores the serving mappings', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'lightfm-http-data-'));
    try {
      const lines: string[] = [];
      const model = await trainServingModel({ dataHome: empty, baseUrl: 'http://127.0.0.1:1/' }, (line) => lines.push(line), 1);
      expect(lines).toHaveLength(1);
      const mappings = model.mappings as ServingMappings;
      expect(mappings.dataset.users.ids[0]).toBe('u0');
      expect(mappings.seen?.indptr).toHaveLength(mappings.dataset.users.ids.length + 1);
      const serving = servingState(model);
      // Hybrid: one identity column per item plus the tag features.
      expect(serving.itemFeatures?.shape).toEqual([500, 500 + mappings.dataset.items.featureNames.length]);
      expect(createService(serving).listening).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
