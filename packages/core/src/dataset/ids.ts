import { invalidArg } from '../errors.js';
import { describe, ownedView } from '../arrays.js';

/**
 * An external id: a user id, an item id or a feature name. Strings and numbers are
 * distinct keys (`1` and `'1'` are two different ids), compared like `Map` keys.
 */
export type Id = string | number;

/** Whether `v` can be used as an id (a string, or a number that is not NaN). */
export function isId(v: unknown): v is Id {
  return typeof v === 'string' || (typeof v === 'number' && !Number.isNaN(v));
}

/** `"1" (a string)` or `1 (a number)`: error messages must show which of the two it was. */
export function describeId(v: unknown): string {
  if (typeof v === 'string') return `${JSON.stringify(v)} (a string)`;
  if (typeof v === 'number') return `${String(v)} (a number)`;
  return describe(v);
}

/** The same id with the other type, if there is one: the usual cause of "unknown id". */
export function otherTyped(id: Id): Id | undefined {
  if (typeof id === 'number') return String(id);
  const n = Number(id);
  return id.trim() !== '' && String(n) === id ? n : undefined;
}

/**
 * The items of an iterable argument, checked to be one (a string is iterable but is almost
 * certainly a mistake here: it would add one id per character). A typed array is checked
 * as every array input is (`ownedView`: not transferred; copied when shared).
 */
export function iterableArg<T>(where: string, v: unknown): Iterable<T> {
  if (typeof v === 'string' || v === null || typeof v !== 'object' || !(Symbol.iterator in v)) {
    throw invalidArg(`${where} must be an iterable (an array, a Set, a generator, ...), got ${describe(v)}`);
  }
  return (ArrayBuffer.isView(v) ? ownedView(where, v) : v) as Iterable<T>;
}

/** A short rendering of one bad input record for error messages. */
export function showDatum(datum: unknown): string {
  if (!Array.isArray(datum)) return describe(datum);
  try {
    const text = JSON.stringify(datum);
    return text.length > 200 ? `${text.slice(0, 200)}...` : text;
  } catch {
    return describe(datum);
  }
}
