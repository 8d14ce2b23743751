// A Dataset as JSON data and back: every id and feature name, with its type, row and column,
// so that a model saved with its dataset can be served by external ids.
import { LightFMError, invalidArg } from '../errors.js';
import { describe } from '../arrays.js';
import { type Id, describeId } from './ids.js';
import { type SideName, SideMapping } from './side.js';

/** The `format` field of a dataset's JSON. */
export const DATASET_FORMAT = 'lightfm-ts/dataset';
/** The version this build writes; it reads this one and older ones. */
export const DATASET_VERSION = 1;

/** One side of a {@link DatasetJSON}: users or items. */
export interface DatasetSideJSON {
  /** Whether every id has its own identity feature column. */
  identityFeatures: boolean;
  /** The ids by row (strings and numbers keep their type). */
  ids: Id[];
  /** The named features, in the order they were added. */
  featureNames: Id[];
  /**
   * The column of each named feature, increasing. With identity features the ids hold the
   * other columns, in row order; without, these are `0, 1, 2, ...`.
   */
  featureColumns: number[];
}

/**
 * What `dataset.toJSON()` returns: plain JSON data, which `Dataset.fromJSON` reads back into
 * an identical dataset (also after `JSON.stringify` and `JSON.parse`, or a model file's `mappings`).
 */
export interface DatasetJSON {
  /** Marks the data as a dataset's JSON: always `'lightfm-ts/dataset'`. */
  format: typeof DATASET_FORMAT;
  /** The version of this layout that wrote it; `Dataset.fromJSON` reads this one and older ones. */
  version: number;
  /** The users: ids by row, and the user features. */
  users: DatasetSideJSON;
  /** The items: ids by row, and the item features. */
  items: DatasetSideJSON;
}

/** One side as JSON. @throws LightFMError `ERR_INVALID_ARG` for a number JSON cannot store. */
export function sideToJSON(side: SideMapping): DatasetSideJSON {
  const ids = side.ids.keys();
  const names = [...side.names.entries()];
  for (const [what, keys] of [[`${side.side} id`, ids] as const, [`${side.side} feature`, names.map(([name]) => name)] as const]) {
    const bad = keys.find((k) => typeof k === 'number' && !Number.isFinite(k));
    if (bad !== undefined) throw invalidArg(`Dataset.toJSON(): ${what} ${describeId(bad)} cannot be stored as JSON (it would read back as null); use a finite number or a string`);
  }
  return {
    identityFeatures: side.hasIdentity,
    ids,
    featureNames: names.map(([name]) => name),
    featureColumns: names.map(([, column]) => column),
  };
}

const WHERE = 'Dataset.fromJSON()';

function corrupt(path: string, message: string): LightFMError {
  return new LightFMError('ERR_CORRUPT_FILE', `${WHERE}: ${path} ${message}; it is not what dataset.toJSON() wrote (was it edited or truncated?)`);
}

function field(obj: Record<string, unknown>, path: string, key: string): unknown {
  if (!(key in obj)) throw corrupt(`${path}.${key}`, 'is missing');
  return obj[key];
}

function record(v: unknown, path: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw corrupt(path, `must be an object, got ${describe(v)}`);
  return v as Record<string, unknown>;
}

function idList(v: unknown, path: string): Id[] {
  if (!Array.isArray(v)) throw corrupt(path, `must be an array of strings and numbers, got ${describe(v)}`);
  for (let i = 0; i < v.length; i++) {
    const id: unknown = v[i];
    if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
      throw corrupt(`${path}[${i}]`, `must be a string or a finite number, got ${describe(id)}`);
    }
  }
  return v as Id[];
}

/** Reads one side, checking every field, and rebuilds its mapping. */
function sideFromJSON(side: SideName, value: unknown, path: string): SideMapping {
  const o = record(value, path);
  const identity = field(o, path, 'identityFeatures');
  if (typeof identity !== 'boolean') throw corrupt(`${path}.identityFeatures`, `must be a boolean, got ${describe(identity)}`);
  const ids = idList(field(o, path, 'ids'), `${path}.ids`);
  const names = idList(field(o, path, 'featureNames'), `${path}.featureNames`);
  const columns = field(o, path, 'featureColumns');
  if (!Array.isArray(columns) || columns.length !== names.length) {
    throw corrupt(`${path}.featureColumns`, `must be an array of ${names.length} columns (one per feature name), got ${describe(columns)}`);
  }
  const total = names.length + (identity ? ids.length : 0);
  columns.forEach((c: unknown, i) => {
    const low = i === 0 ? 0 : (columns[i - 1] as number) + 1;
    const high = identity ? total - (names.length - i) : i;
    if (!Number.isInteger(c) || (c as number) < low || (c as number) > high) {
      throw corrupt(`${path}.featureColumns[${i}]`, `must be an integer in [${low}, ${high}] (columns increase, and ${identity ? 'ids and names' : 'names'} share ${total}), got ${describe(c)}`);
    }
  });
  return restore(side, identity, ids, names, columns as number[], path);
}

/**
 * Replays the additions in column order: the runs of ids between feature columns (each id
 * taking the next identity column), then each feature name at its column.
 */
function restore(side: SideName, identity: boolean, ids: Id[], names: Id[], columns: number[], path: string): SideMapping {
  const m = new SideMapping(side, identity);
  let row = 0;
  names.forEach((name, i) => {
    const next = identity ? row + (columns[i] as number) - m.columns : 0;
    m.addIds('ids', ids.slice(row, next));
    row = Math.max(row, next);
    m.addFeatureNames('featureNames', [name]);
  });
  m.addIds('ids', ids.slice(row));
  for (const [key, list, size] of [['ids', ids, m.rows], ['featureNames', names, m.names.size]] as const) {
    if (size !== list.length) throw corrupt(`${path}.${key}`, `holds ${describeId(firstRepeat(list))} twice`);
  }
  return m;
}

function firstRepeat(list: Id[]): Id | undefined {
  const seen = new Set<Id>();
  for (const k of list) {
    if (seen.has(k)) return k;
    seen.add(k);
  }
  return undefined;
}

/**
 * The user and item mappings of a dataset's JSON (an object, or its JSON text).
 * @throws LightFMError `ERR_INVALID_ARG` when it is not a dataset's JSON at all;
 *   `ERR_CORRUPT_FILE` naming the path of the first bad field, or for a newer version
 */
export function datasetFromJSON(json: unknown): { users: SideMapping; items: SideMapping } {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json) as unknown;
    } catch (err) {
      throw new LightFMError('ERR_CORRUPT_FILE', `${WHERE}: the text is not valid JSON (${(err as Error).message})`, { cause: err });
    }
  }
  if (value === null || typeof value !== 'object' || (value as { format?: unknown }).format !== DATASET_FORMAT) {
    throw invalidArg(
      `${WHERE}: expected what dataset.toJSON() returns (an object with format '${DATASET_FORMAT}'), or its JSON text, got ${describe(value)}`,
    );
  }
  const o = value as Record<string, unknown>;
  const version = field(o, 'json', 'version');
  if (!Number.isInteger(version) || (version as number) < 1) throw corrupt('json.version', `must be a positive integer, got ${describe(version)}`);
  if ((version as number) > DATASET_VERSION) {
    throw new LightFMError('ERR_CORRUPT_FILE', `${WHERE}: the dataset was saved by a newer lightfm-ts (version ${version}; this one reads up to ${DATASET_VERSION}); upgrade @lightfm-ts/core`);
  }
  return {
    users: sideFromJSON('user', field(o, 'json', 'users'), 'json.users'),
    items: sideFromJSON('item', field(o, 'json', 'items'), 'json.items'),
  };
}
