// Where a table lives: a local folder (embedded LanceDB) or an object-store URI, and the
// connection options passed through to LanceDB.
import { type Connection, connect } from '@lancedb/lancedb';
import { type KnownKeys, type OptionsReader, describe, invalidArg } from '@lightfm-ts/core/internal';

/** Where the table is: the options `writeItems` and `LanceItems.open` share. */
export interface TableLocation {
  /**
   * A local folder (embedded LanceDB, created when missing) or an object-store URI:
   * `s3://bucket/path`, `gs://bucket/path`, `az://container/path`.
   */
  uri: string;
  /** The table's name. @default 'items' */
  table?: string;
  /**
   * Passed to LanceDB as is: credentials, region, endpoint and the like of the object store
   * (`aws_access_key_id`, `region`, `google_service_account`, `azure_storage_account_name`...).
   */
  storageOptions?: Record<string, string>;
}

export const LOCATION_KEYS: KnownKeys<TableLocation> = { uri: true, table: true, storageOptions: true };
export const DEFAULT_TABLE = 'items';

/** The checked location: the URI, the table name and the connection. */
export interface Opened {
  db: Connection;
  name: string;
}

/** Checks the location options and connects (`readConsistencyInterval` for readers). */
export async function openLocation<T extends TableLocation>(where: string, o: OptionsReader<T>, readConsistencyInterval?: number): Promise<Opened> {
  const opts = o as unknown as OptionsReader<TableLocation>;
  const uri = opts.string('uri', undefined);
  if (uri === undefined || uri === '') throw invalidArg(`${where}: options.uri is required: a local folder or an s3://, gs:// or az:// URI`);
  const name = opts.string('table', DEFAULT_TABLE);
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw opts.invalid('table', 'must be a name of letters, digits, _, . and -');
  const storageOptions = opts.get('storageOptions');
  if (storageOptions !== undefined && (storageOptions === null || typeof storageOptions !== 'object' || Object.values(storageOptions).some((v) => typeof v !== 'string'))) {
    throw invalidArg(`${where}: options.storageOptions must be an object of strings, got ${describe(storageOptions)}`);
  }
  const db = await connect(uri, { storageOptions, readConsistencyInterval });
  return { db, name };
}
