// Memory of long loops of synchronous calls on a small model: RSS after a warm-up and at the
// end, for a loop that never yields to the event loop and for one that yields every 100 calls.
// A server or a batch job must be able to call `recommend` forever without its memory growing.
//
//   node packages/core/bench/memory.mjs [--recommend 1000000] [--each 100000] [--json]
//
// Needs a built package (`pnpm -F @lightfm-ts/core build`). Target (issue 20): less than 20 MB
// of growth over 1,000,000 `recommend` calls that never yield, less than 5 MB when they yield.
import { parseArgs } from 'node:util';
import { setImmediate as turn } from 'node:timers/promises';
import { CooMatrix, LightFM } from '../dist/index.js';

const { values: args } = parseArgs({
  options: {
    recommend: { type: 'string', default: '1000000' },
    each: { type: 'string', default: '100000' },
    json: { type: 'boolean', default: false },
  },
});

const MiB = 1024 * 1024;
const USERS = 100;
const ITEMS = 200;

function smallModel() {
  const n = 2_000;
  const row = new Int32Array(n);
  const col = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    row[i] = (i * 7919) % USERS;
    col[i] = (i * 104729) % ITEMS;
  }
  const interactions = new CooMatrix(row, col, new Float32Array(n).fill(1), [USERS, ITEMS]);
  const model = new LightFM({ loss: 'warp', noComponents: 16, randomState: 1 }).fitSync(interactions, { epochs: 2 });
  return { model, interactions };
}

const { model, interactions } = smallModel();
const allItems = Int32Array.from({ length: ITEMS }, (_, i) => i);

/** The calls measured; each returns arrays the binding hands over. */
const operations = {
  recommend: (i) => model.recommend(i % USERS, { k: 10 }),
  predict: (i) => model.predict(i % USERS, allItems),
  getState: (i) => model.getState(i % 2 ? 'user' : 'item'),
  toBuffer: () => model.toBuffer(),
  toCsr: () => interactions.toCsr(),
};

/**
 * RSS after `warmUp` calls and after `calls` more, in MiB. `yieldEvery` lets the event loop
 * turn every that many calls (0: never).
 */
async function measure(op, calls, yieldEvery) {
  const run = async (n) => {
    for (let i = 0; i < n; i++) {
      op(i);
      if (yieldEvery && i % yieldEvery === yieldEvery - 1) await turn();
    }
  };
  await run(Math.max(10_000, calls / 10));
  const start = process.memoryUsage().rss;
  const t0 = performance.now();
  await run(calls);
  const seconds = (performance.now() - t0) / 1000;
  const end = process.memoryUsage().rss;
  return { calls, yieldEvery, startMiB: start / MiB, endMiB: end / MiB, growthMiB: (end - start) / MiB, seconds };
}

const results = [];
for (const [name, op] of Object.entries(operations)) {
  const calls = Number(name === 'recommend' ? args.recommend : args.each);
  for (const yieldEvery of [0, 100]) results.push({ name, ...(await measure(op, calls, yieldEvery)) });
}

if (args.json) {
  console.log(JSON.stringify(results));
} else {
  const f = (x) => x.toFixed(1).padStart(7);
  console.log('operation   calls      loop          RSS start  RSS end  growth (MiB)  seconds');
  for (const r of results) {
    const loop = r.yieldEvery ? `yields/${r.yieldEvery}` : 'never yields';
    console.log(`${r.name.padEnd(11)} ${String(r.calls).padStart(8)}  ${loop.padEnd(12)}  ${f(r.startMiB)}  ${f(r.endMiB)}  ${f(r.growthMiB)}  ${f(r.seconds)}`);
  }
}
