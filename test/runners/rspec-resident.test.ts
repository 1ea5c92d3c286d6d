import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runnerPreset } from '../../src/runners/index.js';
import { RSPEC_FEED_DRIVER } from '../../src/runners/rspec.js';

const resident = runnerPreset('rspec').resident!;
const ARGS = ['--require', '/x/junit_formatter.rb', '--format', 'SplitTests::JUnitFormatter', '--out', '/tmp/r/batch-1.xml', '-E', '\\Aa\\z', 'spec/a_spec.rb'];

describe('rspec resident: which command lines the driver can take', () => {
  it('ships the driver in the package (runners/ is in package.json files)', () => {
    expect(RSPEC_FEED_DRIVER).toMatch(/\/runners\/rspec\/split_tests_feed\.rb$/);
    expect(existsSync(RSPEC_FEED_DRIVER)).toBe(true);
  });

  it('rspec and bundle exec rspec: the driver under the same launcher, the rest is the batch', () => {
    expect(resident(['rspec', ...ARGS])).toEqual({ command: ['ruby', RSPEC_FEED_DRIVER], args: ARGS });
    expect(resident(['rspec'])).toEqual({ command: ['ruby', RSPEC_FEED_DRIVER], args: [] });
    expect(resident(['bundle', 'exec', 'rspec', ...ARGS])).toEqual({
      command: ['bundle', 'exec', '--keep-file-descriptors', 'ruby', RSPEC_FEED_DRIVER],
      args: ARGS,
    });
  });

  it('undefined for what the driver cannot stand in for', () => {
    const refused = [
      ['bin/rspec', 'a_spec.rb'], // the project's binstub (Spring's, or one that sets things up)
      ['./bin/rspec', 'a_spec.rb'],
      ['/usr/local/bin/rspec', 'a_spec.rb'], // its shebang may name another Ruby
      ['spring', 'rspec', 'a_spec.rb'],
      ['ruby', '-S', 'rspec', 'a_spec.rb'],
      ['bundle', 'exec', '--gemfile=x', 'rspec'],
      ['bundle', 'rspec'],
      ['env', 'rspec', 'a_spec.rb'],
      ['rake', 'spec'],
      [],
    ];
    for (const argv of refused) expect(resident(argv), argv.join(' ')).toBeUndefined();
  });
});
