export { CooMatrix, CsrMatrix } from './sparse.js';
export type { Shape, SparseMatrix } from './sparse.js';
export { LightFM } from './model.js';
export type { EpochInfo, FitOptions, PredictOptions, PredictRankOptions, Representations, SideState } from './model.js';
export { defaultOptions } from './options.js';
export type { LightFMOptions, LightFMParams, Loss, LearningSchedule } from './options.js';
export { LightFMError } from './errors.js';
export type { ErrorCode } from './errors.js';
