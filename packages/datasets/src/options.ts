import { LightFMError } from '@lightfm-ts/core';
import { describe, isAbortSignal } from '@lightfm-ts/core/internal';
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

/** The option names of {@link CacheOptions}, for unknown-option checks. */
export const CACHE_OPTION_KEYS = ['dataHome', 'downloadIfMissing', 'onProgress', 'baseUrl', 'signal', 'timeoutMs'] as const;

function invalid(message: string): LightFMError {
  return new LightFMError('ERR_INVALID_ARG', message);
}

/**
 * Checks that `opts` is an object (or undefined) holding only `keys`; returns it as a record.
 * @throws LightFMError `ERR_INVALID_ARG` naming the unknown option.
 */
export function checkKeys(where: string, opts: unknown, keys: readonly string[]): Record<string, unknown> {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw invalid(`${where}: options must be an object, got ${describe(opts)}`);
  }
  for (const key of Object.keys(opts)) {
    if (!keys.includes(key)) throw invalid(`${where}: unknown option '${key}'; valid options are ${keys.join(', ')}`);
  }
  return opts as Record<string, unknown>;
}

/** A boolean option, or its default. */
export function boolOption(where: string, o: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const v = o[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw invalid(`${where}: options.${name} must be a boolean, got ${describe(v)}`);
  return v;
}

/** A finite number option within `[min, max]`, or its default. */
export function numberOption(where: string, o: Record<string, unknown>, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  const v = o[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw invalid(`${where}: options.${name} must be a finite number in [${min}, ${max}], got ${describe(v)}`);
  }
  return v;
}

/** An integer option within `[min, max]`, or its default. */
export function intOption(where: string, o: Record<string, unknown>, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = o[name];
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) {
    throw invalid(`${where}: options.${name} must be an integer in [${min}, ${max}], got ${describe(v)}`);
  }
  return v as number;
}

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
export function cacheOptions(where: string, o: Record<string, unknown>): ResolvedCacheOptions {
  for (const name of ['dataHome', 'baseUrl'] as const) {
    if (o[name] !== undefined && (typeof o[name] !== 'string' || o[name] === '')) {
      throw invalid(`${where}: options.${name} must be a non-empty string, got ${describe(o[name])}`);
    }
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw invalid(`${where}: options.onProgress must be a function, got ${describe(o.onProgress)}`);
  }
  if (o.signal !== undefined && !isAbortSignal(o.signal)) {
    throw invalid(`${where}: options.signal must be an AbortSignal (e.g. AbortSignal.timeout(ms) or new AbortController().signal), got ${describe(o.signal)}`);
  }
  if (typeof o.baseUrl === 'string') baseUrlOf(`${where}: options.baseUrl`, o.baseUrl);
  return {
    dataHome: o.dataHome as string | undefined,
    downloadIfMissing: boolOption(where, o, 'downloadIfMissing', true),
    onProgress: o.onProgress as ResolvedCacheOptions['onProgress'],
    baseUrl: o.baseUrl as string | undefined,
    signal: o.signal as AbortSignal | undefined,
    timeoutMs: intOption(where, o, 'timeoutMs', 60_000, 1, 2 ** 31 - 1),
  };
}
