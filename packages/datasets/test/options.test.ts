// The fetchers and the generator read their options by core's one rule: an unknown key
// (LightFM's snake_case names included) is ERR_INVALID_ARG naming it and the intended key,
// before anything touches the disk or the network. The table must cover every exported
// function the compiler sees taking an options object.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { optionTakers } from '@lightfm-ts/test-utils/api-surface';
import { fetchMovielens, fetchStackexchange, makeSynthetic } from '../src/index.js';
import { tempDir } from './helpers/data.js';

type Call = (options: object) => unknown;

// A cache folder that stays empty: nothing may be read or downloaded.
const offline = () => ({ dataHome: tempDir(), downloadIfMissing: false });

/** Each function: a call with the options, and a foreign key with the key it means. */
const CALLS: Record<string, [call: Call, wrong: string, meant: string]> = {
  fetchMovielens: [(o) => fetchMovielens({ ...offline(), ...o }), 'min_rating', 'minRating'],
  fetchStackexchange: [(o) => fetchStackexchange('crossvalidated', { ...offline(), ...o }), 'test_set_fraction', 'testSetFraction'],
  makeSynthetic: [(o) => makeSynthetic({ users: 10, items: 10, interactions: 5, ...o }), 'random_seed', 'seed'],
};

/** Functions with an object parameter that is not options, and why. */
const NOT_OPTIONS: Record<string, string> = {
  'new LightFMError': "core's error class, re-exported: Error's own `{ cause }`, read as Error reads it",
};

async function message(call: () => unknown): Promise<string> {
  try {
    await call();
  } catch (err) {
    expect(err).toMatchObject({ code: 'ERR_INVALID_ARG' });
    return (err as Error).message;
  }
  throw new Error('expected ERR_INVALID_ARG');
}

describe('unknown option keys', () => {
  it('the table covers every exported function that takes an options object', () => {
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    expect([...Object.keys(CALLS), ...Object.keys(NOT_OPTIONS)].sort()).toEqual(optionTakers(entry));
  });

  it.each(Object.entries(CALLS))('%s refuses an unknown key, naming it', async (_name, [call]) => {
    expect(await message(() => call({ bogus: 1 }))).toMatch(/unknown option 'bogus' \(the options are /);
  });

  it.each(Object.entries(CALLS))('%s names the intended key of a foreign one', async (_name, [call, wrong, meant]) => {
    expect(await message(() => call({ [wrong]: 1 }))).toContain(`unknown option '${wrong}'; did you mean '${meant}'?`);
  });

  it("names LightFM's fetch_movielens keywords", async () => {
    expect(await message(() => fetchMovielens({ data_home: '/tmp', genre_features: true } as never))).toContain("did you mean 'dataHome'?");
    expect(await message(() => fetchMovielens({ ...offline(), indicator_features: false } as never))).toContain("did you mean 'indicatorFeatures'?");
  });
});
