// Reading the native progress counter (lightfm_core::Progress) while a fit or an evaluation
// runs on another thread: a timer polls it, never keeping Node alive, and turns each reading
// into the step it is in, the rate and the time left.
import type { Binding } from '../native.js';

/** How often a running call's counter is read. */
export const POLL_MS = 150;

/** A counter reading after the work began. */
export interface Reading {
  /** The 1-based step (epoch) the count is in; a step stays current until the next one has work done. */
  step: number;
  steps: number;
  /** Units done in `step`, of `perStep`. */
  done: number;
  perStep: number;
  /** Seconds since the work began. */
  seconds: number;
  /** Units per second within `step` (so time spent between steps, e.g. validating, does not lower it). */
  perSecond: number;
  /** Seconds left at the rate of the whole work so far; `undefined` until something is done. */
  etaSeconds: number | undefined;
}

/** The first reading seen in a step: the rate within the step is measured from it. */
interface StepStart {
  step: number;
  done: number;
  seconds: number;
  /** The rate before it (of the previous step), shown until the step's own can be measured. */
  perSecond: number | undefined;
}

/** A native reading as a {@link Reading}; `undefined` before the work began. */
export function reading(r: Binding.ProgressReading, start?: StepStart): Reading | undefined {
  if (r.steps === 0) return undefined;
  const step = r.perStep === 0 ? r.steps : Math.min(r.steps, Math.max(1, Math.ceil(r.done / r.perStep)));
  const overall = r.seconds > 0 ? r.done / r.seconds : 0;
  const within = start?.step === step && r.seconds > start.seconds ? (r.done - start.done) / (r.seconds - start.seconds) : undefined;
  return {
    step,
    steps: r.steps,
    done: r.done - (step - 1) * r.perStep,
    perStep: r.perStep,
    seconds: r.seconds,
    perSecond: within ?? start?.perSecond ?? overall,
    etaSeconds: overall > 0 ? (r.steps * r.perStep - r.done) / overall : undefined,
  };
}

/**
 * Awaits `work`, passing `counter`'s readings to `onReading` every {@link POLL_MS} while it is
 * pending (only readings that moved). `onReading` must not throw.
 */
export async function polling<T>(counter: Binding.ProgressCounter, onReading: (r: Reading) => void, work: Promise<T>): Promise<T> {
  let last: Binding.ProgressReading | undefined;
  let start: StepStart | undefined;
  let rate: number | undefined;
  const timer = setInterval(() => {
    const r = counter.read();
    if (r.done === last?.done && r.steps === last.steps) return;
    last = r;
    let read = reading(r, start);
    if (!read) return;
    if (read.step !== start?.step) {
      start = { step: read.step, done: r.done, seconds: r.seconds, perSecond: rate };
      read = reading(r, start) as Reading;
    }
    rate = read.perSecond;
    onReading(read);
  }, POLL_MS);
  timer.unref();
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
