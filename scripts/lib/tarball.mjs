// Reads the gzipped tarballs that `pnpm pack` writes, so the smoke check needs no `tar` binary
// (Windows runners have two different ones on PATH).
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { run } from './run.mjs';

const BLOCK = 512;

function field(header, start, length) {
  const bytes = header.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? length : end).toString('utf8');
}

/** Reads a pax extended header ("<len> key=value\n" records) into a map. */
function paxRecords(body) {
  const records = new Map();
  for (const line of body.toString('utf8').split('\n')) {
    const match = /^\d+ ([^=]+)=(.*)$/.exec(line);
    if (match) records.set(match[1], match[2]);
  }
  return records;
}

/**
 * Lists the regular files of a `.tgz` with their contents.
 * @param {string} file path of the tarball
 * @returns {{ path: string, data: Buffer, mode: number }[]} paths as stored (`package/...`)
 */
export function readTarball(file) {
  const tar = gunzipSync(readFileSync(file));
  const entries = [];
  let paxPath;
  for (let offset = 0; offset + BLOCK <= tar.length; ) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const prefix = field(header, 345, 155);
    const name = paxPath ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    const body = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    paxPath = undefined;
    if (type === 'x') paxPath = paxRecords(body).get('path');
    else if (type === '0' || type === '7') {
      entries.push({ path: name, data: Buffer.from(body), mode: Number.parseInt(field(header, 100, 8) || '644', 8) });
    }
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}

/**
 * Extracts a package tarball into `dest`, dropping the leading `package/` folder.
 * @param {string} file path of the tarball
 * @param {string} dest folder to create the files in
 */
export function extractPackage(file, dest) {
  for (const entry of readTarball(file)) {
    const relative = normalize(entry.path.replace(/^[^/]+\//, ''));
    if (relative.startsWith('..') || relative.startsWith(sep)) throw new Error(`unsafe path ${entry.path} in ${file}`);
    const target = join(dest, relative);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entry.data, { mode: entry.mode });
  }
}

/**
 * `pnpm pack`s the package in `dir` into the folder `dest` (created if needed), turning
 * `workspace:` ranges into versions as a publish does, and returns the tarball's path.
 * @param {string} dir
 * @param {string} dest
 */
export function pnpmPack(dir, dest) {
  mkdirSync(dest, { recursive: true });
  const before = new Set(readdirSync(dest));
  run('pnpm', ['pack', '--pack-destination', dest], { cwd: dir, capture: true });
  const created = readdirSync(dest).filter((f) => f.endsWith('.tgz') && !before.has(f));
  if (created.length !== 1) throw new Error(`pnpm pack in ${dir} produced ${created.length} tarballs`);
  console.log(`packed ${join(dest, created[0])}`);
  return join(dest, created[0]);
}
