// `pnpm --filter csv-to-recommendations start [--csv ratings.csv] [--user ana] [--k 5] [--out recommender.lightfm]`
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LightFM } from '@lightfm-ts/core';
import { readRatings } from './ratings.js';
import { recommendFor, trainRecommender } from './recommender.js';

const SAMPLE = fileURLToPath(new URL('../data/ratings.csv', import.meta.url));

async function main(): Promise<void> {
  // `pnpm start -- --user ben` passes the `--` on; drop it.
  const args = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));
  const { values } = parseArgs({
    args,
    options: {
      csv: { type: 'string', default: SAMPLE },
      user: { type: 'string' },
      k: { type: 'string', default: '5' },
      out: { type: 'string', default: 'recommender.lightfm' },
    },
  });
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1) throw new Error(`--k must be a positive integer, got ${values.k}`);

  const ratings = await readRatings(values.csv);
  console.log(`read ${ratings.length} ratings from ${values.csv}`);
  const { model, rated, heldOut } = await trainRecommender(ratings);
  console.log(`held-out precision@5 ${heldOut.precision.toFixed(3)}, AUC ${heldOut.auc.toFixed(3)}`);

  await model.save(values.out);
  console.log(`saved the model and its id mappings to ${values.out}`);

  // What a server would do: load the file and answer by external id.
  const served = await LightFM.load(values.out);
  const user = values.user ?? ratings[0]?.user ?? '';
  const history = ratings.filter((r) => r.user === user).map((r) => `${r.item} (${r.rating})`);
  console.log(`\n${user} rated: ${history.join(', ')}`);
  console.log(`top ${k} for ${user}:`);
  for (const { item, score } of recommendFor(served, user, k, rated)) console.log(`  ${item.padEnd(24)} ${score.toFixed(3)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
