import { type ProgressStream, duration, megabytes, openDisplay } from '@lightfm-ts/core/internal';
import type { DownloadProgress } from './options.js';

/** Receives byte counts during one download. */
export interface ProgressSink {
  update(received: number, total: number | undefined): void;
  /** Ends the display; `completed` tells whether every byte arrived. */
  end(completed: boolean): void;
}

/**
 * What the user's `onProgress` callback threw, wrapped so that the download can tell it from
 * a network error and rethrow `error` unchanged (it is the user's, not a download failure).
 */
export class CallbackError {
  constructor(readonly error: unknown) {}
}

/**
 * The user's `onProgress` callback when given (what it throws comes out of `update` as a
 * {@link CallbackError}); otherwise @lightfm-ts/core's display on `stream`: a bar when it is a
 * terminal, else a line when the download starts and one when it has completed.
 */
export function progressSink(label: string, onProgress: ((p: DownloadProgress) => void) | undefined, stream: ProgressStream = process.stderr): ProgressSink {
  if (onProgress) {
    const update = (received: number, total: number | undefined) => {
      try {
        onProgress({ received, total });
      } catch (error) {
        throw new CallbackError(error);
      }
    };
    return { update, end: () => {} };
  }
  const display = openDisplay(stream, 'download');
  const started = performance.now();
  let announced = false;
  let received = 0;
  return {
    update(bytes, total) {
      if (!announced) display.milestone(`${label}${total === undefined ? '' : `, ${megabytes(total)}`}`);
      announced = true;
      received = bytes;
      const seconds = (performance.now() - started) / 1000;
      const perSecond = seconds > 0 ? received / seconds : 0;
      const eta = total !== undefined && perSecond > 0 ? ` ETA ${duration((total - received) / perSecond)}` : '';
      const size = total === undefined ? megabytes(received) : `${megabytes(received)}/${megabytes(total)}`;
      display.update({ ratio: total ? received / total : undefined, text: `${label} ${size} ${megabytes(perSecond)}/s${eta}` });
    },
    end(completed) {
      if (completed) {
        const seconds = (performance.now() - started) / 1000;
        const text = `${label}, ${megabytes(received)} in ${duration(seconds)} (${megabytes(seconds > 0 ? received / seconds : 0)}/s)`;
        display.update({ ratio: 1, text });
        display.milestone(text);
      }
      display.stop();
    },
  };
}
