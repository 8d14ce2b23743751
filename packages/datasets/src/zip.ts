import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { LightFMError } from '@lightfm-ts/core';
import { checkCacheFile } from './cache.js';

/** Entries larger than this are refused before anything is allocated (zip bombs). */
const MAX_ENTRY_BYTES = 2 ** 32 - 1;
/**
 * Deflate cannot expand data by more than about 1032 times (a 258-byte match per 2 bits), so
 * an entry claiming more than this many bytes per compressed byte is lying about its size.
 */
const MAX_DEFLATE_RATIO = 1032;

function corrupt(path: string, why: string, cause?: unknown): LightFMError {
  return new LightFMError('ERR_CORRUPT_FILE', `${path} is not a usable zip archive: ${why}`, { cause });
}

/**
 * Reads the named members of a zip archive into memory, checking every entry's CRC-32.
 *
 * Every entry of the archive is inspected, not only the wanted ones: an archive with an
 * absolute path, a `..` segment or a backslash in any entry name (a "zip-slip" entry), or
 * with a wanted name twice, is refused as a whole.
 *
 * @param path - The archive on disk.
 * @param wanted - Exact entry names.
 * @returns Each wanted name mapped to its uncompressed bytes.
 * @throws LightFMError `ERR_CORRUPT_FILE` for a damaged archive, a bad entry name, a CRC
 *   mismatch or a missing member.
 */
export async function readZipMembers(path: string, wanted: readonly string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  // A folder or FIFO in place of the archive is refused before yauzl opens it.
  await checkCacheFile(path);
  let zip: yauzl.ZipFile;
  try {
    // yauzl refuses absolute paths and `..` segments while it decodes names.
    zip = await yauzl.openPromise(path, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true });
  } catch (err) {
    throw corrupt(path, (err as Error).message, err);
  }
  try {
    for await (const entry of zip.eachEntry()) {
      if (!wanted.includes(entry.fileName)) continue;
      if (out.has(entry.fileName)) throw corrupt(path, `the entry ${entry.fileName} appears twice`);
      out.set(entry.fileName, await readEntry(zip, entry, path));
    }
  } catch (err) {
    if (err instanceof LightFMError) throw err;
    throw corrupt(path, (err as Error).message, err);
  } finally {
    zip.close();
  }
  const missing = wanted.filter((name) => !out.has(name));
  if (missing.length > 0) throw corrupt(path, `it has no entry ${missing.join(', ')}`);
  return out;
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, path: string): Promise<Buffer> {
  const size = entry.uncompressedSize;
  // The claimed size is checked against the compressed bytes present before it is allocated.
  const limit = entry.compressionMethod === 0 ? entry.compressedSize : entry.compressedSize * MAX_DEFLATE_RATIO + 1024;
  if (size > MAX_ENTRY_BYTES || size > limit) {
    throw corrupt(path, `the entry ${entry.fileName} claims ${size} bytes, more than its ${entry.compressedSize} compressed bytes can hold`);
  }
  const bytes = Buffer.allocUnsafe(size);
  let offset = 0;
  let crc = 0;
  // yauzl checks that the stream yields exactly `size` bytes (validateEntrySizes).
  for await (const chunk of await zip.openReadStreamPromise(entry)) {
    const buf = chunk as Buffer;
    if (offset + buf.length > size) throw corrupt(path, `the entry ${entry.fileName} is longer than its header says`);
    buf.copy(bytes, offset);
    offset += buf.length;
    crc = crc32(buf, crc);
  }
  if (offset !== size) throw corrupt(path, `the entry ${entry.fileName} is shorter than its header says`);
  if (crc >>> 0 !== entry.crc32 >>> 0) {
    throw corrupt(path, `CRC-32 mismatch in ${entry.fileName} (expected ${hex(entry.crc32)}, found ${hex(crc)})`);
  }
  return bytes;
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}
