// Runs inside the throwaway project that scripts/smoke-pack.mjs installs from tarballs, the way a
// user's code would: plain `import` of the published packages, no Rust toolchain on PATH.
//
//   node consumer.mjs                                  every check; exit 1 if one fails
//   node consumer.mjs --expect-missing <pkg>@<version> import must fail, naming that package
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, sep } from 'node:path';

const require = createRequire(import.meta.url);
const results = [];

async function check(name, fn) {
  try {
    const detail = await fn();
    if (typeof detail === 'string' && detail.startsWith('skip:')) {
      results.push({ name, status: 'skipped' });
      console.log(`skip  ${name}: ${detail.slice(5).trim()}`);
    } else {
      results.push({ name, status: 'passed' });
      console.log(`ok    ${name}${detail ? `: ${detail}` : ''}`);
    }
  } catch (err) {
    results.push({ name, status: 'failed' });
    console.log(`FAIL  ${name}: ${err?.stack ?? err}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** The module of an optional package, or undefined when the project did not install it. */
async function optionalImport(name) {
  try {
    import.meta.resolve(name);
  } catch {
    return undefined;
  }
  return import(name);
}

if (process.argv[2] === '--expect-missing') {
  const wanted = process.argv[3];
  try {
    await import('@lightfm-ts/core');
    console.log(`FAIL  import succeeded although ${wanted} was removed`);
    process.exit(1);
  } catch (err) {
    const message = String(err?.message);
    assert(message.includes(`${wanted} is not installed`), `unhelpful load error: ${message}`);
    console.log(`ok    a missing platform package is reported clearly:\n      ${message}`);
    process.exit(0);
  }
}

await check('no Rust toolchain or C compiler on PATH', () => {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const tool of ['cargo', 'rustc', 'cc']) {
    const found = dirs.flatMap((d) => exts.map((e) => join(d, tool + e))).find((p) => existsSync(p));
    assert(!found, `${tool} is reachable at ${found}`);
  }
  return `PATH=${process.env.PATH}`;
});

const core = await import('@lightfm-ts/core');
const { CooMatrix, LightFM, LightFMError } = core;
const corePkg = require('@lightfm-ts/core/package.json');

await check('the native binary comes from the platform package', () => {
  const coreDir = dirname(realpathSync(require.resolve('@lightfm-ts/core/package.json')));
  const fromCore = createRequire(join(coreDir, 'package.json'));
  const platformPkgs = Object.keys(corePkg.optionalDependencies ?? {});
  assert(platformPkgs.length > 0, 'the installed core package.json has no optionalDependencies');
  const installed = platformPkgs.filter((name) => {
    try {
      fromCore.resolve(`${name}/package.json`);
      return true;
    } catch {
      return false;
    }
  });
  assert(installed.length === 1, `expected exactly one platform package, found [${installed}]`);
  const pkgJson = fromCore.resolve(`${installed[0]}/package.json`);
  const version = JSON.parse(readFileSync(pkgJson, 'utf8')).version;
  assert(version === corePkg.version, `${installed[0]} is ${version}, core is ${corePkg.version}`);
  const loaded = Object.keys(require.cache).filter((file) => file.endsWith('.node'));
  const platformDir = dirname(realpathSync(pkgJson)) + sep;
  assert(loaded.length === 1 && loaded[0].startsWith(platformDir), `loaded ${loaded} instead of a file in ${platformDir}`);
  return `${installed[0]}@${version} (${loaded[0].slice(platformDir.length)})`;
});

await check('the companions use the one installed @lightfm-ts/core (a peer dependency)', () => {
  const own = realpathSync(require.resolve('@lightfm-ts/core/package.json'));
  const companions = ['@lightfm-ts/evaluation', '@lightfm-ts/datasets', '@lightfm-ts/lancedb'].filter((name) => {
    try {
      require.resolve(`${name}/package.json`);
      return true;
    } catch {
      return false;
    }
  });
  for (const name of companions) {
    const fromCompanion = createRequire(realpathSync(require.resolve(`${name}/package.json`)));
    const theirs = realpathSync(fromCompanion.resolve('@lightfm-ts/core/package.json'));
    assert(theirs === own, `${name} resolves @lightfm-ts/core at ${theirs}, the application at ${own}`);
  }
  return companions.length > 0 ? `${companions.join(', ')} -> ${dirname(own)}` : 'skip: no companion installed';
});

// Tiny implicit-feedback set with structure to learn: user u likes the items i with i % 4 === u % 4.
const USERS = 40;
const ITEMS = 24;
const rows = [];
const cols = [];
for (let u = 0; u < USERS; u++) for (let i = 0; i < ITEMS; i++) if (i % 4 === u % 4) rows.push(u), cols.push(i);
const interactions = CooMatrix.fromTriplets(rows, cols, new Float32Array(rows.length).fill(1), [USERS, ITEMS]);
const allIds = (n) => Int32Array.from({ length: n }, (_, i) => i);
const allItems = allIds(ITEMS);
let model;
let scores;

await check('train (async, 2 threads) and predict', async () => {
  model = new LightFM({ loss: 'warp', noComponents: 8, randomState: 42 });
  let epochs = 0;
  await model.fit(interactions, { epochs: 20, numThreads: 2, onEpoch: () => epochs++ });
  assert(epochs === 20, `onEpoch ran ${epochs} times`);
  scores = model.predict(0, allItems);
  assert(scores instanceof Float32Array && scores.length === ITEMS, 'predict returned the wrong shape');
  assert(scores.every(Number.isFinite), 'predict returned non-finite scores');
  const liked = [...scores].filter((_, i) => i % 4 === 0);
  const others = [...scores].filter((_, i) => i % 4 !== 0);
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert(mean(liked) > mean(others), 'the model did not learn the planted structure');
  return `mean score liked ${mean(liked).toFixed(3)} vs other ${mean(others).toFixed(3)}`;
});

await check('fitSync with numThreads 1 is reproducible', () => {
  const a = new LightFM({ loss: 'bpr', randomState: 7 }).fitSync(interactions, { epochs: 5 }).predict(3, allItems);
  const b = new LightFM({ loss: 'bpr', randomState: 7 }).fitSync(interactions, { epochs: 5 }).predict(3, allItems);
  assert(Buffer.from(a.buffer).equals(Buffer.from(b.buffer)), 'two seeded runs differ');
  return `predictions sha256 ${createHash('sha256').update(a).digest('hex').slice(0, 16)} (compare across platforms)`;
});

await check('errors keep their codes across the native boundary', async () => {
  try {
    model.predict(0, [ITEMS + 5]);
    throw new Error('predict accepted an out-of-range item id');
  } catch (err) {
    assert(err instanceof LightFMError && err.code === 'ERR_INDEX_RANGE', `got ${err?.code}: ${err?.message}`);
  }
  const controller = new AbortController();
  controller.abort();
  const aborted = await new LightFM().fit(interactions, { epochs: 50, signal: controller.signal }).then(
    () => undefined,
    (err) => err,
  );
  assert(aborted?.name === 'AbortError', `an aborted fit ended with ${aborted?.name}: ${aborted?.message}`);
});

await check('@lightfm-ts/evaluation scores the model', async () => {
  const evaluation = await optionalImport('@lightfm-ts/evaluation');
  if (!evaluation) return 'skip: @lightfm-ts/evaluation is not installed';
  const precision = await evaluation.precisionAtK(model, interactions, { k: 5 });
  const auc = await evaluation.aucScore(model, interactions);
  const mean = (xs) => [...xs].reduce((a, b) => a + b, 0) / xs.length;
  assert(precision.length === USERS && auc.length === USERS, 'one score per user expected');
  assert([...precision, ...auc].every((x) => x >= 0 && x <= 1), 'scores must lie in [0, 1]');
  assert(mean(auc) > 0.5, `train AUC ${mean(auc)} is no better than chance`);
  return `precision@5 ${mean(precision).toFixed(3)}, AUC ${mean(auc).toFixed(3)}`;
});

await check('@lightfm-ts/datasets: a hybrid model on synthetic data', async () => {
  const datasets = await optionalImport('@lightfm-ts/datasets');
  if (!datasets) return 'skip: @lightfm-ts/datasets is not installed';
  const data = datasets.makeSynthetic({ users: 200, items: 120, interactions: 4000, features: 20, seed: 1 });
  const hybrid = await new LightFM({ loss: 'warp', randomState: 1 }).fit(data.train, { itemFeatures: data.itemFeatures, epochs: 5 });
  const test = hybrid.predict(0, allIds(120), { itemFeatures: data.itemFeatures });
  assert(test.length === 120 && test.every(Number.isFinite), 'non-finite scores on generated data');
  return `trained on ${data.train.nnz} generated interactions with ${data.itemFeatures.shape[1]} item features`;
});

await check('@lightfm-ts/datasets: MovieLens 100k from LIGHTFM_DATA_HOME', async () => {
  const datasets = await optionalImport('@lightfm-ts/datasets');
  if (!datasets) return 'skip: @lightfm-ts/datasets is not installed';
  if (!process.env.LIGHTFM_DATA_HOME) return 'skip: LIGHTFM_DATA_HOME is not set';
  const ml = await datasets.fetchMovielens({ downloadIfMissing: false, minRating: 4 });
  const m = await new LightFM({ loss: 'warp', randomState: 1 }).fit(ml.train, { epochs: 5, numThreads: 2 });
  const evaluation = await optionalImport('@lightfm-ts/evaluation');
  if (!evaluation) return `fitted ${ml.train.nnz} ratings (no @lightfm-ts/evaluation to score them)`;
  const p = await evaluation.precisionAtK(m, ml.test, { trainInteractions: ml.train, k: 10 });
  const mean = [...p].reduce((a, b) => a + b, 0) / p.length;
  return `fitted ${ml.train.nnz} ratings, test precision@10 ${mean.toFixed(3)}`;
});

await check('@lightfm-ts/lancedb: items in an embedded table, recommend as core does', async () => {
  const lancedb = await optionalImport('@lightfm-ts/lancedb');
  if (!lancedb) return 'skip: @lightfm-ts/lancedb is not installed';
  const uri = mkdtempSync(join(tmpdir(), 'lightfm-smoke-lancedb-'));
  try {
    const written = await lancedb.writeItems(model, { uri });
    const store = await lancedb.LanceItems.open(model, { uri });
    const top = await store.recommend([0, 1], { k: 5 });
    store.close();
    const exact = model.recommend([0, 1], { k: 5 });
    assert(top.items.every((id, j) => id === exact.items[j]), `LanceDB answered ${top.items}, core ${Array.from(exact.items)}`);
    const table = lancedb.toArrowTable(model);
    assert(table.numRows === written.rows, 'toArrowTable has another number of rows');
    return `${written.rows} items written and queried; the flat table answers as core's recommend`;
  } finally {
    rmSync(uri, { recursive: true, force: true });
  }
});

await check('@lightfm-ts/cli: `lightfm train` and `lightfm recommend` from the installed bin', async () => {
  if (!(await optionalImport('@lightfm-ts/cli'))) return 'skip: @lightfm-ts/cli is not installed';
  // What `npx @lightfm-ts/cli` runs: the bin npm/pnpm linked (a shell shim; a .cmd on Windows,
  // which needs a shell, so there the bin file itself runs under this node).
  const pkgDir = dirname(realpathSync(require.resolve('@lightfm-ts/cli/package.json')));
  const binFile = join(pkgDir, require('@lightfm-ts/cli/package.json').bin.lightfm);
  const lightfm = (...args) =>
    process.platform === 'win32'
      ? execFileSync(process.execPath, [binFile, ...args], { encoding: 'utf8' })
      : execFileSync(join(process.cwd(), 'node_modules', '.bin', 'lightfm'), args, { encoding: 'utf8' });
  const dir = mkdtempSync(join(process.env.HOME ?? process.cwd(), 'cli-'));
  const csv = join(dir, 'interactions.csv');
  const lines = ['user,item'];
  for (let u = 0; u < 40; u++) for (let j = 0; j < 6; j++) lines.push(`user${u},item${(u % 4) + 4 * ((u + j) % 6)}`);
  writeFileSync(csv, `${lines.join('\n')}\n`);
  const model = join(dir, 'model.lightfm');
  const summary = JSON.parse(lightfm('train', csv, '--epochs', '5', '--seed', '1', '-o', model));
  assert(summary.users === 40 && summary.items === 24, `train read ${summary.users} users and ${summary.items} items`);
  const [recs] = JSON.parse(lightfm('recommend', model, '--users', 'user3', '--k', '3'));
  assert(recs.user === 'user3' && recs.items.length === 3, `recommend answered ${JSON.stringify(recs)}`);
  return `trained ${model} (validation AUC ${summary.validation.auc.toFixed(3)}), recommended ${recs.items.map((i) => i.id)} to user3`;
});

await check('save and load keep the predictions', async () => {
  if (typeof model.toBuffer !== 'function') return 'skip: this version has no toBuffer() (serving issue)';
  const same = (m) => Buffer.from(m.predict(0, allItems).buffer).equals(Buffer.from(scores.buffer));
  const bytes = await model.toBuffer();
  assert(same(LightFM.fromBuffer(bytes)), 'a model restored with fromBuffer predicts differently');
  if (typeof model.save !== 'function') return `toBuffer/fromBuffer round trip (${bytes.length} bytes); no save()`;
  const file = join(process.env.HOME ?? process.cwd(), 'model.lightfm');
  await model.save(file);
  assert(same(await LightFM.load(file)), 'a model saved and loaded from a file predicts differently');
  return `toBuffer/fromBuffer and save/load round trips (${bytes.length} bytes)`;
});

const count = (status) => results.filter((r) => r.status === status).length;
console.log(`smoke: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`);
process.exit(count('failed') === 0 ? 0 : 1);
