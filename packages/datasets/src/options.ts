import type { KnownKeys, OptionsReader } from '@lightfm-ts/core/internal';
import { baseUrlOf } from './cache.js';

/** Download progress, reported as bytes arrive. */
export interface DownloadProgress {
  /** Bytes received so far. */
  received: number;
  /** Bytes expected (from `Content-Length`); `undefined` when the server does not say. */
  total: number | undefined;
}

/** Options every fetcher takes: where the cache is and how to fill it. */
export interface CacheOptions {
  /**
   * Cache folder. When omitted: `LIGHTFM_DATA_HOME`, else `$XDG_CACHE_HOME/lightfm-ts`,
   * else `~/.cache/lightfm-ts`.
   */
  dataHome?: string;
  /**
   * Download the data when it is not in the cache. With `false` a missing file is an
   * `ERR_DOWNLOAD` error that names the path where the file was expected.
   * @default true
   */
  downloadIfMissing?: boolean;
  /**
   * Called as download bytes arrive. Without it, progress goes to stderr: a bar when stderr is
   * a terminal, otherwise a line when a download starts and one when it has completed (pass
   * `() => {}` for silence).
   */
  onProgress?: (progress: DownloadProgress) => void;
  /**
   * Where to download from instead of the original host: a URL prefix to which the file
   * name (`ml-100k.zip`, `stackexchange_<dataset>.npz`) is appended, e.g. a local mirror.
   * @default the `LIGHTFM_DATASETS_BASE_URL` environment variable, else the original host
   */
  baseUrl?: string;
  /** Cancels a download; the promise rejects with `ERR_ABORTED`. */
  signal?: AbortSignal;
  /**
   * A download that receives no bytes for this many milliseconds fails with `ERR_DOWNLOAD`.
   * @default 60000
   */
  timeoutMs?: number;
}

/** The option names of {@link CacheOptions}, part of every fetcher's known keys. */
export const CACHE_OPTION_KEYS: KnownKeys<CacheOptions> = {
  dataHome: true,
  downloadIfMissing: true,
  onProgress: true,
  baseUrl: true,
  signal: true,
  timeoutMs: true,
};

/** The cache options after checking, with defaults filled in. */
export interface ResolvedCacheOptions {
  dataHome: string | undefined;
  downloadIfMissing: boolean;
  onProgress: ((progress: DownloadProgress) => void) | undefined;
  baseUrl: string | undefined;
  signal: AbortSignal | undefined;
  timeoutMs: number;
}

/**
 * Checks the cache options of a fetcher call.
 * @throws LightFMError `ERR_INVALID_ARG` naming the bad option.
 */
export function cacheOptions(where: string, o: OptionsReader<CacheOptions>): ResolvedCacheOptions {
  for (const name of ['dataHome', 'baseUrl'] as const) {
    if (o.string(name, undefined) === '') throw o.invalid(name, 'must be a non-empty string');
  }
  const baseUrl = o.get('baseUrl');
  if (baseUrl !== undefined) baseUrlOf(`${where}: options.baseUrl`, baseUrl);
  return {
    dataHome: o.get('dataHome'),
    downloadIfMissing: o.flag('downloadIfMissing', true),
    onProgress: o.callback('onProgress'),
    baseUrl,
    signal: o.signal('signal'),
    timeoutMs: o.int('timeoutMs', 60_000, 1, 2 ** 31 - 1),
  };
}
