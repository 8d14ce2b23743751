// Markdown for the curve runs (src/curves.ts): implicit's BPR and lightfm-ts's race to its
// best precision@10, medians over the repetitions.
import { type CurvePoint, type CurveResult, PATIENCE, readCurve } from './curves.js';
import { fixed, table } from './markdown.js';
import type { Row } from './report.js';
import { mean, median } from './stats.js';

/** The runs of one (data set, threads, library, loss). */
interface Group {
  dataset: string;
  threads: number;
  library: CurveResult['library'];
  loss: string;
  runs: CurveResult[];
  points: CurvePoint[];
}

function groups(curves: CurveResult[]): Group[] {
  const out = new Map<string, Group>();
  for (const r of curves) {
    const key = `${r.dataset}|${r.threads}|${r.library}|${r.loss}`;
    const g = out.get(key) ?? { dataset: r.dataset, threads: r.threads, library: r.library, loss: r.loss, runs: [], points: [] };
    g.runs.push(r);
    g.points.push(readCurve(r));
    out.set(key, g);
  }
  return [...out.values()];
}

const medianOf = (points: CurvePoint[], pick: (p: CurvePoint) => number | null) => {
  const v = points.map(pick).filter((x): x is number => x !== null);
  return v.length ? median(v) : undefined;
};

/** Per (data set, threads): implicit's median seconds to its best, and lightfm-ts's fastest loss to reach it. */
export interface Race {
  dataset: string;
  threads: number;
  implicitSeconds: number;
  /** Undefined when no loss reached the target in a majority of its runs. */
  fastest?: { loss: string; seconds: number };
}

/** A loss counts when it reached implicit's best in more than half of its runs. */
export function races(curves: CurveResult[]): Race[] {
  const all = groups(curves);
  const out: Race[] = [];
  for (const imp of all.filter((g) => g.library === 'implicit')) {
    const ours = all.filter((g) => g.library === 'lightfm-ts' && g.dataset === imp.dataset && g.threads === imp.threads);
    if (!ours.length) continue;
    const times = ours.flatMap((g) => {
      const reached = g.points.filter((p) => p.secondsToTarget !== null);
      return reached.length * 2 > g.points.length ? [{ loss: g.loss, seconds: medianOf(reached, (p) => p.secondsToTarget) as number }] : [];
    });
    const fastest = times.sort((a, b) => a.seconds - b.seconds)[0];
    out.push({ dataset: imp.dataset, threads: imp.threads, implicitSeconds: medianOf(imp.points, (p) => p.secondsToBest) as number, ...(fastest ? { fastest } : {}) });
  }
  return out;
}

/** implicit's speed and its best precision@10, beside lightfm-ts's BPR speed from the same run. */
export function implicitTable(curves: CurveResult[], rows: Row[]): string {
  const body = groups(curves)
    .filter((g) => g.library === 'implicit')
    .map((g) => {
      const ours = rows.find((r) => r.dataset === g.dataset && r.threads === g.threads && r.loss === 'bpr')?.ours;
      return [
        g.dataset,
        String(g.threads),
        String(g.runs.length),
        String(median(g.runs.map((r) => r.precisionAt10.length))),
        fixed((medianOf(g.points, (p) => p.samplesPerSecond) as number) / 1e6, 2),
        fixed(ours && ours.samplesPerSecond / 1e6, 2),
        fixed(mean(g.points.map((p) => p.best)), 4),
        String(medianOf(g.points, (p) => p.bestEpoch)),
        fixed(medianOf(g.points, (p) => p.secondsToBest), 2),
      ];
    });
  return table(['data', 'thr', 'runs', 'epochs run', 'implicit M samples/s', 'lightfm-ts bpr M samples/s', 'implicit best P@10', 'epoch of best', 'implicit s to best'], body);
}

/** lightfm-ts's epochs and training seconds to reach implicit's best precision@10, per loss. */
export function raceTable(curves: CurveResult[]): string {
  const all = groups(curves);
  const body = all
    .filter((g) => g.library === 'lightfm-ts')
    .map((g) => {
      const imp = all.find((x) => x.library === 'implicit' && x.dataset === g.dataset && x.threads === g.threads);
      const reached = g.points.filter((p) => p.secondsToTarget !== null);
      const ours = medianOf(reached, (p) => p.secondsToTarget);
      const theirs = imp && medianOf(imp.points, (p) => p.secondsToBest);
      return [
        g.dataset,
        String(g.threads),
        g.loss,
        fixed(mean(g.runs.map((r) => r.target ?? Number.NaN)), 4),
        `${reached.length}/${g.runs.length}`,
        reached.length ? String(medianOf(reached, (p) => p.targetEpoch)) : `not in ${median(g.runs.map((r) => r.maxEpochs))}`,
        fixed(ours, 2),
        fixed(theirs, 2),
        ours && theirs ? `${(theirs / ours).toFixed(1)}x` : 'n/a',
        fixed(mean(g.points.map((p) => p.best)), 4),
      ];
    });
  return table(['data', 'thr', 'lightfm-ts loss', "target: implicit's best P@10", 'runs that reached it', 'epoch reached', 'lightfm-ts s to target', 'implicit s to its best', 'implicit / lightfm-ts', 'lightfm-ts best P@10 seen'], body);
}

/** The report's section on the curve runs (empty without any). */
export function curveSections(curves: CurveResult[], rows: Row[]): string[] {
  if (!curves.length) return [];
  return [
    "## implicit's BPR, and lightfm-ts to its best precision@10",
    '',
    `One epoch at a time, test precision@10 (train items excluded) after each. implicit's \`BayesianPersonalizedRanking\` has ${curves[0]?.components} factors and its defaults otherwise; every run stops at its epoch cap or after ${PATIENCE} epochs without a new best, and lightfm-ts's also once it reaches implicit's best of the same repetition. Seconds are cumulative training time, evaluation excluded; medians over the runs (see docs/benchmarks.md).`,
    '',
    implicitTable(curves, rows),
    '',
    ...(curves.some((c) => c.library === 'lightfm-ts') ? ["### Time for lightfm-ts to reach implicit's best precision@10", '', raceTable(curves), ''] : []),
  ];
}
