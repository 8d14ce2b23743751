// `fit`'s `progress` option: what a callback receives, the check of the option, and the
// built-in display (a bar that moves within each epoch on a terminal, one line per epoch
// otherwise). The examples are counted in the core (lightfm_core::Progress); this module only
// turns readings and epoch reports into `FitProgress`.
import type { Binding } from '../native.js';
import type { Reading } from './counter.js';
import { type ProgressDisplay, type ProgressStream, openDisplay } from './display.js';
import { compact, count, duration } from './format.js';

/** What a `progress` callback of `fit` receives, every 150 ms or so while it trains and once after every epoch. */
export interface FitProgress {
  /** The epoch running, or just finished (1-based, within this call). */
  epoch: number;
  /** Epochs requested in this call. */
  epochs: number;
  /** Examples of `epoch` trained so far. */
  examplesDone: number;
  /** Examples in every epoch. */
  examplesTotal: number;
  /** Examples trained per second: over this call so far, or in an `epochEnded` report over that epoch's training. */
  samplesPerSecond: number;
  /** Seconds since the call started. */
  seconds: number;
  /** Estimated seconds until the last epoch ends; `undefined` until something was trained. */
  etaSeconds: number | undefined;
  /** Whether `epoch` has finished, its validation included (one such report per epoch). */
  epochEnded: boolean;
  /** Fits with `validation`: the metric watched. */
  metric?: string;
  /** Fits with `validation`: the metric after the latest finished epoch. */
  validation?: number;
  /** Fits with `validation`: the best epoch so far (1-based). */
  bestEpoch?: number;
}

/**
 * `fit`'s `progress`: `true` for the built-in display on stderr, a function to receive
 * {@link FitProgress} reports, `false` (the default) for nothing.
 */
export type FitProgressOption = boolean | ((progress: FitProgress) => void);

/** One epoch's report from the native fit, as `fit` passes it on. */
interface EpochReport {
  epoch: number;
  epochs: number;
  seconds: number;
  validation?: number;
  bestEpoch?: number;
}

/** Turns a fit's counter readings and epoch reports into {@link FitProgress} for one sink. */
export class FitReporter {
  readonly #sink: (p: FitProgress) => void;
  readonly #epochs: number;
  readonly #metric: string | undefined;
  readonly #started = performance.now();
  #trainingSeconds = 0;
  #validation: Pick<FitProgress, 'metric' | 'validation' | 'bestEpoch'> = {};

  constructor(sink: (p: FitProgress) => void, epochs: number, metric: string | undefined) {
    this.#sink = sink;
    this.#epochs = epochs;
    this.#metric = metric;
  }

  #seconds(): number {
    return (performance.now() - this.#started) / 1000;
  }

  /** A reading taken while the fit runs. */
  reading(r: Reading): void {
    this.#sink({
      epoch: r.step,
      epochs: this.#epochs,
      examplesDone: r.done,
      examplesTotal: r.perStep,
      samplesPerSecond: r.perSecond,
      seconds: this.#seconds(),
      etaSeconds: r.etaSeconds,
      epochEnded: false,
      ...this.#validation,
    });
  }

  /** Epoch `e.epoch` finished; `counter` tells how many examples an epoch has. */
  epochEnded(e: EpochReport, counter: Binding.ProgressReading): void {
    this.#trainingSeconds += e.seconds;
    if (this.#metric !== undefined && e.validation !== undefined) {
      this.#validation = { metric: this.#metric, validation: e.validation, bestEpoch: e.bestEpoch };
    }
    const examples = counter.perStep;
    this.#sink({
      epoch: e.epoch,
      epochs: this.#epochs,
      examplesDone: examples,
      examplesTotal: examples,
      samplesPerSecond: e.seconds > 0 ? examples / e.seconds : 0,
      seconds: this.#seconds(),
      etaSeconds: (this.#trainingSeconds / e.epoch) * (this.#epochs - e.epoch),
      epochEnded: true,
      ...this.#validation,
    });
  }
}

/** The latest validation: `, auc 0.8123 (best epoch 3)` in lines, `auc 0.8123` in the bar. */
function metricText(p: FitProgress, best: boolean): string {
  if (p.metric === undefined || p.validation === undefined) return '';
  const value = `${p.metric} ${p.validation.toFixed(4)}`;
  return best ? `, ${value} (best epoch ${p.bestEpoch})` : ` ${value}`;
}

/** The built-in display's use of a report: the bar, and a line per finished epoch. */
function show(display: ProgressDisplay, p: FitProgress): void {
  const eta = (sep: string) => (p.etaSeconds ? `${sep}ETA ${duration(p.etaSeconds)}` : '');
  // Fits an 80-column terminal (the bar is cut to the width).
  display.update({
    ratio: p.examplesTotal > 0 ? p.examplesDone / p.examplesTotal : 1,
    text: `epoch ${p.epoch}/${p.epochs} ${compact(p.examplesDone)}/${compact(p.examplesTotal)} ${compact(p.samplesPerSecond)} samples/s${eta(' ')}${metricText(p, false)}`,
  });
  if (p.epochEnded) {
    const seconds = p.samplesPerSecond > 0 ? p.examplesTotal / p.samplesPerSecond : 0;
    display.milestone(
      `epoch ${p.epoch}/${p.epochs}: ${count(p.examplesTotal)} examples in ${duration(seconds)} (${compact(p.samplesPerSecond)} samples/s)${metricText(p, true)}${eta(', ')}`,
    );
  }
}

/** Where a fit's reports go, and how to end it. */
export interface FitProgressSink {
  reporter: FitReporter;
  /** Ends the built-in display (nothing for a callback). */
  stop(): void;
}

/**
 * The reporter for a fit's `progress` option, or `undefined` when it is off. `guard` wraps a
 * user callback (so that what it throws ends the fit); `live` is false for the synchronous
 * fits, whose display is then lines only.
 */
export function fitProgressSink(
  option: FitProgressOption | undefined,
  { epochs, metric, live, guard, stream = process.stderr }: { epochs: number; metric: string | undefined; live: boolean; guard: (f: (p: FitProgress) => void) => (p: FitProgress) => void; stream?: ProgressStream },
): FitProgressSink | undefined {
  if (option === undefined || option === false) return undefined;
  if (typeof option === 'function') return { reporter: new FitReporter(guard(option), epochs, metric), stop: () => {} };
  const display = openDisplay(stream, 'fit', { bar: live });
  return { reporter: new FitReporter((p) => show(display, p), epochs, metric), stop: () => display.stop() };
}
