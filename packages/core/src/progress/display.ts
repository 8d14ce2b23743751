// Progress for a person to see, on stderr by default: on a terminal a bar redrawn in place
// (cli-progress draws it: throttled redraws, cut to the terminal's width), otherwise plain
// lines at milestones, so logs and CI output stay readable. cli-progress is loaded for the first
// bar, so importing the library costs nothing for it.

/** Where a display writes: `process.stderr`, or any object with `write` (and `isTTY`). */
export interface ProgressStream {
  /** A bar is drawn only when this is `true`. */
  isTTY?: boolean;
  /** Width to cut the bar's line to (a terminal's columns). */
  columns?: number;
  write(chunk: string): unknown;
}

/** What the bar shows. */
export interface BarState {
  /** The finished share in [0, 1]; `undefined` when the total is not known. */
  ratio: number | undefined;
  /** The text after the bar: counts, rate, ETA, metric. */
  text: string;
}

/** A progress display: a bar on a terminal, lines elsewhere. */
export interface ProgressDisplay {
  /** The latest state: redraws the bar (at most 10 times a second); nothing when not a terminal. */
  update(state: BarState): void;
  /** A milestone (an epoch done, a download done): one line when not a terminal, where the bar shows it. */
  milestone(text: string): void;
  /** Ends the display; the bar's last state stays on screen. */
  stop(): void;
}

const BAR_WIDTH = 16;

/**
 * A display for `label` (e.g. `fit`) on `stream`: a bar when `stream.isTTY` and `bar` is not
 * `false`, lines otherwise (`bar: false` is for work that blocks the event loop, which no bar
 * could follow).
 */
export function openDisplay(stream: ProgressStream, label: string, { bar = true } = {}): ProgressDisplay {
  return bar && stream.isTTY === true ? barDisplay(stream, label) : lineDisplay(stream, label);
}

/** A display that writes one line per milestone. */
function lineDisplay(stream: ProgressStream, label: string): ProgressDisplay {
  return {
    update: () => {},
    milestone: (text) => void stream.write(`lightfm-ts ${label}: ${text}\n`),
    stop: () => {},
  };
}

type CliProgress = typeof import('cli-progress');

/**
 * The bar. cli-progress loads while the work starts (milliseconds); until then the latest
 * state is kept, and work that ends sooner gets its last state as one line.
 */
function barDisplay(stream: ProgressStream, label: string): ProgressDisplay {
  let state: BarState | undefined;
  let bar: InstanceType<CliProgress['SingleBar']> | undefined;
  let stopped = false;
  const draw = () => bar?.update(state?.ratio ?? 0);
  import('cli-progress').then(
    ({ default: cliProgress }) => {
      if (stopped) return;
      bar = new cliProgress.SingleBar({
        stream: stream as NodeJS.WritableStream,
        format: (options, params) => {
          const drawn = state?.ratio === undefined ? ' '.repeat(BAR_WIDTH) : cliProgress.Format.BarFormat(params.progress, options);
          return `${label} [${drawn}] ${state?.text ?? ''}`;
        },
        barsize: BAR_WIDTH,
        barCompleteChar: '█',
        barIncompleteChar: '░',
        // Cut long lines to the width instead of switching the terminal's line wrapping off, and
        // leave the cursor and SIGINT alone: a process killed mid-fit leaves the terminal as it was.
        linewrap: true,
      });
      bar.start(1, state?.ratio ?? 0);
    },
    () => {}, // no bar then; stop() still writes the last state
  );
  return {
    update(s) {
      state = s;
      draw();
    },
    milestone: () => {},
    stop() {
      stopped = true;
      if (bar) bar.stop();
      else if (state) stream.write(`lightfm-ts ${label}: ${state.text}\n`);
    },
  };
}
