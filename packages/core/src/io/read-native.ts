// Running a native read: its errors as LightFMErrors, its progress reported, its AbortSignal
// wired to the counter's cancel.
import type { Binding } from '../native.js';
import { LightFMError, call, fromNative } from '../errors.js';
import type { OptionsReader } from '../option-reader.js';
import { type ReadProgressOption, reportingRead } from './read-progress.js';
import type { FileOptions } from './file-options.js';

/** Runs `start` (a native read on `counter`), rejecting with `ERR_ABORTED` when `options.signal` fires. */
export async function readNative<O extends FileOptions>(
  where: string,
  o: OptionsReader<O>,
  progress: ReadProgressOption | undefined,
  counter: Binding.ReadCounter,
  start: () => Promise<Binding.NativeRows>,
): Promise<Binding.NativeRows> {
  const signal = o.signal('signal');
  const aborted = () => new LightFMError('ERR_ABORTED', `${where}: the read was aborted`, { cause: signal?.reason });
  if (signal?.aborted) throw aborted();
  const onAbort = () => counter.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await reportingRead(progress, where, counter, call(start));
  } catch (err) {
    if (signal?.aborted) throw aborted();
    throw fromNative(err);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
