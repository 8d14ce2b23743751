// `pnpm --filter learning-schedules start [--epochs 70] [--loss warp-kos]`
import { parseArgs } from 'node:util';
import { fetchMovielens } from '@lightfm-ts/datasets';
import { compareSchedules } from './schedules.js';

async function main(): Promise<void> {
  // `pnpm start -- --epochs 5` passes the `--` on; drop it.
  const args = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));
  const { values } = parseArgs({ args, options: { epochs: { type: 'string', default: '30' }, loss: { type: 'string', default: 'warp' } } });
  const epochs = Number(values.epochs);
  const loss = values.loss;
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs must be a positive integer, got ${values.epochs}`);
  if (loss !== 'warp' && loss !== 'warp-kos') throw new Error(`--loss must be warp or warp-kos, got ${loss}`);

  const { train, test } = await fetchMovielens();
  console.log(`MovieLens 100k, ${loss}, 30 components, L2 1e-3: test AUC after each epoch`);
  const curves = await compareSchedules({ train, test }, { epochs, loss });
  console.log('epoch   adagrad   adadelta');
  for (let e = 0; e < epochs; e++) {
    console.log(`${String(e + 1).padStart(5)}   ${curves.adagrad[e]?.toFixed(3)}     ${curves.adadelta[e]?.toFixed(3)}`);
  }
  for (const schedule of ['adagrad', 'adadelta'] as const) {
    const best = Math.max(...curves[schedule]);
    console.log(`${schedule}: best ${best.toFixed(3)} at epoch ${curves[schedule].indexOf(best) + 1}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
