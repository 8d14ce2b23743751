/**
 * `@lightfm-ts/lancedb`: serve `@lightfm-ts/core` models from LanceDB, embedded (a local
 * folder) or on an object store that many replicas share.
 *
 * @example
 * ```ts
 * import { LanceItems, writeItems } from '@lightfm-ts/lancedb';
 * await writeItems(model, { uri: './vectors', ids: dataset });
 * const items = await LanceItems.open(model, { uri: './vectors', users: dataset });
 * const top = await items.recommend('alice', { k: 10 });
 * ```
 * @packageDocumentation
 */
export { toArrowTable } from './arrow.js';
export type { ArrowTableOptions } from './arrow.js';
export type { Metadata } from './columns.js';
export type { ExportSource, Side } from './export.js';
export type { IdSource } from './ids.js';
export { FLAT_BELOW_ROWS } from './index-config.js';
export type { IndexChoice } from './index-config.js';
export { LanceItems } from './items.js';
export type { LanceRecommendOptions, LanceSimilarItemsOptions, OpenItemsOptions } from './items.js';
export type { TableLocation } from './location.js';
export type { TopIds } from './results.js';
export { writeItems } from './write.js';
export type { WriteItemsOptions, WrittenItems } from './write.js';
