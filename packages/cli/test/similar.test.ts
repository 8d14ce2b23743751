import { describe, expect, it } from 'vitest';
import { lightfm, withReferenceModel } from './helpers.js';

describe('lightfm similar', () => {
  const { ref } = withReferenceModel();

  it("lists the model's most similar items by external id", async () => {
    const { code, stdout } = await lightfm(['similar', ref().path, '--items', 'i3,i8', '--k', '4']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { item: string; title: string; similar: { id: string; score: number }[] }[];
    expect(result.map((r) => [r.item, r.title])).toEqual([
      ['i3', 'Title i3'],
      ['i8', 'Title i8'],
    ]);
    const itemIds = ref().dataset.itemIds();
    for (const { item, similar } of result) {
      const top = ref().model.similarItems(ref().dataset.itemIndex(item), { k: 4, itemFeatures: ref().itemFeatures });
      expect(similar.map((s) => s.id)).toEqual(Array.from(top.items, (i) => itemIds[i]));
      expect(similar.map((s) => s.score)).toEqual(Array.from(top.scores));
      expect(similar.map((s) => s.id)).not.toContain(item);
    }
  });

  it('writes CSV', async () => {
    const { code, stdout } = await lightfm(['similar', ref().path, '--items', 'i3', '--k', '2', '--format', 'csv']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('item,rank,similar,score');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['i3,1', 'i3,2']);
  });

  it('names unknown items and exits with 1', async () => {
    const { code, stderr } = await lightfm(['similar', ref().path, '--items', 'nothing']);
    expect(code).toBe(1);
    expect(stderr).toBe('lightfm: unknown item "nothing"\n');
  });

  it('has --help', async () => {
    const { code, stdout } = await lightfm(['similar', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: lightfm similar \[options\] <model>/);
    expect(stdout).toMatch(/--items <ids>/);
  });
});
