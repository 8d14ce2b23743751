// `lightfm evaluate <model> <interactions> [--k 10] [--train <interactions>]`: ranking metrics
// of a saved model on held-out interactions, by the model's ids.
import type { Command } from 'commander';
import { loadServing } from '../cli/model.js';
import { type InputFlags, inputOptions, readKnown } from '../cli/input.js';
import { rankingMetrics } from '../cli/metrics.js';
import { type TableFormat, csv, emit, formatOption, outputOption } from '../cli/output.js';
import { integer } from '../cli/parse.js';
import { threadsOption } from '../cli/threads.js';

interface EvaluateFlags extends InputFlags {
  k: number;
  train?: string;
  threads: number;
  format: TableFormat;
  output?: string;
}

export function evaluateCommand(command: Command): void {
  inputOptions(command)
    .description('rank held-out interactions with a saved model: precision, recall and NDCG at k, AUC, reciprocal rank')
    .argument('<model>', 'a model file written by `lightfm train`')
    .argument('<interactions>', 'held-out interactions (same columns as the training file)')
    .option('--k <n>', 'cut-off of precision, recall and NDCG', integer(1), 10)
    .option('--train <interactions>', "training interactions: left out of each user's ranking")
    .addOption(threadsOption())
    .addOption(formatOption())
    .addOption(outputOption())
    .action(async (modelPath: string, path: string, flags: EvaluateFlags) => {
      const { model, dataset, itemFeatures, userFeatures } = await loadServing(modelPath);
      const test = await readKnown(path, flags, dataset);
      if (test.dropped > 0) console.error(`${test.dropped} interactions of users or items the model does not know were left out`);
      const train = flags.train === undefined ? undefined : (await readKnown(flags.train, flags, dataset)).matrix;
      const metrics = await rankingMetrics(model, test.matrix, {
        metrics: ['precision', 'recall', 'ndcg', 'auc', 'reciprocalRank'],
        k: flags.k,
        train,
        itemFeatures,
        userFeatures,
        threads: flags.threads,
      });
      await emit(metrics, flags.format, flags.output, (m) => csv(['metric', 'value'], Object.entries(m)));
    });
}
