import { homedir } from 'node:os';
import { join, posix, resolve, win32 } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getDataHome } from '../src/index.js';
import { dataHomeFrom, sourceUrl } from '../src/cache.js';

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
    // On Windows a rooted path gets the current drive: '/explicit' resolves to D:\explicit.
    expect(getDataHome('/explicit')).toBe(resolve('/explicit'));
    expect(getDataHome()).toBe(resolve('/env/data'));
    delete process.env.LIGHTFM_DATA_HOME;
    expect(getDataHome()).toBe(resolve('/xdg', 'lightfm-ts'));
    delete process.env.XDG_CACHE_HOME;
    expect(getDataHome()).toBe(join(homedir(), '.cache', 'lightfm-ts'));
  });

  it('resolves relative paths against the current directory', () => {
    expect(getDataHome('data')).toBe(resolve('data'));
    process.env.LIGHTFM_DATA_HOME = 'rel/x';
    expect(getDataHome()).toBe(resolve('rel/x'));
  });
});

describe('dataHomeFrom (the rule of getDataHome for any path flavour)', () => {
  it('gives Windows paths with backslashes and drive letters', () => {
    const home = 'C:\\Users\\me';
    expect(dataHomeFrom(undefined, {}, home, win32)).toBe('C:\\Users\\me\\.cache\\lightfm-ts');
    expect(dataHomeFrom(undefined, { XDG_CACHE_HOME: 'D:\\xdg' }, home, win32)).toBe('D:\\xdg\\lightfm-ts');
    expect(dataHomeFrom(undefined, { LIGHTFM_DATA_HOME: 'E:/datasets/lightfm', XDG_CACHE_HOME: 'D:\\xdg' }, home, win32)).toBe('E:\\datasets\\lightfm');
    expect(dataHomeFrom('\\\\server\\share\\data', { LIGHTFM_DATA_HOME: 'E:\\x' }, home, win32)).toBe('\\\\server\\share\\data');
    expect(dataHomeFrom('F:\\a\\..\\b', {}, home, win32)).toBe('F:\\b');
  });

  it('gives POSIX paths', () => {
    const home = '/home/me';
    expect(dataHomeFrom(undefined, {}, home, posix)).toBe('/home/me/.cache/lightfm-ts');
    expect(dataHomeFrom(undefined, { XDG_CACHE_HOME: '/xdg/' }, home, posix)).toBe('/xdg/lightfm-ts');
    expect(dataHomeFrom(undefined, { LIGHTFM_DATA_HOME: '/data//lightfm' }, home, posix)).toBe('/data/lightfm');
    expect(dataHomeFrom('/a/../b', { LIGHTFM_DATA_HOME: '/x' }, home, posix)).toBe('/b');
  });

  it('treats empty variables as unset', () => {
    expect(dataHomeFrom(undefined, { LIGHTFM_DATA_HOME: '', XDG_CACHE_HOME: '' }, '/home/me', posix)).toBe('/home/me/.cache/lightfm-ts');
    expect(dataHomeFrom('', { LIGHTFM_DATA_HOME: '/x' }, '/home/me', posix)).toBe('/x');
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
