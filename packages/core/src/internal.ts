/**
 * Helpers shared by the `@lightfm-ts/*` packages (`@lightfm-ts/core/internal`). Not part of
 * the public API: names and signatures may change in any release.
 * @internal
 * @packageDocumentation
 */
export { native } from './native.js';
export type { Binding } from './native.js';
export { call, fromNative, invalidArg } from './errors.js';
export { describe } from './arrays.js';
export { readOptions } from './option-reader.js';
export type { KnownKeys, OptionsNaming, OptionsReader } from './option-reader.js';
export { EVALUATION_DEFAULTS } from './defaults.js';
export { METRICS } from './metric-names.js';
export { asCsr } from './sparse.js';
export { nativeModel } from './model.js';
export { readRegularFile, statRegularFile } from './model-file.js';
export type { NotRegularFile } from './model-file.js';
export { renameWithRetry } from './rename-retry.js';
export { polling } from './progress/counter.js';
export type { Reading } from './progress/counter.js';
export { openDisplay } from './progress/display.js';
export type { ProgressStream } from './progress/display.js';
export { compact, count, duration, megabytes } from './progress/format.js';
