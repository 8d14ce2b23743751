// `pnpm demo`: train, evaluate and use a hybrid recommender in one command.
import { loadData } from './data.js';
import { runDemo } from './demo.js';
import { metricsTable, recommendationTable } from './report.js';

const EPOCHS = 10;

async function main(): Promise<void> {
  const data = await loadData({}, console.log);
  console.log(`data:  ${data.description}`);
  console.log(`model: hybrid WARP, 30 components, ${EPOCHS} epochs`);
  const result = await runDemo(data, { epochs: EPOCHS, progress: true });
  console.log(`trained in ${result.fitSeconds.toFixed(1)} s`);
  console.log('');
  for (const line of metricsTable(result.metrics)) console.log(line);
  const liked = data.source === 'movielens' ? 'rated highly' : 'interacted with';
  for (const line of recommendationTable(result.users, liked)) console.log(line);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
