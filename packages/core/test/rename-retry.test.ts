// renameWithRetry: the one retry behind model saves and the dataset cache for the rename that
// Windows scanners and indexers make fail for a moment.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RENAME_RETRY_DELAYS_MS, renameWithRetry } from '../src/rename-retry.js';

const dir = await mkdtemp(join(tmpdir(), 'lightfm-ts-rename-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: operation failed, rename 'a' -> 'b'`), { code, syscall: 'rename' });
}

/** A rename that fails with `codes` in turn, then succeeds; it records each call's time. */
function failingRename(codes: string[]) {
  const calls: number[] = [];
  const rename = async (from: string, to: string) => {
    calls.push(performance.now());
    expect([from, to]).toEqual(['from.tmp', 'to']);
    const code = codes[calls.length - 1];
    if (code !== undefined) throw errno(code);
  };
  return { rename, calls };
}

describe('renameWithRetry', () => {
  it('retries EPERM, EACCES and EBUSY on Windows, waiting longer each time, and then succeeds', async () => {
    const { rename, calls } = failingRename(['EPERM', 'EACCES', 'EBUSY']);
    await renameWithRetry('from.tmp', 'to', { rename, platform: 'win32', delaysMs: [5, 10, 20, 40] });
    expect(calls).toHaveLength(4);
    const waits = calls.slice(1).map((t, i) => t - (calls[i] as number));
    // Timers may fire a little early (rounding) but never much.
    expect(waits[0]).toBeGreaterThanOrEqual(4);
    expect(waits[1]).toBeGreaterThanOrEqual(9);
    expect(waits[2]).toBeGreaterThanOrEqual(19);
  });

  it('stops after the last wait and throws the last error unchanged', async () => {
    const { rename, calls } = failingRename(Array(10).fill('EBUSY'));
    const thrown = await renameWithRetry('from.tmp', 'to', { rename, platform: 'win32', delaysMs: [1, 1, 1] }).catch((e: unknown) => e);
    expect(calls).toHaveLength(4);
    expect(thrown).toMatchObject({ code: 'EBUSY', syscall: 'rename' });
  });

  it('does not retry other errors on Windows', async () => {
    for (const code of ['ENOENT', 'EXDEV', 'ENOSPC']) {
      const { rename, calls } = failingRename([code, code]);
      await expect(renameWithRetry('from.tmp', 'to', { rename, platform: 'win32', delaysMs: [1, 1] })).rejects.toMatchObject({ code });
      expect(calls).toHaveLength(1);
    }
    const { calls } = failingRename([]);
    const plain = async () => {
      calls.push(0);
      throw new Error('not a Node error');
    };
    await expect(renameWithRetry('from.tmp', 'to', { rename: plain, platform: 'win32', delaysMs: [1] })).rejects.toThrow('not a Node error');
    expect(calls).toHaveLength(1);
  });

  it('does not retry on Linux and macOS, where EPERM, EACCES and EBUSY are real permission problems', async () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const { rename, calls } = failingRename(['EACCES']);
      await expect(renameWithRetry('from.tmp', 'to', { rename, platform, delaysMs: [1, 1] })).rejects.toMatchObject({ code: 'EACCES' });
      expect(calls).toHaveLength(1);
    }
  });

  it('gives up within about 1.3 s by default', () => {
    const total = RENAME_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(1000);
    expect(total).toBeLessThanOrEqual(2000);
    expect([...RENAME_RETRY_DELAYS_MS]).toEqual([...RENAME_RETRY_DELAYS_MS].sort((a, b) => a - b));
  });

  it('renames real files with the real rename, replacing the target', async () => {
    await writeFile(join(dir, 'new.tmp'), 'new');
    await writeFile(join(dir, 'target'), 'old');
    await renameWithRetry(join(dir, 'new.tmp'), join(dir, 'target'));
    expect(await readFile(join(dir, 'target'), 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['target']);
    await expect(renameWithRetry(join(dir, 'missing.tmp'), join(dir, 'target'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
