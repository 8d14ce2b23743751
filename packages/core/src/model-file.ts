// Model files on disk: atomic writes, reads, and the mappings JSON stored with a model. The
// format itself is the core's (crates/lightfm-core/src/io, docs/model-format.md).
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LightFMError, invalidArg } from './errors.js';
import { describe } from './arrays.js';

/** A file path: a string or a `file:` URL. */
export type FilePath = string | URL;

function pathString(where: string, path: FilePath): string {
  if (path instanceof URL) return fileURLToPath(path);
  if (typeof path !== 'string' || path.length === 0) {
    throw invalidArg(`${where}: path must be a non-empty string or a file: URL, got ${describe(path)}`);
  }
  return path;
}

/**
 * Writes `bytes` to a temporary file next to `path`, flushes it to disk and renames it over
 * `path`, so readers see the old file or the new one, never a partial one. The temporary file
 * is removed if anything fails.
 */
export async function writeFileAtomic(where: string, path: FilePath, bytes: Uint8Array): Promise<void> {
  const target = pathString(where, path);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx');
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, target);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** The bytes of a model file. */
export function readModelFile(where: string, path: FilePath): Promise<Buffer> {
  return readFile(pathString(where, path));
}

/**
 * `mappings` as JSON text for the file header, or `undefined` when there are none. Maps and
 * Sets would silently become `{}`, so they are rejected with advice instead.
 */
export function mappingsJson(where: string, mappings: unknown): string | undefined {
  if (mappings === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(mappings, (_key, value: unknown) => {
      if (value instanceof Map || value instanceof Set) {
        throw invalidArg(
          `${where}: mappings must be plain JSON data, found a ${value.constructor.name}; convert it first (e.g. Object.fromEntries(map) or [...set])`,
        );
      }
      return value;
    });
  } catch (err) {
    if (err instanceof LightFMError) throw err;
    throw invalidArg(`${where}: mappings must be JSON-serialisable: ${(err as Error).message}`);
  }
  if (text === undefined) throw invalidArg(`${where}: mappings must be JSON-serialisable, got ${describe(mappings)}`);
  return text;
}

/** The mappings stored in a file (JSON text verified by the core), parsed. */
export function parseMappings(text: string | undefined): unknown {
  return text === undefined ? undefined : JSON.parse(text);
}
