import { describe, expect, it } from 'vitest';
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
