// `pnpm --filter hybrid-cold-start start`: LightFM's hybrid (cold-start) example.
import { compareModels, similarTags } from './compare.js';
import { loadColdStartData } from './data.js';

async function main(): Promise<void> {
  const data = await loadColdStartData({}, console.log);
  console.log(`data: ${data.description}`);
  const { pureCf, hybrid, hybridModel } = await compareModels(data);
  console.log('');
  console.log('                        train AUC   test AUC');
  console.log(`  pure CF (ids)       ${pureCf.train.toFixed(3).padStart(11)}${pureCf.test.toFixed(3).padStart(11)}`);
  console.log(`  hybrid (tags)       ${hybrid.train.toFixed(3).padStart(11)}${hybrid.test.toFixed(3).padStart(11)}`);
  if (data.source === 'crossvalidated') console.log("  (LightFM's example: pure CF 0.888 / 0.347, hybrid 0.860 / 0.703)");
  console.log('');
  for (const [tag, neighbours] of similarTags(hybridModel, data.tagLabels, data.exampleTags, 3)) {
    console.log(`tags like ${tag}: ${neighbours.join(', ')}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
