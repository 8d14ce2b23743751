// `pnpm --filter warp-vs-bpr start [--epochs 70] [--max-sampled 3]`
import { parseArgs } from 'node:util';
import { fetchMovielens } from '@lightfm-ts/datasets';
import { compareLosses } from './losses.js';

function positiveInt(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return n;
}

async function main(): Promise<void> {
  // `pnpm start -- --epochs 5` passes the `--` on; drop it.
  const args = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));
  const { values } = parseArgs({ args, options: { epochs: { type: 'string', default: '30' }, 'max-sampled': { type: 'string', default: '100' } } });
  const epochs = positiveInt('epochs', values.epochs);
  const maxSampled = positiveInt('max-sampled', values['max-sampled']);

  const { train, test } = await fetchMovielens();
  console.log(`MovieLens 100k, 32 components, WARP maxSampled ${maxSampled}: test AUC (train excluded) and training time per epoch`);
  const { warp, bpr } = await compareLosses({ train, test }, { epochs, maxSampled });
  console.log('epoch   WARP AUC   WARP s   BPR AUC   BPR s');
  for (let e = 0; e < epochs; e++) {
    const row = [warp.auc[e], warp.seconds[e], bpr.auc[e], bpr.seconds[e]].map((v) => (v ?? Number.NaN).toFixed(3));
    console.log(`${String(e + 1).padStart(5)}   ${row[0]}      ${row[1]}    ${row[2]}     ${row[3]}`);
  }
  const total = (s: number[]) => s.reduce((a, b) => a + b, 0).toFixed(2);
  console.log(`total training time: WARP ${total(warp.seconds)} s, BPR ${total(bpr.seconds)} s`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
