// One lightfm-ts benchmark run in a fresh process, mirroring python/lightfm_worker.py:
// train epoch by epoch, evaluate (test AUC + precision@10, train excluded), recommend top-10
// for the data set's users, and print one `RESULT {json}` line.
//
// node dist/worker-ts.js --data DIR --loss warp --threads 2 --epochs 5 --components 64
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { exclusionMatrix, loadDataset } from './data-files.js';
import { peakRssBytes, statusBytes } from './process-memory.js';
import { RESULT_PREFIX, type RunResult } from './result.js';
import { benchModel, coreVersion, evaluateTop, recommendTop, WORKER_OPTIONS } from './ts-api.js';

const K = 10;

/** Node and the library are loaded (static imports run first); no data is yet. */
const baseRssBytes = statusBytes('VmRSS');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { ...WORKER_OPTIONS, epochs: { type: 'string' } },
  });
  if (!values.data || !values.loss || !values.threads || !values.epochs) {
    throw new Error('usage: worker-ts --data DIR --loss LOSS --threads N --epochs N [--components D] [--seed S]');
  }
  const [threads, epochs, components, seed] = [values.threads, values.epochs, values.components, values.seed].map(Number) as [number, number, number, number];
  const loaded = loadDataset(values.data);
  const { meta, train, test, itemFeatures, recommendUsers } = loaded;

  const model = benchModel(values.loss, components, seed);
  const epochSeconds: number[] = [];
  const epochCpuSeconds: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const [start, cpu] = [performance.now(), process.cpuUsage()];
    await model.fitPartial(train, { epochs: 1, numThreads: threads, itemFeatures });
    epochSeconds.push((performance.now() - start) / 1000);
    const used = process.cpuUsage(cpu);
    epochCpuSeconds.push((used.user + used.system) / 1e6);
  }

  // Every side builds the train rows to exclude before the timed calls.
  const trainCsr = exclusionMatrix(loaded);
  let start = performance.now();
  const { auc, precisionAt10 } = evaluateTop(model, test, { trainInteractions: trainCsr, itemFeatures, numThreads: threads, k: K });
  const evalSeconds = (performance.now() - start) / 1000;

  start = performance.now();
  recommendTop(model, recommendUsers, { exclude: trainCsr, itemFeatures, numThreads: threads, k: K });
  const recommendSeconds = (performance.now() - start) / 1000;

  const result: RunResult = {
    library: 'lightfm-ts',
    version: coreVersion(),
    dataset: meta.name,
    loss: values.loss,
    threads,
    components,
    epochs,
    trainSamples: train.nnz,
    epochSeconds,
    epochCpuSeconds,
    evalSeconds,
    auc,
    precisionAt10,
    recommendSeconds,
    recommendUsers: recommendUsers.length,
    peakRssBytes: peakRssBytes(),
    ...(baseRssBytes === undefined ? {} : { baseRssBytes }),
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
