import { access } from 'node:fs/promises';
import { LightFMError } from '@lightfm-ts/core';
import { type NotRegularFile, describe, readRegularFile, statRegularFile } from '@lightfm-ts/core/internal';
import { homedir } from 'node:os';
import nodePath, { type PlatformPath } from 'node:path';

/**
 * The dataset cache folder: `dataHome` if given, else `LIGHTFM_DATA_HOME`, else
 * `$XDG_CACHE_HOME/lightfm-ts`, else `~/.cache/lightfm-ts` (DESIGN.md, "The dataset cache").
 *
 * Relative paths are resolved against the current directory.
 *
 * @param dataHome - An explicit folder, which wins over the environment.
 * @returns An absolute path. It is not created here; downloads create it.
 * @throws LightFMError `ERR_INVALID_ARG` when `dataHome` is given and is not a string.
 * @example
 * ```ts
 * getDataHome();            // e.g. '/home/me/.cache/lightfm-ts'
 * getDataHome('./data');    // '/current/dir/data'
 * ```
 */
export function getDataHome(dataHome?: string): string {
  if (dataHome !== undefined && typeof dataHome !== 'string') {
    throw new LightFMError('ERR_INVALID_ARG', `getDataHome(): dataHome must be a folder path (a string), got ${describe(dataHome)}`);
  }
  return dataHomeFrom(dataHome, process.env, homedir(), nodePath);
}

/**
 * The rule of {@link getDataHome}, given the environment, the home folder and the path flavour
 * (tests check Windows paths with `path.win32` on any OS).
 */
export function dataHomeFrom(dataHome: string | undefined, env: NodeJS.ProcessEnv, home: string, path: PlatformPath): string {
  if (dataHome) return path.resolve(dataHome);
  if (env.LIGHTFM_DATA_HOME) return path.resolve(env.LIGHTFM_DATA_HOME);
  if (env.XDG_CACHE_HOME) return path.resolve(env.XDG_CACHE_HOME, 'lightfm-ts');
  return path.join(home, '.cache', 'lightfm-ts');
}

/**
 * `base` as a download prefix URL (with a trailing slash), checked to be an absolute
 * `http:` or `https:` URL, the schemes `fetch` downloads from.
 * @param what - Where the value came from, for the error (e.g. `fetchMovielens(): options.baseUrl`).
 * @throws LightFMError `ERR_INVALID_ARG` for anything else.
 */
export function baseUrlOf(what: string, base: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(base.endsWith('/') ? base : `${base}/`);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new LightFMError(
      'ERR_INVALID_ARG',
      `${what} must be an absolute http: or https: URL such as 'https://mirror.example/datasets/', got ${JSON.stringify(base)}`,
    );
  }
  return url;
}

/** The URL to fetch `fileName` from: `baseUrl`, else `LIGHTFM_DATASETS_BASE_URL`, else `origin`. */
export function sourceUrl(fileName: string, origin: string, baseUrl: string | undefined): string {
  const env = process.env.LIGHTFM_DATASETS_BASE_URL;
  const base =
    baseUrl !== undefined
      ? baseUrlOf('options.baseUrl', baseUrl)
      : env
        ? baseUrlOf('the LIGHTFM_DATASETS_BASE_URL environment variable', env)
        : baseUrlOf('origin', origin);
  return new URL(fileName, base).href;
}

/**
 * The error for a cache path that is not a regular file (a folder where a file belongs, a
 * FIFO, a device): the cache is damaged, and removing the path lets a fetcher download again.
 */
const notRegularCacheFile: NotRegularFile = (path, kind) =>
  new LightFMError(
    'ERR_CORRUPT_FILE',
    `${path} is ${kind}, where the dataset cache expects a regular file; remove it (the data is downloaded again when missing) or replace it with the right file`,
  );

/**
 * Reads a file of the dataset cache: only a regular file, and only its size (see
 * `readRegularFile` in core).
 * @throws LightFMError `ERR_CORRUPT_FILE` naming the path for anything but a regular file.
 */
export function readCacheFile(path: string): Promise<Buffer> {
  return readRegularFile(path, notRegularCacheFile);
}

/**
 * Checks that `path` is a regular file before a reader that opens it itself (the zip reader)
 * does: opening a FIFO would block, and a folder gives a bare `EISDIR`.
 * @throws LightFMError `ERR_CORRUPT_FILE` as {@link readCacheFile}.
 */
export async function checkCacheFile(path: string): Promise<void> {
  await statRegularFile(path, notRegularCacheFile);
}

/** Whether `path` exists (file or folder). */
export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
