// Long-running use: memory returned by every call without the event loop turning, and a
// bounded number of threads however many distinct numThreads values a process uses.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CooMatrix, LightFM } from '../src/index.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const bench = new URL('../bench/memory.mjs', import.meta.url);

describe('soak', () => {
  it('keeps RSS flat over 100,000 recommend and 10,000 predict / getState / toBuffer / toCsr calls, yielding or not', async () => {
    // The memory benchmark at a tenth of its size (in a child, so this process's heap is not measured).
    const { stdout } = await promisify(execFile)(process.execPath, [bench.pathname, '--recommend', '100000', '--each', '10000', '--json']);
    const results = JSON.parse(stdout) as { name: string; calls: number; yieldEvery: number; growthMiB: number }[];
    expect(results.map((r) => r.name)).toEqual(['recommend', 'recommend', 'predict', 'predict', 'getState', 'getState', 'toBuffer', 'toBuffer', 'toCsr', 'toCsr']);
    for (const r of results) {
      // A result held until the event loop turns costs about 1 KB per call (100 MB here); a
      // quiet run grows under 1 MiB, a loaded machine (GC running late) up to 27 seen.
      expect(r.growthMiB, `${r.name}, yieldEvery ${r.yieldEvery}`).toBeLessThan(48);
    }
  });

  it.runIf(process.platform === 'linux')('keeps at most max(numThreads) threads, however many distinct values are used', () => {
    // The pool's threads are named lightfm-<i>; Node's own (libuv, V8) start lazily, so they
    // are not counted against the bound.
    const ours = () => readdirSync('/proc/self/task').filter((t) => readFileSync(`/proc/self/task/${t}/comm`, 'utf8').startsWith('lightfm-')).length;
    const model = new LightFM({ noComponents: 4, randomState: 1 }).fitSync(CooMatrix.fromTriplets(range(60).map((i) => i % 20), range(60).map((i) => (i * 7) % 30), range(60).fill(1), [20, 30]), { epochs: 1 });
    const items = Int32Array.from(range(30));
    model.predict(0, items);
    expect(ours(), 'numThreads 1 runs on the calling thread').toBe(0);
    let most = 0;
    for (const n of [...range(39).map((i) => i + 2), ...range(39).map((i) => 40 - i), 7, 33, 2, 40]) {
      model.predict(0, items, { numThreads: n });
      model.recommend([0, 1, 2], { numThreads: n });
      most = Math.max(most, ours());
    }
    expect(most).toBeLessThanOrEqual(40);
  });
});
