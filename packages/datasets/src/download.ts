import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LightFMError } from '@lightfm-ts/core';
import { renameWithRetry } from '@lightfm-ts/core/internal';
import { exists, sourceUrl } from './cache.js';
import { withAdvice } from './errors.js';
import type { DownloadProgress, ResolvedCacheOptions } from './options.js';
import { CallbackError, progressSink } from './progress.js';

/** What `downloadVerified` needs. */
export interface DownloadRequest<T> {
  url: string;
  /** Final path in the cache; written only after `verify` accepted the bytes. */
  dest: string;
  /**
   * Reads and checks the downloaded temporary file; throws to reject it. Its result is
   * returned, so a fetcher parses the file once.
   */
  verify: (tempPath: string) => Promise<T>;
  onProgress: ((p: DownloadProgress) => void) | undefined;
  signal: AbortSignal | undefined;
  /** Fail when no bytes arrive for this long. */
  timeoutMs: number;
}

function downloadError(url: string, why: string, cause?: unknown): LightFMError {
  return new LightFMError('ERR_DOWNLOAD', `downloading ${url} failed: ${why}. Check the network and try again.`, { cause });
}

/** The innermost message of a fetch error (`fetch failed` hides the useful part in `cause`). */
function reason(err: unknown): string {
  let e = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

/**
 * Streams `url` into a temporary file next to `dest`, checks its length, runs `verify` on it
 * and only then renames it to `dest` (retried while a Windows scanner holds a file). On any
 * failure the temporary file is removed, so the cache never holds a partial or unverified file
 * under a name a later call would trust.
 *
 * @returns What `verify` returned.
 * @throws LightFMError `ERR_DOWNLOAD` (network, HTTP status, truncation, idle timeout),
 *   `ERR_ABORTED` (the signal fired), or whatever `verify` throws (`ERR_CHECKSUM`,
 *   `ERR_CORRUPT_FILE`); what `onProgress` throws, unchanged (the download is stopped and
 *   its temporary file removed).
 */
export async function downloadVerified<T>(req: DownloadRequest<T>): Promise<T> {
  const { url, dest } = req;
  if (req.signal?.aborted) throw aborted(url, req.signal);
  // A dot-name with a random part: unique per call, and never the name the cache reads.
  const temp = join(dirname(dest), `.${basename(dest)}.${process.pid}-${randomBytes(6).toString('hex')}.part`);
  let file: FileHandle;
  try {
    await mkdir(dirname(dest), { recursive: true });
    file = await open(temp, 'wx');
  } catch (err) {
    throw new LightFMError('ERR_DOWNLOAD', `cannot write to the dataset cache ${dirname(dest)}: ${reason(err)}. Pass a writable dataHome or set LIGHTFM_DATA_HOME.`, { cause: err });
  }
  try {
    await fetchToFile(req, file);
    const result = await req.verify(temp).catch((err: unknown) => {
      throw withAdvice(err, `The file downloaded from ${url} was deleted; check the source (baseUrl, LIGHTFM_DATASETS_BASE_URL)`);
    });
    await renameWithRetry(temp, dest);
    return result;
  } finally {
    // After a successful rename the temp name no longer exists; `force` ignores that.
    await rm(temp, { force: true });
  }
}

async function fetchToFile(req: DownloadRequest<unknown>, file: FileHandle): Promise<void> {
  const { url, signal, timeoutMs } = req;
  const idle = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const armTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), timeoutMs);
  };
  const combined = signal ? AbortSignal.any([signal, idle.signal]) : idle.signal;
  const progress = progressSink(url.slice(url.lastIndexOf('/') + 1), req.onProgress);
  let received = 0;
  let total: number | undefined;
  let completed = false;
  let res: Response | undefined;
  try {
    if (signal?.aborted) throw aborted(url, signal);
    armTimer();
    res = await fetch(url, { signal: combined, redirect: 'follow' });
    if (!res.ok || res.body === null) {
      await res.body?.cancel().catch(() => {});
      throw downloadError(url, `the server answered HTTP ${res.status} ${res.statusText}`.trimEnd());
    }
    // With a content encoding, Content-Length counts encoded bytes; only trust it without one.
    const header = res.headers.get('content-length');
    total = header !== null && !res.headers.get('content-encoding') ? Number(header) : undefined;
    progress.update(0, total);
    for await (const chunk of res.body) {
      armTimer();
      await file.write(chunk);
      received += chunk.byteLength;
      progress.update(received, total);
    }
    if (total !== undefined && received !== total) {
      throw downloadError(url, `the body was truncated: received ${received} of ${total} bytes`);
    }
    completed = true;
  } catch (err) {
    // Stops a body that is still open (a no-op, rejected, when it was consumed or cancelled).
    await res?.body?.cancel().catch(() => {});
    if (err instanceof CallbackError) throw err.error;
    if (signal?.aborted) throw aborted(url, signal);
    if (idle.signal.aborted) throw downloadError(url, `no data arrived for ${timeoutMs} ms`);
    if (err instanceof LightFMError) throw err;
    const where = received > 0 || total !== undefined ? ` after ${received}${total === undefined ? '' : ` of ${total}`} bytes` : '';
    throw downloadError(url, `${reason(err)}${where}`, err);
  } finally {
    clearTimeout(timer);
    progress.end(completed);
    await file.close();
  }
}

function aborted(url: string, signal: AbortSignal): LightFMError {
  return new LightFMError('ERR_ABORTED', `downloading ${url} was aborted`, { cause: signal.reason });
}

/** What {@link readOrDownload} needs. */
export interface CachedFile<T> {
  /** Where the cache keeps the file. */
  path: string;
  /** The file's name on the server (appended to `baseUrl` or `origin`). */
  fileName: string;
  origin: string;
  cache: ResolvedCacheOptions;
  /** The `ERR_DOWNLOAD` message when the file is missing and downloads are off. */
  missing: string;
  /** Reads and verifies the file at `path`; `label` names it in errors. */
  read: (path: string, label: string) => Promise<T>;
}

/**
 * Reads a cached file, or downloads it first when it is missing (and allowed), verifying
 * either way.
 * @throws LightFMError `ERR_DOWNLOAD` when it is missing and `downloadIfMissing` is false,
 *   and everything `read` and {@link downloadVerified} throw, with advice on what to do.
 */
export async function readOrDownload<T>(f: CachedFile<T>): Promise<T> {
  if (await exists(f.path)) {
    return f.read(f.path, f.path).catch((err: unknown) => {
      throw withAdvice(err, `Delete ${f.path} to download it again`);
    });
  }
  if (!f.cache.downloadIfMissing) throw new LightFMError('ERR_DOWNLOAD', `${f.missing}, and downloadIfMissing is false`);
  return downloadVerified({
    url: sourceUrl(f.fileName, f.origin, f.cache.baseUrl),
    dest: f.path,
    verify: (temp) => f.read(temp, `the download of ${f.fileName}`),
    onProgress: f.cache.onProgress,
    signal: f.cache.signal,
    timeoutMs: f.cache.timeoutMs,
  });
}
