import type { DownloadProgress } from './options.js';

/** Receives byte counts during one download. */
export interface ProgressSink {
  update(received: number, total: number | undefined): void;
  /** Ends the display (a TTY line gets its newline). */
  end(): void;
}

const REDRAW_MS = 100;

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
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
 * {@link CallbackError}); otherwise a single self-overwriting line on stderr when stderr is
 * a terminal; otherwise nothing.
 */
export function progressSink(label: string, onProgress: ((p: DownloadProgress) => void) | undefined): ProgressSink {
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
  const stream = process.stderr;
  if (!stream.isTTY) return { update: () => {}, end: () => {} };
  let last = 0;
  let drawn = false;
  const draw = (received: number, total: number | undefined) => {
    const amount = total ? `${mb(received)}/${mb(total)} MB (${Math.floor((100 * received) / total)}%)` : `${mb(received)} MB`;
    stream.write(`\r\x1b[2Klightfm-ts: downloading ${label} ${amount}`);
    drawn = true;
  };
  let lastArgs: [number, number | undefined] = [0, undefined];
  return {
    update(received, total) {
      lastArgs = [received, total];
      const now = Date.now();
      if (now - last < REDRAW_MS) return;
      last = now;
      draw(received, total);
    },
    end() {
      if (!drawn && lastArgs[0] === 0) return;
      draw(...lastArgs);
      stream.write('\n');
    },
  };
}
