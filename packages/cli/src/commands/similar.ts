// `lightfm similar <model> --items a,b --k 10`: the items most like each given item.
import type { Command } from 'commander';
import { answers } from '../serving/answers.js';
import { loadServing } from '../cli/model.js';
import { type TableFormat, csv, emit, formatOption, outputOption } from '../cli/output.js';
import { idList, integer } from '../cli/parse.js';

interface SimilarFlags {
  items: string[];
  k: number;
  format: TableFormat;
  output?: string;
}

export function similarCommand(command: Command): void {
  command
    .description('list the items most similar to each given item (cosine of their embeddings), by external id')
    .argument('<model>', 'a model file written by `lightfm train`')
    .requiredOption('--items <ids>', 'comma-separated item ids', idList)
    .option('--k <n>', 'similar items per item', integer(1), 10)
    .addOption(formatOption())
    .addOption(outputOption())
    .action(async (modelPath: string, flags: SimilarFlags) => {
      const answer = answers(await loadServing(modelPath));
      const lists = answer.similar(flags.items, flags.k);
      const result = flags.items.map((item, q) => {
        const title = answer.title(item);
        return { item, ...(title !== undefined && { title }), similar: lists[q] ?? [] };
      });
      await emit(result, flags.format, flags.output, (rows) =>
        csv(['item', 'rank', 'similar', 'score'], rows.flatMap((r) => r.similar.map((s, i) => [r.item, i + 1, s.id, s.score]))),
      );
    });
}
