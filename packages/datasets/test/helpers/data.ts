// Locates the real datasets (LIGHTFM_DATA_HOME) and computes LightFM's AUC for tests.
import { existsSync } from 'node:fs';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CsrMatrix, SparseMatrix } from '@lightfm-ts/core';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * `LIGHTFM_DATA_HOME` as an absolute path. A relative value is tried against the current
 * directory, then against the repository root (CI sets `../shared/data`, relative to the
 * root, while vitest runs in the package folder).
 */
function findDataHome(): string | undefined {
  const env = process.env.LIGHTFM_DATA_HOME;
  if (!env) return undefined;
  if (isAbsolute(env)) return env;
  const candidates = [resolve(env), resolve(REPO_ROOT, env)];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

export const DATA_HOME = findDataHome();
export const MOVIELENS_DIR = DATA_HOME && join(DATA_HOME, 'movielens100k', 'ml-100k');
export const HAS_MOVIELENS = !!MOVIELENS_DIR && existsSync(join(MOVIELENS_DIR, 'ua.base'));
export const CROSSVALIDATED = DATA_HOME && join(DATA_HOME, 'stackexchange', 'stackexchange_crossvalidated.npz');
export const HAS_CROSSVALIDATED = !!CROSSVALIDATED && existsSync(CROSSVALIDATED);

/** Prints why a real-data suite is skipped (vitest's skip reason is not shown by default). */
export function reportSkip(suite: string, available: boolean): void {
  if (available) return;
  const why = process.env.LIGHTFM_DATA_HOME
    ? `LIGHTFM_DATA_HOME=${process.env.LIGHTFM_DATA_HOME} does not hold the files`
    : 'LIGHTFM_DATA_HOME is not set';
  console.warn(`[skip] ${suite}: ${why} (see shared/data/README.md)`);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lightfm-datasets-'));
}

/** Every file under `dir`, recursively, relative to it. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

/**
 * Mean AUC over users with test entries, by LightFM's `auc_score` formula: per user, sort
 * the test ranks `r_0 <= r_1 <= ...` and average `1 - max(0, r_i - i) / N`, where
 * `N = nItems - nnz(test row) - nnz(train row)` (train counted only when it was excluded).
 */
export function meanAuc(ranks: CsrMatrix, train?: SparseMatrix): number {
  const trainCsr = train && ('indptr' in train ? train : train.toCsr());
  const nItems = ranks.shape[1];
  let sum = 0;
  let users = 0;
  for (let u = 0; u < ranks.shape[0]; u++) {
    const row = Float64Array.from(ranks.row(u).data).sort();
    if (row.length === 0) continue;
    const trainCount = trainCsr ? (trainCsr.indptr[u + 1] as number) - (trainCsr.indptr[u] as number) : 0;
    const negatives = nItems - row.length - trainCount;
    let auc = 0;
    row.forEach((r, i) => (auc += 1 - Math.max(0, r - i) / negatives));
    sum += auc / row.length;
    users++;
  }
  return sum / users;
}
