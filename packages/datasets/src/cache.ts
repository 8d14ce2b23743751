import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The dataset cache folder: `dataHome` if given, else `LIGHTFM_DATA_HOME`, else
 * `$XDG_CACHE_HOME/lightfm-ts`, else `~/.cache/lightfm-ts` (DESIGN.md, "The dataset cache").
 *
 * Relative paths are resolved against the current directory.
 *
 * @param dataHome - An explicit folder, which wins over the environment.
 * @returns An absolute path. It is not created here; downloads create it.
 * @example
 * ```ts
 * getDataHome();            // e.g. '/home/me/.cache/lightfm-ts'
 * getDataHome('./data');    // '/current/dir/data'
 * ```
 */
export function getDataHome(dataHome?: string): string {
  if (dataHome) return resolve(dataHome);
  const env = process.env.LIGHTFM_DATA_HOME;
  if (env) return resolve(env);
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg) return resolve(xdg, 'lightfm-ts');
  return join(homedir(), '.cache', 'lightfm-ts');
}

/** The URL to fetch `fileName` from: `baseUrl`, else `LIGHTFM_DATASETS_BASE_URL`, else `origin`. */
export function sourceUrl(fileName: string, origin: string, baseUrl: string | undefined): string {
  const base = baseUrl ?? (process.env.LIGHTFM_DATASETS_BASE_URL || origin);
  return new URL(fileName, base.endsWith('/') ? base : `${base}/`).href;
}

/** Whether `path` exists (file or folder). */
export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
