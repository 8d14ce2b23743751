// A small trained model with string ids, and throwaway folders for real LanceDB tables.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { type CsrMatrix, Dataset, LightFM } from '@lightfm-ts/core';

/** A seeded LCG in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

export interface Fixture {
  model: LightFM;
  dataset: Dataset;
  train: CsrMatrix;
  users: string[];
  items: string[];
}

/** `users x items` interactions with planted taste groups, a fitted WARP model over them. */
export function trainedModel(users = 60, items = 300, seed = 7): Fixture {
  const rand = rng(seed);
  const userIds = Array.from({ length: users }, (_, u) => `user-${u}`);
  const itemIds = Array.from({ length: items }, (_, i) => `item-${i}`);
  const dataset = new Dataset().fit(userIds, itemIds);
  const pairs: [string, string][] = [];
  for (let u = 0; u < users; u++) {
    for (let n = 0; n < 12; n++) {
      // Users of group g mostly take items of group g (items congruent to g mod 5).
      const group = rand() < 0.8 ? u % 5 : Math.floor(rand() * 5);
      pairs.push([userIds[u] as string, itemIds[group + 5 * Math.floor((rand() * items) / 5)] as string]);
    }
  }
  const train = dataset.buildInteractions(pairs).interactions.toCsr();
  const model = new LightFM({ loss: 'warp', noComponents: 8, randomState: seed }).fitSync(train, { epochs: 10 });
  return { model, dataset, train, users: userIds, items: itemIds };
}

/** A fresh folder, removed after the file's tests. */
export function tempStore(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lightfm-lancedb-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The error code a call rejects with (or `undefined`). */
export async function codeOf(f: () => unknown): Promise<string | undefined> {
  try {
    await f();
  } catch (e) {
    return (e as { code?: string }).code ?? `no code: ${String(e)}`;
  }
  return undefined;
}
