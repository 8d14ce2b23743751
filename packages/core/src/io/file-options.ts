// The options every file read shares: the format (from the extension by default) and how a
// CSV/TSV file is written. Checked here by type; the Rust reader checks the file.
import { extname } from 'node:path';
import { invalidArg } from '../errors.js';
import { describe } from '../arrays.js';
import type { OptionsReader } from '../option-reader.js';

/** The kinds of data file the readers take. */
export type FileFormat = 'csv' | 'tsv' | 'parquet';

/** A column: its header name, or its 0-based position. */
export type ColumnRef = string | number;

/** How to read a file: shared by `readInteractions` and `readFeatures`. */
export interface FileOptions {
  /** The file's kind. @default from the extension: `.parquet`/`.pq` Parquet, `.tsv`/`.tab` TSV, otherwise CSV */
  format?: FileFormat;
  /** CSV/TSV: the field separator, one ASCII character. @default `','` (CSV), `'\t'` (TSV) */
  delimiter?: string;
  /** CSV/TSV: whether the first record names the columns. @default true */
  header?: boolean;
  /** CSV/TSV: the quote character, or `''` for none (quotes are then ordinary characters). @default `'"'` */
  quote?: string;
  /** Skip malformed rows (counted in `skipped`) instead of failing on the first. @default false */
  skipInvalid?: boolean;
  /** Threads parsing the file (one more reads it). @default 2 */
  numThreads?: number;
  /** Cancels the read: the promise rejects with `ERR_ABORTED`. */
  signal?: AbortSignal;
}

export const FILE_KEYS = { format: true, delimiter: true, header: true, quote: true, skipInvalid: true, numThreads: true, signal: true } as const;

/** The file options as the binding takes them. */
export interface NativeFileOptions {
  path: string;
  format: 'csv' | 'parquet';
  delimiter: number;
  header: boolean;
  quote: number | undefined;
  skipInvalid: boolean;
  numThreads: number;
}

function formatOf(path: string): FileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  return 'csv';
}

function asciiChar<T extends object>(o: OptionsReader<T>, key: keyof T & string, fallback: string, allowEmpty: boolean): number | undefined {
  const s = o.string(key, fallback);
  if (s === '' && allowEmpty) return undefined;
  if (s.length !== 1 || s.charCodeAt(0) > 127 || s === '\n' || s === '\r') throw o.invalid(key, `must be one ASCII character${allowEmpty ? " (or '' for none)" : ''} other than a newline`);
  return s.charCodeAt(0);
}

/** Reads the shared options of `o` for the file at `path`. */
export function fileOptions<T extends FileOptions>(where: string, path: unknown, o: OptionsReader<T>): NativeFileOptions {
  if (typeof path !== 'string' || path === '') throw invalidArg(`${where}: path must be a file path (a non-empty string), got ${describe(path)}`);
  const format = o.string('format', formatOf(path));
  if (format !== 'csv' && format !== 'tsv' && format !== 'parquet') throw o.invalid('format', "must be 'csv', 'tsv' or 'parquet'");
  const delimiter = asciiChar(o, 'delimiter', format === 'tsv' ? '\t' : ',', false) as number;
  return {
    path,
    format: format === 'parquet' ? 'parquet' : 'csv',
    delimiter,
    header: o.flag('header', true),
    quote: asciiChar(o, 'quote', '"', true),
    skipInvalid: o.flag('skipInvalid', false),
    numThreads: o.int('numThreads', 2, 1, 1024),
  };
}

const isColumn = (v: unknown): v is ColumnRef => (typeof v === 'string' && v !== '') || (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffff_ffff);

/** A column option: a non-empty name or a 0-based index. */
export function columnOption<T extends object>(o: OptionsReader<T>, key: keyof T & string, required: boolean): ColumnRef | undefined {
  const v = o.get(key) as unknown;
  if (v === undefined && !required) return undefined;
  if (isColumn(v)) return v;
  throw o.invalid(key, `must be a column name or a 0-based column index${required ? ' (it is required)' : ''}`);
}

/** A list of columns option (empty when absent). */
export function columnsOption<T extends object>(o: OptionsReader<T>, key: keyof T & string): ColumnRef[] {
  const v = o.get(key) as unknown;
  if (v === undefined) return [];
  if (Array.isArray(v) && v.every(isColumn)) return [...(v as ColumnRef[])];
  throw o.invalid(key, 'must be an array of column names or 0-based column indices');
}
