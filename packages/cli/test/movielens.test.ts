// Every command on MovieLens 100k exported as CSV (ua.base / ua.test, genres as item features),
// from LIGHTFM_DATA_HOME; skipped, with a notice from @lightfm-ts/test-utils, without it.
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasMovielens, movielensFolder } from '@lightfm-ts/test-utils';
import { lightfm, serve, tempDir } from './helpers.js';

const GENRES = ['unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'];

/** A tab-separated ratings file of MovieLens as CSV with a header; returns the ids of its items. */
function exportRatings(file: string, out: string): Set<string> {
  const lines = readFileSync(join(movielensFolder as string, file), 'utf8').trim().split('\n');
  writeFileSync(out, `user,item,rating,timestamp\n${lines.map((l) => l.split('\t').join(',')).join('\n')}\n`);
  return new Set(lines.map((l) => l.split('\t')[1] as string));
}

describe.skipIf(!hasMovielens)('MovieLens 100k through the command line', () => {
  const dir = tempDir();
  const [train, test, genres, model] = ['ua.base.csv', 'ua.test.csv', 'genres.csv', 'ml.lightfm'].map((f) => join(dir, f)) as [string, string, string, string];
  let trainItems: Set<string>;

  beforeAll(() => {
    trainItems = exportRatings('ua.base', train);
    exportRatings('ua.test', test);
    // Genres of the items the training file has (features must name known items).
    const rows = readFileSync(join(movielensFolder as string, 'u.item'), 'latin1').trim().split('\n').flatMap((line) => {
      const fields = line.split('|');
      const id = fields[0] as string;
      return trainItems.has(id) ? fields.slice(5).flatMap((flag, g) => (flag === '1' ? [`${id},${JSON.stringify(GENRES[g])}`] : [])) : [];
    });
    writeFileSync(genres, `item,genre\n${rows.join('\n')}\n`);
  });

  it('trains with genres, early stopping on the latest 10%, and evaluates on ua.test', async () => {
    const run = await lightfm(['train', train, '--timestamp', 'timestamp', '--item-features', genres, '--epochs', '20', '--components', '32', '--seed', '1', '--threads', '2', '-o', model]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { users: number; items: number; validation: { auc: number } };
    expect(summary.users).toBe(943);
    expect(summary.items).toBe(trainItems.size);
    // The latest 10% of the ratings is a harder, later slice than a random split: 0.795 on
    // 2 threads (Hogwild, so it varies a little), against 0.5 for an untrained model.
    expect(summary.validation.auc).toBeGreaterThan(0.75);

    const evaluated = await lightfm(['evaluate', model, test, '--train', train, '--k', '10']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const metrics = JSON.parse(evaluated.stdout) as Record<string, number>;
    expect(metrics.users).toBe(943);
    expect(metrics['precision@10']).toBeGreaterThan(0.1);
    expect(metrics.auc).toBeGreaterThan(0.85);
  });

  it('recommends unseen movies, finds similar ones, exports and serves', async () => {
    const recs = await lightfm(['recommend', model, '--users', '1,2', '--k', '10']);
    expect(recs.code, recs.stderr).toBe(0);
    const rated = new Set(readFileSync(train, 'utf8').split('\n').filter((l) => l.startsWith('1,')).map((l) => l.split(',')[1]));
    const [first] = JSON.parse(recs.stdout) as { user: string; items: { id: string }[] }[];
    expect(first?.items).toHaveLength(10);
    expect(first?.items.some((i) => rated.has(i.id))).toBe(false);

    const similar = await lightfm(['similar', model, '--items', '50', '--k', '5', '--format', 'csv']);
    expect(similar.code).toBe(0);
    expect(similar.stdout.trim().split('\n')).toHaveLength(6);

    const exported = await lightfm(['export', model, '--side', 'both', '-o', join(dir, 'ml.parquet')]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('wrote 943 user vectors of 34 floats');

    const { child, base } = await serve(model);
    try {
      expect(await (await fetch(`${base}/health`)).json()).toMatchObject({ status: 'ok', users: 943 });
      const body = (await (await fetch(`${base}/recommend?user=1&k=10`)).json()) as { items: { id: string }[] };
      expect(body.items.map((i) => i.id)).toEqual(first?.items.map((i) => i.id));
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
    }
  });
});
