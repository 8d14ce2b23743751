// The one reader of options objects, for every public function of every @lightfm-ts package
// (the companions use it through `@lightfm-ts/core/internal`). An options object may hold only
// the keys its function knows: a misspelled or foreign key (`item_features`, `epoch`) would
// otherwise be ignored and change the result silently, so it is ERR_INVALID_ARG naming the
// key and the intended one. Values are checked by type and range here; rules about the data
// belong to the Rust core.
import type { Binding } from './native.js';
import { invalidArg } from './errors.js';
import { describe } from './arrays.js';
import { isAbortSignal, optionalCsr } from './args.js';
import type { SparseMatrix } from './sparse.js';
import { intendedKey } from './option-names.js';

/**
 * Every key of an options type, each `true`. Declared as `KnownKeys<FitOptions>`, the
 * compiler refuses a list that misses a key of the type or has one too many.
 */
export type KnownKeys<T> = { readonly [K in keyof T]-?: true };

/** How an options object is named in messages and which wrong names have a known meaning. */
export interface OptionsNaming {
  /** The object's name in messages: `options` (the default), `options.validation`, `columns`. */
  name?: string;
  /** This function's own wrong-to-right names, e.g. `{ users: 'userFeatures' }`. */
  aliases?: Readonly<Record<string, string>>;
  /**
   * For data objects (a table of columns may carry more than the ones read): other keys are
   * allowed unless they look like a misspelling of a known one.
   */
  otherKeys?: boolean;
}

const U32_MAX = 0xffff_ffff;

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as object | null;
  // `Object.prototype` of any realm (its own prototype is null), or no prototype at all.
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** `name.key` as the caller wrote it: `itemFeatures`, `validation.metric`. */
function keyPath(name: string, key: string): string {
  if (name === 'options') return key;
  return name.startsWith('options.') ? `${name.slice('options.'.length)}.${key}` : key;
}

function unknownKey(where: string, name: string, value: object, key: string, known: readonly string[], naming: OptionsNaming): never {
  if (!isPlainObject(value)) {
    throw invalidArg(`${where}: ${name} must be a plain object with the keys ${known.join(', ')}, got ${describe(value)}`);
  }
  const isOption = name === 'options' || name.startsWith('options.');
  const what = isOption ? `unknown option '${keyPath(name, key)}'` : `unknown key '${key}' in ${name}`;
  const meant = intendedKey(key, known, naming.aliases);
  const hint = meant === undefined ? '' : `; did you mean '${keyPath(name, meant)}'?`;
  const list = isOption && name !== 'options' ? `the options of ${name.slice('options.'.length)}` : `the ${isOption ? 'options' : 'keys'}`;
  throw invalidArg(`${where}: ${what}${hint} (${list} are ${known.join(', ')})`);
}

/**
 * Checks that `value` is an options object (or undefined) holding only `keys`, and returns a
 * reader for its values. Known keys whose value is `undefined` count as absent (an unknown
 * key is refused whatever its value); symbol keys are ignored (they cannot name an option,
 * and tools tag objects with them).
 * @param where the function, for messages (`fit()`)
 * @throws LightFMError `ERR_INVALID_ARG` for a non-object or an unknown key, naming the key
 *   and, when one is close, the intended one
 */
export function readOptions<T extends object>(where: string, value: T | undefined, keys: KnownKeys<T>, naming: OptionsNaming = {}): OptionsReader<T> {
  const name = naming.name ?? 'options';
  if (value === undefined) return new OptionsReader<T>(where, name, {});
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArg(`${where}: ${name} must be an object, got ${describe(value)}`);
  }
  const known = Object.keys(keys);
  // A Map, a class instance or the like would hide its settings from the key check.
  if (!isPlainObject(value)) {
    throw invalidArg(`${where}: ${name} must be a plain object with the keys ${known.join(', ')}, got ${describe(value)}`);
  }
  // Each value is read once, here: a getter cannot pass the checks and then change.
  const values = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    if (!known.includes(key) && !(naming.otherKeys && intendedKey(key, known, naming.aliases) === undefined)) {
      unknownKey(where, name, value, key, known, naming);
    }
    values[key] = (value as Record<string, unknown>)[key];
  }
  return new OptionsReader<T>(where, name, values as Partial<T>);
}

/** The values of one checked options object, each read with its type and range checked. */
export class OptionsReader<T extends object> {
  readonly #where: string;
  readonly #name: string;
  readonly #values: Partial<Record<keyof T, unknown>>;

  constructor(where: string, name: string, values: Partial<T>) {
    this.#where = where;
    this.#name = name;
    this.#values = values;
  }

  /** The value as given (`undefined` when absent). */
  get<K extends keyof T>(key: K): T[K] | undefined {
    return this.#values[key] as T[K] | undefined;
  }

  /** `ERR_INVALID_ARG`: `<where>: options.<key> <rule>, got <value>`. */
  invalid(key: keyof T & string, rule: string): Error {
    return invalidArg(`${this.#where}: ${this.#name}.${key} ${rule}, got ${describe(this.#values[key])}`);
  }

  /** An integer in `[min, max]`; `fallback` when absent. */
  int<F extends number | undefined>(key: keyof T & string, fallback: F, min = 1, max = U32_MAX): number | F {
    const v = this.#values[key];
    if (v === undefined) return fallback;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
      throw this.invalid(key, max === U32_MAX ? `must be an integer >= ${min}` : `must be an integer in [${min}, ${max}]`);
    }
    return v as number;
  }

  /** A number (not NaN) in `[min, max]`; `fallback` when absent. */
  number<F extends number | undefined>(key: keyof T & string, fallback: F, min = -Infinity, max = Infinity): number | F {
    const v = this.#values[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !(v >= min && v <= max)) {
      throw this.invalid(key, min === -Infinity && max === Infinity ? 'must be a number' : `must be a number in [${min}, ${max}]`);
    }
    return v;
  }

  /** A boolean; `fallback` when absent. */
  flag<F extends boolean | undefined>(key: keyof T & string, fallback: F): boolean | F {
    const v = this.#values[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') throw this.invalid(key, 'must be a boolean');
    return v;
  }

  /** A string (its value is checked where it is used); `fallback` when absent. */
  string<F extends string | undefined>(key: keyof T & string, fallback: F): string | F {
    const v = this.#values[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'string') throw this.invalid(key, 'must be a string');
    return v;
  }

  /** A function, or `undefined`. */
  callback<K extends keyof T & string>(key: K): T[K] | undefined {
    const v = this.#values[key];
    if (v !== undefined && typeof v !== 'function') throw this.invalid(key, 'must be a function');
    return v as T[K] | undefined;
  }

  /** A `progress` option (`fit`, `evaluate`): `true`, `false` or a function, or `undefined`. */
  progress<K extends keyof T & string>(key: K): T[K] | undefined {
    const v = this.#values[key];
    if (v !== undefined && typeof v !== 'boolean' && typeof v !== 'function') {
      throw this.invalid(key, 'must be true, false or a function receiving each progress report');
    }
    return v as T[K] | undefined;
  }

  /** An AbortSignal, or `undefined`. */
  signal(key: keyof T & string): AbortSignal | undefined {
    const v = this.#values[key];
    if (v === undefined) return undefined;
    if (isAbortSignal(v)) return v;
    throw this.invalid(key, 'must be an AbortSignal (e.g. AbortSignal.timeout(ms) or new AbortController().signal)');
  }

  /** A sparse matrix in the binding's CSR form, or `undefined`. */
  csr(key: keyof T & string): Binding.CsrArg | undefined {
    return optionalCsr(this.#where, `${this.#name}.${key}`, this.#values[key] as SparseMatrix | undefined);
  }

  /** A nested options object read by the same rule (`options.validation`), or `undefined`. */
  nested<K extends keyof T & string>(key: K, keys: KnownKeys<NonNullable<T[K]>>, aliases?: OptionsNaming['aliases']): OptionsReader<NonNullable<T[K]>> | undefined {
    const v = this.#values[key];
    if (v === undefined) return undefined;
    return readOptions(this.#where, v as NonNullable<T[K]> & object, keys, { name: `${this.#name}.${key}`, aliases });
  }
}
