import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lightfm, withReferenceModel } from './helpers.js';
import { sideFile } from '../src/commands/export.js';

describe('lightfm export', () => {
  const { dir, ref } = withReferenceModel();

  it('writes item vectors to Parquet by default', async () => {
    const out = join(dir, 'items.parquet');
    const run = await lightfm(['export', ref().path, '-o', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`wrote ${ref().dataset.itemIds().length} item vectors of ${ref().model.getParams().noComponents + 2} floats`);
    const bytes = readFileSync(out);
    expect([bytes.subarray(0, 4).toString(), bytes.subarray(-4).toString()]).toEqual(['PAR1', 'PAR1']);
  });

  it('writes both sides to Arrow files beside -o', async () => {
    const out = join(dir, 'vectors.arrow');
    const run = await lightfm(['export', ref().path, '--side', 'both', '--format', 'arrow', '-o', out]);
    expect(run.code).toBe(0);
    for (const side of ['users', 'items']) {
      // Arrow IPC files begin with the magic ARROW1.
      expect(readFileSync(join(dir, `vectors.${side}.arrow`)).subarray(0, 6).toString()).toBe('ARROW1');
    }
  });

  it('names the side files', () => {
    expect(sideFile('out/v.parquet', 'users')).toBe('out/v.users.parquet');
    expect(sideFile('vectors', 'items')).toBe('vectors.items');
  });

  it('needs -o', async () => {
    expect((await lightfm(['export', ref().path])).code).toBe(2);
  });
});
