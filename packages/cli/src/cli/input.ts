// Interaction files on the command line: the options that name their columns and format, and
// reading them with @lightfm-ts/core's readInteractions (progress on stderr).
import { type Command, Option } from 'commander';
import { CooMatrix, type Dataset, type Shape, readInteractions } from '@lightfm-ts/core';
import { character, column, grouped } from './parse.js';

/** The column and format options every command that reads interactions takes. */
export interface InputFlags {
  user: string | number;
  item: string | number;
  weight?: string | number;
  timestamp?: string | number;
  delimiter?: string;
  header: boolean;
  inputFormat?: 'csv' | 'tsv' | 'parquet';
  duplicates?: 'sum' | 'last' | 'keep';
  skipInvalid?: boolean;
}

/** Adds the options of {@link InputFlags}. */
export function inputOptions(command: Command): Command {
  return grouped(command, 'Input file options:', (c) =>
    c
      .option('--user <column>', 'user id column: a header name or a 0-based index', column, 0)
    .option('--item <column>', 'item id column', column, 1)
    .option('--weight <column>', 'weight column (a finite number per row); trains with these sample weights', column)
    .option('--timestamp <column>', 'timestamp column (integer seconds or ISO-8601); `train` then validates on the latest interactions', column)
    .option('--delimiter <char>', 'field delimiter (\\t for a tab; default from the extension: .tsv is tab, else comma)', character)
    .option('--no-header', 'the first line is data, not column names (name columns by index)')
    .addOption(new Option('--input-format <format>', 'file format (default from the extension)').choices(['csv', 'tsv', 'parquet']))
    .addOption(new Option('--duplicates <policy>', 'repeated user-item pairs: sum their weights, keep the last, or keep every row').choices(['sum', 'last', 'keep']))
    .option('--skip-invalid', 'skip (and count) rows that cannot be read instead of stopping at the first'),
  );
}

/** What {@link readInput} gives. */
export type Interactions = Awaited<ReturnType<typeof readInteractions>>;

/**
 * Reads an interactions file as the flags describe, showing progress on stderr.
 * @param dataset - Ids to extend (known ids keep their rows, new ones are appended).
 */
export function readInput(path: string, flags: InputFlags, dataset?: Dataset): Promise<Interactions> {
  return readInteractions(path, {
    user: flags.user,
    item: flags.item,
    weight: flags.weight,
    timestamp: flags.timestamp,
    delimiter: flags.delimiter,
    header: flags.header,
    format: flags.inputFormat,
    duplicates: flags.duplicates,
    skipInvalid: flags.skipInvalid,
    dataset,
    progress: true,
  });
}

/**
 * Reads interactions by a trained model's ids: rows of users or items the model does not know
 * are left out (and counted), since the model has no embedding to rank them with.
 * @returns The known interactions in the model's `users x items` shape, and how many rows were dropped.
 */
export async function readKnown(path: string, flags: InputFlags, dataset: Dataset): Promise<{ matrix: CooMatrix; dropped: number; skipped: number }> {
  const shape: Shape = dataset.interactionsShape();
  const { interactions, skipped } = await readInput(path, flags, dataset);
  const { row, col, data } = interactions;
  const known = (k: number) => (row[k] as number) < shape[0] && (col[k] as number) < shape[1];
  let n = 0;
  for (let k = 0; k < row.length; k++) if (known(k)) n++;
  const [r, c, d] = [new Int32Array(n), new Int32Array(n), new Float32Array(n)];
  for (let k = 0, j = 0; k < row.length; k++) {
    if (!known(k)) continue;
    r[j] = row[k] as number;
    c[j] = col[k] as number;
    d[j++] = data[k] as number;
  }
  const matrix = new CooMatrix(r, c, d, shape);
  return { matrix, dropped: row.length - n, skipped };
}
