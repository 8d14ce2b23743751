import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, lightfm, referenceModel, tempDir } from './helpers.js';

/** Starts `lightfm serve` on a free port and resolves with its base URL from the first line it prints. */
async function serve(model: string): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', model, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const base = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  return { child, base, output: () => output };
}

describe('lightfm serve', () => {
  const dir = tempDir();
  let ref: Awaited<ReturnType<typeof referenceModel>>;
  beforeAll(async () => {
    ref = await referenceModel(dir);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`answers the HTTP API and stops gracefully on ${signal}`, async () => {
      const { child, base, output } = await serve(ref.path);
      try {
        const health = await fetch(`${base}/health`);
        expect(health.status).toBe(200);
        expect(await health.json()).toEqual({ status: 'ok', users: ref.dataset.userIds().length, items: ref.dataset.itemIds().length });

        const recs = (await (await fetch(`${base}/recommend?user=u7&k=5`)).json()) as { user: string; items: { id: string }[] };
        const top = ref.model.recommend(ref.dataset.userIndex('u7'), { k: 5, exclude: ref.interactions, itemFeatures: ref.itemFeatures });
        expect(recs.items.map((i) => i.id)).toEqual(Array.from(top.items, (i) => ref.dataset.itemIds()[i]));

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
    const { code, stderr } = await lightfm(['serve', ref.path, '--port', '70000']);
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
