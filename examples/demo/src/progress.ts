// Training progress, one step per epoch: a bar redrawn in place on a terminal, one plain line
// per epoch otherwise (logs and CI output stay readable).
import cliProgress from 'cli-progress';
import type { EpochInfo } from '@lightfm-ts/core';

/** Receives `fit`'s epoch reports; `stop` ends the display. */
export interface EpochProgress {
  /** Pass as `fit`'s `onEpoch`. */
  onEpoch: (info: EpochInfo) => void;
  /** Finishes the bar (call once training has ended, also on failure). */
  stop: () => void;
}

/**
 * A progress display for `epochs` epochs of training, on `out`.
 *
 * @param epochs - Epochs the fit will run.
 * @param out - Where to draw; a bar when it is a terminal, plain lines otherwise.
 * @returns Callbacks to hand to `fit` and to call afterwards.
 * @example
 * ```ts
 * const progress = epochProgress(10, process.stdout);
 * try {
 *   await model.fit(train, { epochs: 10, onEpoch: progress.onEpoch });
 * } finally {
 *   progress.stop();
 * }
 * ```
 */
export function epochProgress(epochs: number, out: NodeJS.WriteStream): EpochProgress {
  if (!out.isTTY) {
    return {
      onEpoch: ({ epoch, seconds }) => out.write(`epoch ${epoch}/${epochs}  ${seconds.toFixed(2)} s\n`),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'training [{bar}] {value}/{total} epochs | {seconds} s/epoch', stream: out, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(epochs, 0, { seconds: '-' });
  return {
    onEpoch: ({ epoch, seconds }) => bar.update(epoch, { seconds: seconds.toFixed(2) }),
    stop: () => bar.stop(),
  };
}
