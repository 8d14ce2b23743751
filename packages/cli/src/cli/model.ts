// Loading a model file for the commands that answer from it.
import { LightFM } from '@lightfm-ts/core';
import { type Serving, servingState } from '../serving/mappings.js';

/** A model file with the dataset it was trained with, ready to answer by external ids. */
export async function loadServing(path: string): Promise<Serving> {
  return servingState(await LightFM.load(path));
}
