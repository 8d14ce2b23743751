// One lightfm-ts curve run in a fresh process (the implicit protocol, src/curves.ts): train
// one epoch at a time, measure test precision@10 (train items excluded) after each, stop at
// the target, the cap or the patience, and print one `RESULT {json}` line. The LightFM
// settings are those of worker-ts.ts.
//
// node dist/worker-ts-curve.js --data DIR --loss bpr --threads 2 --max-epochs 100 [--target 0.2] [--components 64]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type CurveResult, shouldStop } from './curves.js';
import { exclusionMatrix, loadDataset } from './data-files.js';
import { peakRssBytes } from './process-memory.js';
import { RESULT_PREFIX } from './result.js';
import { benchModel, coreVersion, precisionTop, WORKER_OPTIONS } from './ts-api.js';

const K = 10;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { ...WORKER_OPTIONS, 'max-epochs': { type: 'string' }, target: { type: 'string' } },
  });
  if (!values.data || !values.loss || !values.threads || !values['max-epochs']) {
    throw new Error('usage: worker-ts-curve --data DIR --loss LOSS --threads N --max-epochs N [--target P] [--components D] [--seed S]');
  }
  const [threads, maxEpochs, components, seed] = [values.threads, values['max-epochs'], values.components, values.seed].map(Number) as [number, number, number, number];
  const target = values.target === undefined ? null : Number(values.target);
  const loaded = loadDataset(values.data);
  const { meta, train, test, itemFeatures } = loaded;
  const exclude = exclusionMatrix(loaded);

  const model = benchModel(values.loss, components, seed);
  const epochSeconds: number[] = [];
  const precisionAt10: number[] = [];
  do {
    const start = performance.now();
    await model.fitPartial(train, { epochs: 1, numThreads: threads, itemFeatures });
    epochSeconds.push((performance.now() - start) / 1000);
    precisionAt10.push(precisionTop(model, test, { trainInteractions: exclude, itemFeatures, numThreads: threads, k: K }));
  } while (!shouldStop(precisionAt10, maxEpochs, target));

  const result: CurveResult = {
    library: 'lightfm-ts',
    version: coreVersion(),
    dataset: meta.name,
    loss: values.loss,
    threads,
    components,
    trainSamples: train.nnz,
    epochSeconds,
    precisionAt10,
    target,
    maxEpochs,
    peakRssBytes: peakRssBytes(),
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
