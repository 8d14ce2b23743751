// Putting a finished temporary file in place with `rename`. On Windows that rename fails for a
// moment while an antivirus scanner, the search indexer or a backup tool holds the file open
// (EPERM, EACCES or EBUSY). graceful-fs retries those for up to a minute; model saves and the
// dataset cache retry them a few times, about 1.3 s in all, then report the error.
import { rename as fsRename } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** The waits between attempts, in ms: eight attempts and 1.27 s of waiting at most. */
export const RENAME_RETRY_DELAYS_MS: readonly number[] = [10, 20, 40, 80, 160, 320, 640];

/** Codes a scanner or indexer causes on Windows; elsewhere they mean a real permission problem. */
const TRANSIENT_ON_WINDOWS = new Set(['EPERM', 'EACCES', 'EBUSY']);

/** What {@link renameWithRetry} uses; every field defaults to the real thing. */
export interface RenameRetryOptions {
  /** The rename to run, `fs.promises.rename` by default. */
  rename?: (from: string, to: string) => Promise<void>;
  /** Whose semantics apply: the codes are retried only on `win32`. */
  platform?: NodeJS.Platform;
  /** The waits between attempts, {@link RENAME_RETRY_DELAYS_MS} by default. */
  delaysMs?: readonly number[];
}

/**
 * Renames `from` to `to` (replacing `to`), retrying on Windows while the failure is one that a
 * scanner or indexer holding either file causes. Any other error, an error on another platform
 * and the last transient error are thrown as Node reported them.
 */
export async function renameWithRetry(from: string, to: string, options: RenameRetryOptions = {}): Promise<void> {
  const { rename = fsRename, platform = process.platform, delaysMs = RENAME_RETRY_DELAYS_MS } = options;
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (err) {
      const delay = delaysMs[attempt];
      const code = (err as NodeJS.ErrnoException | undefined)?.code;
      if (platform !== 'win32' || delay === undefined || code === undefined || !TRANSIENT_ON_WINDOWS.has(code)) throw err;
      await sleep(delay);
    }
  }
}
