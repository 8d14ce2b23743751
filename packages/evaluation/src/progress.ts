// `evaluate`'s `progress` option: the users are counted in the native pass
// (lightfm_core::Progress) and shown like `fit`'s progress (the display is @lightfm-ts/core's):
// a bar on a terminal; otherwise a line when a pass still runs after the first reading, and one
// when it ends.
import { type ProgressStream, type Reading, compact, count, duration, openDisplay } from '@lightfm-ts/core/internal';

/** What a `progress` callback of `evaluate` receives, every 150 ms or so during the pass and once at its end. */
export interface EvaluationProgress {
  /** Users (rows of the result) evaluated so far. */
  usersDone: number;
  /** Users the pass evaluates. */
  usersTotal: number;
  /** The rate of the pass: users evaluated per second. */
  usersPerSecond: number;
  /** Seconds since the call started. */
  seconds: number;
  /** Estimated seconds left; `undefined` until a user is done. */
  etaSeconds: number | undefined;
  /** Whether the pass has ended (the last report). */
  finished: boolean;
}

/**
 * `evaluate`'s `progress`: `true` for the built-in display on stderr, a function to receive
 * {@link EvaluationProgress} reports, `false` (the default) for nothing.
 */
export type EvaluationProgressOption = boolean | ((progress: EvaluationProgress) => void);

/** Receives one evaluation's progress. */
export interface EvaluationReporter {
  /** A reading taken during the pass. */
  reading(r: Reading): void;
  /** The pass evaluated `users` users. */
  finished(users: number): void;
  /** Ends the display; throws what the user's callback threw, if it did. */
  stop(): void;
}

/**
 * The reporter for `option`, or `undefined` when it is off. `live` is false for
 * `evaluateSync`, which blocks the event loop: its display is then the closing line only.
 */
export function evaluationReporter(option: EvaluationProgressOption | undefined, live: boolean, stream: ProgressStream = process.stderr): EvaluationReporter | undefined {
  if (option === undefined || option === false) return undefined;
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  if (typeof option === 'function') {
    // The pass cannot be stopped: what the callback throws is kept and thrown at the end.
    let failed: { error: unknown } | undefined;
    const send = (p: EvaluationProgress) => {
      if (failed) return;
      try {
        option(p);
      } catch (error) {
        failed = { error };
      }
    };
    return {
      reading: (r) => send(progressOf(r, seconds())),
      finished: (users) => send(finalOf(users, seconds())),
      stop() {
        if (failed) throw failed.error;
      },
    };
  }
  const display = openDisplay(stream, 'evaluate', { bar: live });
  let announced = false;
  return {
    reading(r) {
      const p = progressOf(r, seconds());
      if (!announced) display.milestone(`${count(p.usersTotal)} users`);
      announced = true;
      const eta = p.etaSeconds === undefined ? '' : ` ETA ${duration(p.etaSeconds)}`;
      display.update({ ratio: p.usersTotal > 0 ? p.usersDone / p.usersTotal : 1, text: `${compact(p.usersDone)}/${compact(p.usersTotal)} users ${compact(p.usersPerSecond)} users/s${eta}` });
    },
    finished(users) {
      const p = finalOf(users, seconds());
      const text = `${count(users)} users in ${duration(p.seconds)} (${compact(p.usersPerSecond)} users/s)`;
      display.update({ ratio: 1, text });
      display.milestone(text);
    },
    stop: () => display.stop(),
  };
}

function progressOf(r: Reading, seconds: number): EvaluationProgress {
  return { usersDone: r.done, usersTotal: r.perStep, usersPerSecond: r.perSecond, seconds, etaSeconds: r.etaSeconds, finished: false };
}

function finalOf(users: number, seconds: number): EvaluationProgress {
  return { usersDone: users, usersTotal: users, usersPerSecond: seconds > 0 ? users / seconds : 0, seconds, etaSeconds: 0, finished: true };
}
