// Summarises the criterion benches of lightfm-core (`cargo bench -p lightfm-core`) as
// markdown: training samples/s with 1 and 2 threads side by side and their ratio, the
// storage comparison, and every other group as plain rows.
//
// node benchmarks/dist/criterion-summary.js [criterion folder, default <target>/criterion]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Bench {
  group: string;
  /** `function_id` of the bench, e.g. `bpr/d64/identity`. */
  name: string;
  /** `value_str`, e.g. `t2`. */
  variant: string;
  /** Mean time of one iteration in seconds. */
  seconds: number;
  /** Elements per iteration, when the bench declares a throughput. */
  elements: number | undefined;
}

function findBenchmarks(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) continue;
    if (entry === 'new' && existsSync(join(path, 'benchmark.json'))) out.push(path);
    else if (entry !== 'base' && entry !== 'change' && entry !== 'report') out.push(...findBenchmarks(path));
  }
  return out;
}

function load(dir: string): Bench {
  const meta = JSON.parse(readFileSync(join(dir, 'benchmark.json'), 'utf8')) as {
    group_id: string;
    function_id: string | null;
    value_str: string | null;
    throughput: { Elements?: number } | null;
  };
  const estimates = JSON.parse(readFileSync(join(dir, 'estimates.json'), 'utf8')) as { mean: { point_estimate: number } };
  return {
    group: meta.group_id,
    name: meta.function_id ?? '',
    variant: meta.value_str ?? '',
    seconds: estimates.mean.point_estimate / 1e9,
    elements: meta.throughput?.Elements,
  };
}

const rate = (b: Bench | undefined) => (b?.elements ? b.elements / b.seconds / 1e6 : undefined);
const fmt = (v: number | undefined, digits = 2) => (v === undefined ? 'n/a' : v.toFixed(digits));

function table(header: string[], rows: string[][]): string {
  const line = (c: string[]) => `| ${c.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Rows `name | variant A | variant B | ... | last/first` for one group. */
function pivot(benches: Bench[], variants: string[], ratioOf: [string, string] | undefined, unit: (b: Bench | undefined) => string): string {
  const names = [...new Set(benches.map((b) => b.name))];
  const rows = names.map((name) => {
    const get = (v: string) => benches.find((b) => b.name === name && b.variant === v);
    const cells = variants.map((v) => unit(get(v)));
    if (ratioOf) {
      const [num, den] = ratioOf.map((v) => rate(get(v)));
      cells.push(num && den ? `${(num / den).toFixed(2)}x` : 'n/a');
    }
    return [name, ...cells];
  });
  const header = ['bench', ...variants, ...(ratioOf ? [`${ratioOf[0]} / ${ratioOf[1]}`] : [])];
  return table(header, rows);
}

function main(): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = resolve(process.argv[2] ?? join(here, '..', '..', 'target', 'criterion'));
  if (!existsSync(dir)) throw new Error(`${dir} does not exist; run cargo bench -p lightfm-core first`);
  const benches = findBenchmarks(dir).map(load);
  const groups = [...new Set(benches.map((b) => b.group))].sort();
  const mps = (b: Bench | undefined) => fmt(rate(b));
  for (const group of groups) {
    const inGroup = benches.filter((b) => b.group === group);
    const variants = [...new Set(inGroup.map((b) => b.variant))].sort();
    const threads = variants.includes('t1') && variants.includes('t2');
    console.log(`\n### ${group} (${inGroup.some((b) => b.elements) ? 'M elements/s' : 'seconds'})\n`);
    if (group === 'storage') console.log(pivot(inGroup, ['plain-f32', 'atomic', 'core-fit'], ['plain-f32', 'atomic'], mps));
    else if (threads) console.log(pivot(inGroup, ['t1', 't2'], ['t2', 't1'], (b) => (b?.elements ? mps(b) : fmt(b?.seconds, 4))));
    else console.log(table(['bench', 'variant', 'value'], inGroup.map((b) => [b.name, b.variant, b.elements ? mps(b) : fmt(b.seconds, 4)])));
  }
}

main();
