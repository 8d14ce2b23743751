// `lightfm recommend <model> --users a,b --k 10 [--exclude-seen <interactions>]`.
import type { Command } from 'commander';
import { answers } from '../serving/answers.js';
import { loadServing } from '../cli/model.js';
import { type TableFormat, csv, emit, formatOption, outputOption } from '../cli/output.js';
import { idList, integer } from '../cli/parse.js';
import { type InputFlags, inputOptions, readKnown } from '../cli/input.js';

interface RecommendFlags extends InputFlags {
  excludeSeen?: string;
  users: string[];
  k: number;
  format: TableFormat;
  output?: string;
}

export function recommendCommand(command: Command): void {
  inputOptions(command)
    .description("recommend items to users by external id, leaving out what each user already has (the model's record of it, or --exclude-seen)")
    .argument('<model>', 'a model file written by `lightfm train`')
    .requiredOption('--users <ids>', 'comma-separated user ids', idList)
    .option('--k <n>', 'items per user', integer(1), 10)
    .option('--exclude-seen <interactions>', "leave out the items of this file's interactions instead of the model's record")
    .addOption(formatOption())
    .addOption(outputOption())
    .action(async (modelPath: string, flags: RecommendFlags) => {
      const serving = await loadServing(modelPath);
      const seen = flags.excludeSeen === undefined ? undefined : (await readKnown(flags.excludeSeen, flags, serving.dataset)).matrix;
      const lists = answers(serving).recommend(flags.users, flags.k, seen?.toCsr());
      const result = flags.users.map((user, q) => ({ user, items: lists[q] ?? [] }));
      await emit(result, flags.format, flags.output, (rows) =>
        csv(['user', 'rank', 'item', 'score'], rows.flatMap((r) => r.items.map((s, i) => [r.user, i + 1, s.id, s.score]))),
      );
    });
}
