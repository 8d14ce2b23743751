// Runs the built `lightfm` binary in a child process, and the small data sets the tests use.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { type CooMatrix, type CsrMatrix, Dataset, LightFM } from '@lightfm-ts/core';
import { servingMappings } from '../src/index.js';

/** The built binary (the test task builds first). */
export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `lightfm ...args`, resolved with the exit code and the output whatever the outcome. */
export function lightfm(args: string[], cwd?: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts `lightfm serve` on a free port and resolves with its base URL from the first line it prints. */
export async function serve(model: string): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', model, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const base = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  return { child, base, output: () => output };
}

/** A temporary folder removed after the file's tests. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lightfm-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A deterministic generator of integers in `[0, n)`. */
function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

export const USERS = 60;
export const ITEMS = 40;

/**
 * Synthetic interactions with structure to learn: user `u<n>` likes items of its group
 * (`n % 4`), items `i<m>` belong to group `m % 4` (their `group:<g>` feature). Rows are
 * `user,item,rating,timestamp` with a header; ids are strings that do not look like numbers.
 */
export function syntheticRows(seed = 7): { user: string; item: string; rating: number; timestamp: number }[] {
  const next = lcg(seed);
  const rows: { user: string; item: string; rating: number; timestamp: number }[] = [];
  const seen = new Set<string>();
  for (let n = 0; n < USERS * 8; n++) {
    const u = n % USERS;
    // Mostly the user's group, sometimes any item.
    const item = next(10) < 8 ? (next(ITEMS / 4) * 4 + (u % 4)) : next(ITEMS);
    const key = `${u}:${item}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ user: `u${u}`, item: `i${item}`, rating: 1 + next(5), timestamp: 1_600_000_000 + n * 60 });
  }
  return rows;
}

/** Writes the synthetic data as `interactions.csv` and `item-features.csv` (`item,feature`). */
export function writeSyntheticCsv(dir: string): { interactions: string; itemFeatures: string } {
  const interactions = join(dir, 'interactions.csv');
  const itemFeatures = join(dir, 'item-features.csv');
  const rows = syntheticRows();
  writeFileSync(interactions, ['user,item,rating,timestamp', ...rows.map((r) => `${r.user},${r.item},${r.rating},${r.timestamp}`)].join('\n') + '\n');
  const items = Array.from({ length: ITEMS }, (_, m) => `i${m},group:${m % 4}`);
  writeFileSync(itemFeatures, ['item,feature', ...items].join('\n') + '\n');
  return { interactions, itemFeatures };
}

/**
 * The synthetic data trained in-process through a `Dataset` (item ids plus group features) and
 * saved with its serving mappings: the reference the commands' answers are checked against.
 */
export interface Reference {
  path: string;
  model: LightFM;
  dataset: Dataset;
  itemFeatures: CsrMatrix;
  interactions: CooMatrix;
}

/** A temporary folder with the {@link referenceModel} in it, trained before the file's tests. */
export function withReferenceModel(): { dir: string; ref: () => Reference } {
  const dir = tempDir();
  let ref: Reference | undefined;
  beforeAll(async () => {
    ref = await referenceModel(dir);
  });
  return { dir, ref: () => ref as Reference };
}

export async function referenceModel(dir: string): Promise<Reference> {
  const rows = syntheticRows();
  const groups = ['group:0', 'group:1', 'group:2', 'group:3'];
  const dataset = new Dataset().fit(
    rows.map((r) => r.user),
    rows.map((r) => r.item),
    { itemFeatures: groups },
  );
  const { interactions } = dataset.buildInteractions({ users: rows.map((r) => r.user), items: rows.map((r) => r.item) });
  const itemFeatures = dataset.buildItemFeatures(dataset.itemIds().map((id) => [id, [`group:${Number(String(id).slice(1)) % 4}`]]));
  const model = await new LightFM({ loss: 'warp', noComponents: 8, randomState: 3 }).fit(interactions, { itemFeatures, epochs: 5 });
  model.mappings = servingMappings(dataset, { itemFeatures, seen: interactions, titles: dataset.itemIds().map((id) => `Title ${id}`) });
  const path = join(dir, 'reference.lightfm');
  await model.save(path);
  return { path, model, dataset, itemFeatures, interactions };
}
