import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getDataHome } from '../src/index.js';
import { sourceUrl } from '../src/cache.js';

const saved = { ...process.env };
afterEach(() => {
  for (const key of ['LIGHTFM_DATA_HOME', 'XDG_CACHE_HOME', 'LIGHTFM_DATASETS_BASE_URL']) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

describe('getDataHome', () => {
  it('prefers dataHome, then LIGHTFM_DATA_HOME, then XDG_CACHE_HOME, then ~/.cache', () => {
    process.env.LIGHTFM_DATA_HOME = '/env/data';
    process.env.XDG_CACHE_HOME = '/xdg';
    expect(getDataHome('/explicit')).toBe('/explicit');
    expect(getDataHome()).toBe('/env/data');
    delete process.env.LIGHTFM_DATA_HOME;
    expect(getDataHome()).toBe(join('/xdg', 'lightfm-ts'));
    delete process.env.XDG_CACHE_HOME;
    expect(getDataHome()).toBe(join(homedir(), '.cache', 'lightfm-ts'));
  });

  it('resolves relative paths against the current directory', () => {
    expect(getDataHome('data')).toBe(resolve('data'));
    process.env.LIGHTFM_DATA_HOME = 'rel/x';
    expect(getDataHome()).toBe(resolve('rel/x'));
  });
});

describe('sourceUrl', () => {
  it('uses baseUrl, then LIGHTFM_DATASETS_BASE_URL, then the origin', () => {
    const origin = 'https://example.org/datasets/';
    delete process.env.LIGHTFM_DATASETS_BASE_URL;
    expect(sourceUrl('ml-100k.zip', origin, undefined)).toBe('https://example.org/datasets/ml-100k.zip');
    process.env.LIGHTFM_DATASETS_BASE_URL = 'http://127.0.0.1:8080/mirror';
    expect(sourceUrl('ml-100k.zip', origin, undefined)).toBe('http://127.0.0.1:8080/mirror/ml-100k.zip');
    expect(sourceUrl('a.npz', origin, 'http://127.0.0.1:9/m/')).toBe('http://127.0.0.1:9/m/a.npz');
  });
});
