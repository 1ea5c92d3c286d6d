import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/cli/did-you-mean.js';
import { usageMessage } from '../../src/cli/main.js';

describe('usageMessage', () => {
  it('names the flag as typed, once, without its camelCase twin', () => {
    expect(usageMessage('Unknown arguments: foo-bar, fooBar', ['--foo-bar', '--shard', '1/2'])).toBe('unknown option --foo-bar');
    expect(usageMessage('Unknown argument: bogus', ['--bogus=3'])).toBe('unknown option --bogus');
    expect(usageMessage('Unknown argument: x', ['-x'])).toBe('unknown option -x');
  });

  it('tells stray words from flags', () => {
    expect(usageMessage('Unknown arguments: bogus, extra', ['merge', 'a.xml', 'extra', '--bogus'])).toBe(
      "unknown option --bogus; unexpected argument 'extra'",
    );
  });

  it('says which flag needs a value, and lowercases anything else', () => {
    expect(usageMessage('Not enough arguments following: shard', ['--shard'])).toBe('--shard needs a value');
    expect(usageMessage('Missing required argument: output', [])).toBe('missing required argument: output');
  });
});

describe('did you mean', () => {
  const known = { flags: ['shard', 'shards', 'timings', 'files-from', 'json', 'output'], words: ['plan', 'run', 'merge', 'record', 'report'] };

  it('names the closest known flag or command, transpositions counting as one slip', () => {
    expect(usageMessage('Unknown arguments: shrad', ['--shrad', '1/2'], known)).toBe('unknown option --shrad (did you mean --shard?)');
    expect(usageMessage('Unknown arguments: fils-from, filsFrom', ['--fils-from', 'x'], known)).toBe('unknown option --fils-from (did you mean --files-from?)');
    expect(usageMessage('Unknown argument: recrod', ['merge', 'recrod'], known)).toBe("unexpected argument 'recrod' (did you mean 'record'?)");
  });

  it('stays quiet when nothing is close', () => {
    expect(usageMessage('Unknown argument: verbose', ['--verbose'], known)).toBe('unknown option --verbose');
    expect(closest('js', ['ci', 'json'])).toBeUndefined();
  });

  it('breaks ties the same way whatever the order of the candidates', () => {
    expect(closest('shardz', ['shards', 'shard'])).toBe('shards');
    expect(closest('shardz', ['shard', 'shards'])).toBe('shards');
    expect(editDistance('plam', 'plan')).toBe(1);
    expect(editDistance('recrod', 'record')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
