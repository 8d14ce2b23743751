// Parsers of option values: a bad value is a usage error (exit code 2) that names the option.
import { type Command, InvalidArgumentError } from 'commander';

/** An integer in `[min, max]`. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}.`);
    }
    return n;
  };
}

/** A finite number above 0. */
export function positive(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number above 0.');
  return n;
}

/** A share: a number from 0 up to, but not including, 1. */
export function share(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !(n >= 0 && n < 1)) throw new InvalidArgumentError('expected a number from 0 up to (not including) 1, e.g. 0.1.');
  return n;
}

/** A comma-separated list of ids (`a,b,c`); repeating the option adds to the list. */
export function idList(text: string, previous: string[] = []): string[] {
  const ids = text.split(',').map((id) => id.trim());
  if (ids.some((id) => id === '')) throw new InvalidArgumentError('expected comma-separated ids without empty entries, e.g. a,b,c.');
  return [...previous, ...ids];
}

/** A column of an input file: a 0-based index when all digits, otherwise a header name. */
export function column(text: string): string | number {
  if (text === '') throw new InvalidArgumentError('expected a column name or a 0-based index.');
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** A comma-separated list of columns (`genre,3`); repeating the option adds to the list. */
export function columnList(text: string, previous: (string | number)[] = []): (string | number)[] {
  const columns = text.split(',').map((c) => c.trim());
  if (columns.some((c) => c === '')) throw new InvalidArgumentError('expected comma-separated column names or 0-based indices, e.g. genre,tags.');
  return [...previous, ...columns.map(column)];
}

/** One character (a delimiter or quote). */
export function character(text: string): string {
  const value = text === '\\t' ? '\t' : text;
  if (value.length !== 1) throw new InvalidArgumentError('expected a single character (\\t for a tab).');
  return value;
}

/** Adds options under their own heading in `--help`, then goes back to the command's default group. */
export function grouped(command: Command, heading: string, add: (command: Command) => Command): Command {
  const previous = command.optionsGroup();
  add(command.optionsGroup(heading));
  return command.optionsGroup(previous);
}
