// `pnpm --filter http-server start [--model model.lightfm] [--index model.index] [--port 3000] [--host 127.0.0.1]`
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LightFM } from '@lightfm-ts/core';
import { createService, serveUntilSignal, servingState } from '@lightfm-ts/cli';
import { trainServingModel } from './model.js';
import { indexFor } from './item-index.js';

async function main(): Promise<void> {
  // `pnpm start -- --port 8080` passes the `--` on; drop it.
  const args = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string', default: 'model.lightfm' },
      index: { type: 'string' },
      port: { type: 'string', default: '3000' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);

  if (!existsSync(values.model)) {
    console.log(`no model at ${values.model}; training one`);
    await (await trainServingModel({}, console.log)).save(values.model);
  }
  // The model file carries the Dataset it was trained with: serve by the same ids.
  const serving = servingState(await LightFM.load(values.model));
  const index = values.index === undefined ? undefined : await indexFor(serving, values.index, console.log);
  const [users, items] = [serving.dataset.userIds(), serving.dataset.itemIds()];
  // Stops on SIGINT or SIGTERM, letting requests in flight finish.
  await serveUntilSignal(createService(serving, index), port, values.host, (base) => {
    console.log(`serving ${values.model}${index ? ` through the index ${values.index}` : ''} on ${base}`);
    console.log(`  ${base}/recommend?user=${users[0]}&k=5`);
    console.log(`  ${base}/similar?item=${items[49] ?? items[0]}&k=5`);
    console.log(`  ${base}/health`);
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
