// Model files on disk: atomic writes, reads, and the mappings JSON stored with a model. The
// format itself is the core's (crates/lightfm-core/src/io, docs/model-format.md).
import { constants as bufferConstants } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, type Stats } from 'node:fs';
import { type FileHandle, open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LightFMError, invalidArg } from './errors.js';
import { describe } from './arrays.js';
import { renameWithRetry } from './rename-retry.js';

/** A file path: a string or a `file:` URL. */
export type FilePath = string | URL;

function pathString(where: string, path: FilePath): string {
  if (path instanceof URL) {
    try {
      return fileURLToPath(path);
    } catch (err) {
      throw invalidArg(`${where}: path must be a file path or a file: URL, got ${path.href} (${(err as Error).message})`);
    }
  }
  if (typeof path !== 'string' || path.length === 0) {
    throw invalidArg(`${where}: path must be a non-empty string or a file: URL, got ${describe(path)}`);
  }
  return path;
}

/**
 * Writes `bytes` to a temporary file next to `path`, flushes it to disk and renames it over
 * `path`, so readers see the old file or the new one, never a partial one (the rename is
 * retried while a Windows scanner holds a file; see `renameWithRetry`). The temporary file
 * is removed if anything fails. Replacing a file keeps its permission bits (a `0600` file
 * stays `0600`); a new file gets the default `0666` less the umask.
 */
export async function writeFileAtomic(where: string, path: FilePath, bytes: Uint8Array): Promise<void> {
  const target = pathString(where, path);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // The mode to keep, or undefined for a new file (a missing or unreadable target).
  const kept = await stat(target).then(
    (st) => (st.isFile() ? st.mode & 0o777 : undefined),
    () => undefined,
  );
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx', kept ?? 0o666);
    // `open` applies the umask; chmod restores the exact bits of the file being replaced.
    if (kept !== undefined) await handle.chmod(kept);
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await renameWithRetry(tmp, target);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** What a non-regular file is, in words. */
function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** How {@link readRegularFile} reports a path that is not a regular file. */
export type NotRegularFile = (path: string, kind: string) => LightFMError;

/**
 * The bytes of the regular file at `path`, read in full, of bounded size and without ever
 * blocking: the path is `stat`ed first and anything but a regular file (a FIFO, whose opening
 * would block a libuv thread forever; a device such as `/dev/zero`, which never ends; a socket;
 * a directory) is refused with `notRegular`. The file is opened non-blocking, checked again
 * through its handle (it may have been replaced in between), and exactly its size is read.
 *
 * @throws {LightFMError} what `notRegular` returns; `ERR_INVALID_ARG` for a file larger than
 *   a Node Buffer can hold; `ERR_CORRUPT_FILE` when the file changes size while it is read.
 *   File system errors (e.g. `ENOENT`, `EACCES`) are Node's own.
 */
export async function readRegularFile(path: string, notRegular: NotRegularFile): Promise<Buffer> {
  const size = await statRegularFile(path, notRegular);
  // O_NONBLOCK: should a FIFO have replaced the file since the stat, opening it returns at once.
  const handle = await open(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  try {
    const opened = await handle.stat();
    if (regularSize(path, opened, notRegular) !== size) throw changedSize(path, size);
    const bytes = Buffer.allocUnsafe(size);
    for (let offset = 0; offset < size; ) {
      const { bytesRead } = await handle.read(bytes, offset, size - offset, offset);
      if (bytesRead === 0) throw changedSize(path, size);
      offset += bytesRead;
    }
    // One byte more would mean the file grew (or, like /proc files, reports a wrong size).
    if ((await handle.read(Buffer.alloc(1), 0, 1, size)).bytesRead !== 0) throw changedSize(path, size);
    return bytes;
  } finally {
    await handle.close();
  }
}

/**
 * The size of the regular file at `path`, for readers that open the file themselves: the
 * checks of {@link readRegularFile} before opening.
 */
export async function statRegularFile(path: string, notRegular: NotRegularFile): Promise<number> {
  return regularSize(path, await stat(path), notRegular);
}

function regularSize(path: string, st: Stats, notRegular: NotRegularFile): number {
  if (!st.isFile()) throw notRegular(path, fileKind(st));
  if (st.size > bufferConstants.MAX_LENGTH) {
    throw invalidArg(
      `${path} has ${st.size} bytes, more than the ${bufferConstants.MAX_LENGTH} a Node Buffer can hold; check that it is the file you meant`,
    );
  }
  return st.size;
}

function changedSize(path: string, size: number): LightFMError {
  return new LightFMError(
    'ERR_CORRUPT_FILE',
    `${path} changed size while it was read (it had ${size} bytes when opened); read it again once nothing is writing to it`,
  );
}

/**
 * The bytes of a model file (or of `what`, e.g. an index file), read as {@link readRegularFile} does.
 * @throws {LightFMError} `ERR_INVALID_ARG` naming the path for anything but a regular file
 */
export function readModelFile(where: string, path: FilePath, what = 'a model file'): Promise<Buffer> {
  const file = pathString(where, path);
  return readRegularFile(file, (p, kind) =>
    invalidArg(`${where}: ${p} is ${kind}; ${what} must be a regular file (one written by save())`),
  ).catch((err: unknown) => {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    throw new LightFMError(
      'ERR_FILE_NOT_FOUND',
      `${where}: there is no file at ${resolve(file)}; check the path (a relative path starts from the working directory, ${process.cwd()})`,
      { cause: err },
    );
  });
}

/**
 * `mappings` as JSON text for the file header, or `undefined` when there are none. Only data
 * that survives a JSON round trip unchanged is accepted (see {@link checkJsonData}).
 */
export function mappingsJson(where: string, mappings: unknown): string | undefined {
  if (mappings === undefined) return undefined;
  try {
    checkJsonData(where, mappings, 'mappings', []);
    return JSON.stringify(mappings);
  } catch (err) {
    if (err instanceof RangeError) throw invalidArg(`${where}: mappings are nested too deeply to be stored as JSON`);
    throw err;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Checks that `value` is plain JSON data that `JSON.parse(JSON.stringify(value))` gives back
 * unchanged: strings, finite numbers, booleans, null, plain arrays without holes and plain
 * objects (prototype `Object.prototype` or null) of those, without cycles. Everything that
 * JSON would drop, turn into null or `{}`, or replace by its `toJSON` is refused, naming the
 * path of the offending value (e.g. `mappings.users[3]`) and what to store instead.
 */
function checkJsonData(where: string, value: unknown, path: string, ancestors: object[]): void {
  const bad = (what: string, fix: string) =>
    invalidArg(`${where}: mappings must be plain JSON data, but ${path} is ${what}; ${fix}`);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw bad(String(value), 'JSON would store null: use a finite number or null');
      return;
    case 'undefined':
      throw bad('undefined', 'JSON would drop it (or store null in an array): use null or leave it out');
    case 'bigint':
      throw bad(`a bigint (${value}n)`, 'store it as a number or a string');
    case 'function':
    case 'symbol':
      throw bad(`a ${typeof value}`, 'JSON cannot store it: store data only');
  }
  if (value === null) return;
  const obj = value as object;
  const name = (obj as { constructor?: { name?: string } }).constructor?.name ?? 'object';
  if (ancestors.includes(obj)) throw bad('one of its own containers (a cycle)', 'JSON cannot store cycles: store ids instead of references');
  if (obj instanceof Map || obj instanceof Set) {
    throw bad(`a ${name}`, 'convert it first (e.g. Object.fromEntries(map) or [...set])');
  }
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer || obj instanceof SharedArrayBuffer) {
    throw bad(`a ${name}`, 'JSON would store it as an object keyed by index (or {}): convert it with Array.from(x)');
  }
  if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
    throw bad(`a ${name} with a toJSON method`, 'JSON would store what toJSON returns instead: store that value yourself (e.g. date.toISOString())');
  }
  const isArray = Array.isArray(obj);
  const proto = Object.getPrototypeOf(obj) as unknown;
  if (isArray ? proto !== Array.prototype : proto !== Object.prototype && proto !== null) {
    throw bad(`an instance of ${name}`, 'JSON would lose its class and keep only its own fields: convert it to a plain object or array');
  }
  const keys = Object.keys(obj);
  const own = Object.getOwnPropertyNames(obj).length - (isArray ? 1 : 0); // an array's length
  if (own !== keys.length || Object.getOwnPropertySymbols(obj).length > 0) {
    throw bad('an object with non-enumerable or symbol-keyed properties', 'JSON would drop them: use plain enumerable string keys');
  }
  ancestors.push(obj);
  if (isArray) {
    const array = obj as unknown[];
    for (let i = 0; i < array.length; i++) {
      if (!(i in array)) {
        throw invalidArg(
          `${where}: mappings must be plain JSON data, but ${path}[${i}] is a hole (an empty slot of a sparse array); JSON would store null: fill it`,
        );
      }
      checkJsonData(where, array[i], `${path}[${i}]`, ancestors);
    }
    if (keys.length !== array.length) throw bad('an array with named properties', 'JSON would drop them: keep them in an object');
  } else {
    for (const key of keys) {
      const child = IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      checkJsonData(where, (obj as Record<string, unknown>)[key], child, ancestors);
    }
  }
  ancestors.pop();
}

/** The mappings stored in a file (JSON text verified by the core), parsed. */
export function parseMappings(text: string | undefined): unknown {
  return text === undefined ? undefined : JSON.parse(text);
}
