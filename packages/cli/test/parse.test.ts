import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { character, column, idList, integer, positive, share } from '../src/cli/parse.js';
import { csv } from '../src/cli/output.js';

describe('option values', () => {
  it('reads integers in a range', () => {
    expect(integer(1)('10')).toBe(10);
    for (const bad of ['0', '1.5', '', ' ', 'ten', '1e400']) expect(() => integer(1)(bad), bad).toThrow(InvalidArgumentError);
    expect(() => integer(0, 65535)('65536')).toThrow('expected an integer from 0 to 65535.');
  });

  it('reads positive numbers and shares', () => {
    expect(positive('0.05')).toBe(0.05);
    expect(() => positive('0')).toThrow(InvalidArgumentError);
    expect(share('0')).toBe(0);
    expect(share('0.25')).toBe(0.25);
    for (const bad of ['1', '-0.1', 'NaN', '']) expect(() => share(bad), bad).toThrow(InvalidArgumentError);
  });

  it('reads id lists, columns and characters', () => {
    expect(idList('a, b,c')).toEqual(['a', 'b', 'c']);
    expect(idList('d', ['a'])).toEqual(['a', 'd']);
    expect(() => idList('a,,b')).toThrow(InvalidArgumentError);
    expect(column('3')).toBe(3);
    expect(column('user_id')).toBe('user_id');
    expect(character('\\t')).toBe('\t');
    expect(character(';')).toBe(';');
    expect(() => character('ab')).toThrow(InvalidArgumentError);
  });

  it('quotes CSV fields that need it', () => {
    expect(csv(['id', 'score'], [['a,b', 1], ['say "hi"', 2], ['line\nbreak', 3]])).toBe('id,score\n"a,b",1\n"say ""hi""",2\n"line\nbreak",3\n');
  });
});
