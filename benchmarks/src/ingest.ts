// Ingestion benchmark (issue 23): readInteractions on a CSV and on a Parquet file of string-id
// interactions, and the JavaScript Dataset path (parse lines, Dataset.fit, buildInteractions)
// on the first `--js-rows` rows of the same CSV, each in its own process under
// `/usr/bin/time -v` for its peak RSS.
//
//   pnpm bench:ingest [--rows 100000000] [--users 5000000] [--items 1000000] [--js-rows 10000000] [--threads 2] [--train]
//
// `--train` adds the way from the Parquet file to a served answer: read, one epoch of BPR,
// the first lookup by external id, recommend (each step timed).
//
// The data is generated once into benchmarks/.cache/ingest (gitignored, never committed) by a
// Rust example (crates/lightfm-io/examples/ingest_data.rs). Run it on a quiet machine: the
// acceptance targets are 100M CSV rows in <= 60 s and <= 8 GB, Parquet in <= 30 s, 2 threads.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const cache = join(repo, 'benchmarks', '.cache', 'ingest');

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000000' },
    users: { type: 'string', default: '5000000' },
    items: { type: 'string', default: '1000000' },
    'js-rows': { type: 'string', default: '10000000' },
    threads: { type: 'string', default: '2' },
    train: { type: 'boolean', default: false },
  },
});
const rows = Number(args.rows);
const jsRows = Math.min(rows, Number(args['js-rows']));

function generate(): { csv: string; parquet: string } {
  const csv = join(cache, `interactions-${rows}.csv`);
  const parquet = join(cache, `interactions-${rows}.parquet`);
  if (!existsSync(csv) || !existsSync(parquet)) {
    console.log(`generating ${rows} rows into ${cache} ...`);
    const r = spawnSync('cargo', ['run', '--release', '--quiet', '-p', 'lightfm-io', '--example', 'ingest_data', '--', String(rows), args.users, args.items, cache], {
      cwd: repo,
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error('generating the data failed');
  }
  return { csv, parquet };
}

interface Measured {
  case: string;
  rows: number;
  seconds: number;
  peakMB: number;
}

/** Runs one case in a child process under /usr/bin/time -v. */
function measure(name: string, file: string, limit: number): Measured {
  const child = join(here, 'ingest-case.js');
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, child, name, file, String(limit), args.threads], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${name} failed:\n${r.stdout}\n${r.stderr}`);
  // The case's own lines (steps of `train`), without /usr/bin/time's report.
  process.stderr.write(r.stderr.split('\tCommand being timed')[0] ?? '');
  const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const result = JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as { rows: number; seconds: number };
  return { case: name, rows: result.rows, seconds: result.seconds, peakMB: Number(peak?.[1] ?? 0) / 1024 };
}

const { csv, parquet } = generate();
const load = loadavg()[0]?.toFixed(2);
const results = [measure('csv', csv, rows), measure('parquet', parquet, rows), measure('js-dataset', csv, jsRows)];
if (args.train) results.push(measure('train', parquet, rows));
console.log(`\nreadInteractions, ${args.threads} threads, load average before: ${load}\n`);
console.log('| case | rows | seconds | rows/s | peak RSS |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const m of results) {
  console.log(`| ${m.case} | ${m.rows.toLocaleString('en-US')} | ${m.seconds.toFixed(1)} | ${Math.round(m.rows / m.seconds).toLocaleString('en-US')} | ${m.peakMB.toFixed(0)} MB |`);
}
