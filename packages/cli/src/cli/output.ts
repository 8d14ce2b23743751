// Where command results go: JSON (default) or CSV, to stdout or to the file named by `-o`.
import { writeFile } from 'node:fs/promises';
import { Option } from 'commander';

/** The formats of `recommend`, `similar` and `evaluate` results. */
export type TableFormat = 'json' | 'csv';

/** `--format json|csv`. */
export const formatOption = (): Option => new Option('--format <format>', 'output format').choices(['json', 'csv']).default('json');

/** `-o, --output <file>` for results that go to stdout by default. */
export const outputOption = (): Option => new Option('-o, --output <file>', 'write the result to this file instead of stdout');

/** A CSV field, quoted when it holds a delimiter, a quote or a line break (RFC 4180). */
function field(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as CSV text with a header line. */
export function csv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}

/**
 * Writes a result: `json` is pretty-printed, `csv` is built by `toCsv` from the same value.
 * @param output - A file, or `undefined` for stdout.
 */
export async function emit<T>(value: T, format: TableFormat, output: string | undefined, toCsv: (value: T) => string): Promise<void> {
  const text = format === 'csv' ? toCsv(value) : `${JSON.stringify(value, null, 2)}\n`;
  if (output === undefined) process.stdout.write(text);
  else await writeFile(output, text);
}
