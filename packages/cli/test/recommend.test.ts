import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lightfm, withReferenceModel } from './helpers.js';

describe('lightfm recommend', () => {
  const { dir, ref } = withReferenceModel();

  it("answers by external id with the model's own top k, leaving out what users have", async () => {
    const { code, stdout, stderr } = await lightfm(['recommend', ref().path, '--users', 'u7,u12', '--k', '5']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { user: string; items: { id: string; title: string; score: number }[] }[];
    expect(result.map((r) => r.user)).toEqual(['u7', 'u12']);
    const itemIds = ref().dataset.itemIds();
    for (const { user, items } of result) {
      const top = ref().model.recommend(ref().dataset.userIndex(user), { k: 5, exclude: ref().interactions, itemFeatures: ref().itemFeatures });
      expect(items.map((i) => i.id)).toEqual(Array.from(top.items, (i) => itemIds[i]));
      expect(items.map((i) => i.score)).toEqual(Array.from(top.scores));
      expect(items[0]?.title).toBe(`Title ${items[0]?.id}`);
      const seen = new Set(Array.from(ref().interactions.toCsr().row(ref().dataset.userIndex(user)).indices, (i) => itemIds[i]));
      expect(items.some((i) => seen.has(i.id))).toBe(false);
    }
  });

  it('writes CSV to a file with -o', async () => {
    const out = join(dir, 'recs.csv');
    const { code, stdout } = await lightfm(['recommend', ref().path, '--users', 'u1', '--users', 'u2', '--k', '3', '--format', 'csv', '-o', out]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('user,rank,item,score');
    expect(lines).toHaveLength(1 + 6);
    expect(lines[1]).toMatch(/^u1,1,i\d+,-?\d/);
    expect(lines[4]).toMatch(/^u2,1,i\d+,/);
  });

  it('names unknown users and exits with 1, without a stack', async () => {
    const { code, stdout, stderr } = await lightfm(['recommend', ref().path, '--users', 'u1,nobody,ghost']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('lightfm: unknown users "nobody", "ghost"\n');
  });

  it('treats bad values and missing options as usage errors (exit 2)', async () => {
    for (const args of [
      ['recommend', ref().path],
      ['recommend', ref().path, '--users', 'u1', '--k', '0'],
      ['recommend', ref().path, '--users', 'u1,,u2'],
      ['recommend', ref().path, '--users', 'u1', '--format', 'xml'],
      ['recommend', ref().path, '--users', 'u1', '--no-such-option'],
    ]) {
      const { code, stderr } = await lightfm(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toMatch(/^error: /);
    }
  });

  it('reports a missing model file with exit code 1', async () => {
    const { code, stderr } = await lightfm(['recommend', join(dir, 'missing.lightfm'), '--users', 'u1']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^lightfm: LightFM\.load\(\): there is no file at .*missing\.lightfm/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
