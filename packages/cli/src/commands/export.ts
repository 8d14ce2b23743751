// `lightfm export <model> [--side items|users|both] --format parquet|arrow -o file`: the model's
// vectors (biases folded in, so a dot product is the score) with their ids, for vector stores.
import { extname } from 'node:path';
import { type Command, Option } from 'commander';
import { writeEmbeddings } from '@lightfm-ts/core';
import { loadServing } from '../cli/model.js';
import { threadsOption } from '../cli/threads.js';

type Side = 'items' | 'users' | 'both';

interface ExportFlags {
  side: Side;
  format?: 'parquet' | 'arrow';
  threads: number;
  output: string;
}

/** With `--side both`, `out.parquet` becomes `out.users.parquet` and `out.items.parquet`. */
export function sideFile(output: string, side: 'users' | 'items'): string {
  const ext = extname(output);
  return `${output.slice(0, output.length - ext.length)}.${side}${ext}`;
}

export function exportCommand(command: Command): void {
  command
    .description('write user or item vectors (biases folded in: a dot product is the score) with their ids to Parquet or Arrow')
    .argument('<model>', 'a model file written by `lightfm train`')
    .addOption(new Option('--side <side>', 'which vectors; `both` writes <file>.users.<ext> and <file>.items.<ext>').choices(['items', 'users', 'both']).default('items'))
    .addOption(new Option('--format <format>', 'file format (default from the extension: .arrow, .feather, .ipc are Arrow IPC, others Parquet)').choices(['parquet', 'arrow']))
    .addOption(threadsOption())
    .requiredOption('-o, --output <file>', 'the file to write')
    .action(async (modelPath: string, flags: ExportFlags) => {
      const { model, dataset, itemFeatures, userFeatures } = await loadServing(modelPath);
      const { side } = flags;
      const exported = model.exportEmbeddings({
        itemFeatures,
        userFeatures,
        // `[]` leaves a side out.
        ...(side === 'items' && { userIds: [] }),
        ...(side === 'users' && { itemIds: [] }),
        numThreads: flags.threads,
      });
      const sides = side === 'both' ? (['users', 'items'] as const) : ([side] as const);
      for (const s of sides) {
        const file = side === 'both' ? sideFile(flags.output, s) : flags.output;
        const ids = s === 'users' ? dataset.userIds() : dataset.itemIds();
        const vectors = s === 'users' ? exported.userVectors : exported.itemVectors;
        await writeEmbeddings(file, { ids, vectors, dim: exported.dim }, { format: flags.format });
        console.error(`wrote ${ids.length} ${s.slice(0, -1)} vectors of ${exported.dim} floats to ${file}`);
      }
    });
}
