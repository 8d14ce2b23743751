// The acceptance targets of issue 22 (speed at scale), checked on a run's rows and curves.
import { type CurveResult } from './curves.js';
import { races } from './curve-report.js';
import { type Check, checkTable } from './markdown.js';
import type { Row } from './report.js';

/** Training samples/s over LightFM's wanted at 2 threads, per data set. */
const SPEED: Record<string, number> = { ml1m: 6, synthetic10m: 4, synthetic100m: 4, 'synthetic100m-hybrid': 4 };
/** Where the two-thread speed-up and the memory ratio are checked ("the 100M set"). */
const SCALING_SETS = ['ml1m', 'synthetic100m'];
const MEMORY_SETS = ['synthetic100m'];

export function issue22Targets(rows: Row[], curves: CurveResult[]): string {
  const checks: Check[] = [];
  const both = rows.filter((r) => r.lightfm && r.ours) as Required<Row>[];
  for (const r of both.filter((x) => x.threads === 2 && SPEED[x.dataset] !== undefined)) {
    const want = SPEED[r.dataset] as number;
    const speed = r.ours.samplesPerSecond / r.lightfm.samplesPerSecond;
    checks.push({ target: `training samples/s >= ${want}x LightFM, ${r.dataset} ${r.loss} 2 threads`, value: `${speed.toFixed(2)}x`, pass: speed >= want });
    const d = r.ours.auc - r.lightfm.auc;
    checks.push({ target: `test AUC within 0.005 of LightFM or better, ${r.dataset} ${r.loss} 2 threads`, value: `${d >= 0 ? '+' : ''}${d.toFixed(4)}`, pass: d >= -0.005 });
  }
  for (const r of rows.filter((x) => x.threads === 2 && x.ours && SCALING_SETS.includes(x.dataset))) {
    const one = rows.find((x) => x.dataset === r.dataset && x.loss === r.loss && x.threads === 1)?.ours;
    if (!one || !r.ours) continue;
    const s = r.ours.samplesPerSecond / one.samplesPerSecond;
    checks.push({ target: `2-thread speed-up >= 1.8x, ${r.dataset} ${r.loss}`, value: `${s.toFixed(2)}x`, pass: s >= 1.8 });
  }
  for (const r of both.filter((x) => MEMORY_SETS.includes(x.dataset))) {
    const m = r.ours.peakRssBytes / r.lightfm.peakRssBytes;
    checks.push({ target: `peak RSS <= 0.7x LightFM's, ${r.dataset} ${r.loss} ${r.threads}t`, value: m.toFixed(2), pass: m <= 0.7 });
  }
  for (const race of races(curves).filter((x) => x.dataset === 'ml1m')) {
    const f = race.fastest;
    checks.push({
      target: `time to implicit BPR's best P@10 below implicit's, ml1m ${race.threads}t`,
      value: f ? `${f.loss} ${f.seconds.toFixed(2)} s vs ${race.implicitSeconds.toFixed(2)} s` : `not reached (implicit: ${race.implicitSeconds.toFixed(2)} s)`,
      pass: f ? f.seconds < race.implicitSeconds : false,
    });
  }
  return checkTable(checks);
}
