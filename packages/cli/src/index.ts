/**
 * `@lightfm-ts/cli`: the `lightfm` command line, and the pieces it serves models with, for
 * applications that embed the same HTTP API.
 *
 * @example
 * ```ts
 * import { LightFM } from '@lightfm-ts/core';
 * import { createService, servingState } from '@lightfm-ts/cli';
 * createService(servingState(await LightFM.load('model.lightfm'))).listen(3000, '127.0.0.1');
 * ```
 * @packageDocumentation
 */
export { createService, MAX_K } from './serving/service.js';
export { answers, UnknownIdError } from './serving/answers.js';
export type { Answers, ScoredItem } from './serving/answers.js';
export { servingMappings, servingState } from './serving/mappings.js';
export type { Serving, ServingMappings, ServingParts, SparseRowsJSON } from './serving/mappings.js';
export { serveUntilSignal } from './serving/listen.js';
export { main } from './program.js';
