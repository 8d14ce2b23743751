import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { lightfm, serve, withReferenceModel } from './helpers.js';

describe('lightfm serve', () => {
  const { dir, ref } = withReferenceModel();

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`answers the HTTP API and stops gracefully on ${signal}`, async () => {
      const { child, base, output } = await serve(ref().path);
      try {
        const health = await fetch(`${base}/health`);
        expect(health.status).toBe(200);
        expect(await health.json()).toEqual({ status: 'ok', users: ref().dataset.userIds().length, items: ref().dataset.itemIds().length });

        const recs = (await (await fetch(`${base}/recommend?user=u7&k=5`)).json()) as { user: string; items: { id: string }[] };
        const top = ref().model.recommend(ref().dataset.userIndex('u7'), { k: 5, exclude: ref().interactions, itemFeatures: ref().itemFeatures });
        expect(recs.items.map((i) => i.id)).toEqual(Array.from(top.items, (i) => ref().dataset.itemIds()[i]));

        const similar = await fetch(`${base}/similar?item=i3&k=3`);
        expect(((await similar.json()) as { similar: unknown[] }).similar).toHaveLength(3);
        const unknown = await fetch(`${base}/recommend?user=nobody`);
        expect(unknown.status).toBe(404);
        expect(await unknown.json()).toEqual({ error: 'unknown user "nobody"' });
      } finally {
        const exited = once(child, 'exit');
        child.kill(signal);
        const [code] = await exited;
        expect(code).toBe(0);
      }
      expect(output()).toContain(`${signal}: stopped`);
    });
  }

  it('refuses a bad port as a usage error', async () => {
    const { code, stderr } = await lightfm(['serve', ref().path, '--port', '70000']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--port <port>.*invalid/);
  });

  it('explains a model file without a dataset', async () => {
    const { LightFM, CooMatrix } = await import('@lightfm-ts/core');
    const bare = `${dir}/bare.lightfm`;
    await (await new LightFM({ noComponents: 2 }).fit(CooMatrix.fromTriplets([0, 1], [1, 0], [1, 1], [2, 2]))).save(bare);
    const { code, stderr } = await lightfm(['serve', bare, '--port', '0']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^lightfm: the model file has no dataset in its mappings/);
  });
});
