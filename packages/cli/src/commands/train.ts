// `lightfm train <interactions> ... -o model.lightfm`: reads the file, holds out a validation
// part for early stopping, trains with a progress bar, reports metrics on the held-out part and
// saves the model with its dataset, so it answers by the file's ids.
import { type Command, Option } from 'commander';
import { type CooMatrix, LightFM, type Loss, randomTrainTestSplit, temporalSplit } from '@lightfm-ts/core';
import { servingMappings } from '../serving/mappings.js';
import { type InputFlags, type Interactions, inputOptions, readInput } from '../cli/input.js';
import { type FeatureFlags, featureOptions, readFeatureFiles } from '../cli/features.js';
import { rankingMetrics } from '../cli/metrics.js';
import { integer, positive, share } from '../cli/parse.js';
import { threadsOption } from '../cli/threads.js';

interface TrainFlags extends InputFlags, FeatureFlags {
  loss: Loss;
  epochs: number;
  components: number;
  learningRate?: number;
  threads: number;
  validation: number;
  patience?: number;
  seed?: number;
  seen: boolean;
  output: string;
}

/** The cut-off of the metrics reported at the end. */
const K = 10;

/**
 * Most interactions stored as the model's `seen` record: it is JSON in the model file, and
 * beyond this it would take hundreds of megabytes (and V8 caps a string at 512 MiB).
 */
const MAX_SEEN = 10_000_000;

export function trainCommand(command: Command): void {
  inputOptions(featureOptions(command))
    .description('train a model on an interactions file (CSV, TSV or Parquet) and save it with its ids')
    .argument('<interactions>', 'the interactions file: one row per user-item interaction')
    .addOption(new Option('--loss <loss>', 'loss function').choices(['warp', 'bpr', 'logistic', 'warp-kos', 'regression']).default('warp'))
    .option('--epochs <n>', 'most epochs to train (early stopping may stop sooner)', integer(1), 10)
    .option('--components <d>', 'embedding dimension', integer(1), 10)
    .option('--learning-rate <rate>', 'initial learning rate (default: the core’s, 0.05)', positive)
    .addOption(threadsOption())
    .option('--validation <fraction>', 'share of interactions held out for early stopping and the final metrics (0: none)', share, 0.1)
    .option('--patience <epochs>', 'epochs without improvement of the validation AUC before stopping (default: the core’s, 5)', integer(1))
    .option('--seed <n>', 'seed of the model and of the random validation split', integer(0, 2 ** 32 - 1))
    .option('--no-seen', "do not store each user's interactions in the model (smaller file; `recommend` and `serve` then leave nothing out)")
    .requiredOption('-o, --output <file>', 'the model file to write')
    .action(async (path: string, flags: TrainFlags) => {
      const data = await readInput(path, flags);
      const { dataset, interactions } = data;
      const [users, items] = dataset.interactionsShape();
      const skipped = data.skipped > 0 ? `, ${data.skipped} invalid rows skipped` : '';
      console.error(`read ${interactions.nnz} interactions of ${users} users and ${items} items from ${path}${skipped}`);
      const { itemFeatures, userFeatures } = await readFeatureFiles(flags, dataset);

      const [train, valid, trainWeights] = holdOut(data, flags);
      const model = new LightFM({ loss: flags.loss, noComponents: flags.components, learningRate: flags.learningRate, randomState: flags.seed });
      await model.fit(train, {
        epochs: flags.epochs,
        numThreads: flags.threads,
        itemFeatures,
        userFeatures,
        // Without a weight column every weight is 1: no sample weights.
        sampleWeight: flags.weight === undefined ? undefined : trainWeights,
        progress: true,
        validation: valid && { interactions: valid, trainInteractions: train, patience: flags.patience, checkIntersections: flags.duplicates !== 'keep' },
      });

      const storeSeen = flags.seen && interactions.nnz <= MAX_SEEN;
      if (flags.seen && !storeSeen) console.error(`not storing the ${interactions.nnz} interactions as seen (more than ${MAX_SEEN}): pass them to recommend with --exclude-seen`);
      model.mappings = servingMappings(dataset, { itemFeatures, userFeatures, seen: storeSeen ? interactions : undefined });
      await model.save(flags.output);
      const summary: Record<string, unknown> = { model: flags.output, users, items, interactions: interactions.nnz, epochs: model.lastValidation?.bestEpoch ?? flags.epochs };
      if (valid) {
        summary.stoppedEarly = model.lastValidation?.stoppedEarly;
        summary.validation = await rankingMetrics(model, valid, { metrics: ['precision', 'auc'], k: K, train, itemFeatures, userFeatures, threads: flags.threads });
      }
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    });
}

/**
 * `[train, validation?, trainWeights]`: with a timestamp column the latest interactions are held
 * out, otherwise a random share (seeded by `--seed`). The weights are split alongside.
 */
function holdOut(data: Interactions, flags: TrainFlags): [CooMatrix, CooMatrix | undefined, CooMatrix] {
  const { interactions, weights, timestamps } = data;
  if (flags.validation === 0) return [interactions, undefined, weights];
  const [train, valid, trainWeights] =
    flags.timestamp !== undefined && timestamps
      ? temporalSplit(interactions, timestamps, { testFraction: flags.validation, weights })
      : randomTrainTestSplit(interactions, { testPercentage: flags.validation, randomState: flags.seed, weights });
  return [train, valid, trainWeights];
}
