import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expandCommand, expandShardTemplate } from '../../src/run/expand-command.js';
import { UserError } from '../../src/errors.js';

const shard = { index: 2, total: 4, files: ['a.test.ts', 'b c.test.ts'] };

describe('expandCommand', () => {
  it('appends the files when there is no {files} argument', () => {
    expect(expandCommand(['npx', 'vitest', 'run'], shard)).toEqual({ file: 'npx', args: ['vitest', 'run', 'a.test.ts', 'b c.test.ts'] });
  });

  it('puts the files in place of a {files} argument, each as its own argument', () => {
    expect(expandCommand(['runner', '{files}', '--reporter', 'junit'], shard).args).toEqual(['a.test.ts', 'b c.test.ts', '--reporter', 'junit']);
  });

  it('expands {shard} and {total} inside any argument, the program included', () => {
    expect(expandCommand(['bin/{shard}-of-{total}', '--outputFile=reports/{shard}.xml', '--shard={shard}/{total}'], { ...shard, files: [] })).toEqual({
      file: 'bin/2-of-4',
      args: ['--outputFile=reports/2.xml', '--shard=2/4'],
    });
  });

  it('expands {junit} to the expanded report path, and refuses it without --junit', () => {
    expect(expandCommand(['r', '--out={junit}'], { ...shard, files: [], junit: 'reports/2.xml' }).args).toEqual(['--out=reports/2.xml']);
    expect(() => expandCommand(['r', '--out={junit}'], { ...shard, files: [] })).toThrow(/\{junit\}.*--junit/);
  });

  it('never expands placeholders inside file names', () => {
    const files = ['{shard}.test.js', '{files}', '$(touch pwned).test.js'];
    expect(expandCommand(['r', '{files}', '{shard}'], { index: 1, total: 2, files }).args).toEqual([...files, '1']);
  });

  it('leaves a {files} that is only part of an argument alone', () => {
    expect(expandCommand(['r', '--files={files}'], shard).args).toEqual(['--files={files}', 'a.test.ts', 'b c.test.ts']);
  });

  it('refuses an empty command with a UserError', () => {
    expect(() => expandCommand([], shard)).toThrow(UserError);
    expect(() => expandCommand([''], shard)).toThrow(/no command/);
  });

  it('passes every file through exactly once, in order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.array(fc.string({ minLength: 1 }), { minLength: 1 }), fc.boolean(), (files, template, withPlaceholder) => {
        const command = withPlaceholder ? ['run', ...template.filter((t) => t !== '{files}'), '{files}'] : ['run', ...template.filter((t) => t !== '{files}')];
        const { args } = expandCommand(command.map((a) => a.replace(/\{junit\}/g, '')), { index: 1, total: 1, files });
        expect(args.slice(args.length - files.length)).toEqual(files);
      }),
    );
  });
});

describe('expandShardTemplate', () => {
  it('expands every {shard} and {total}', () => {
    expect(expandShardTemplate('reports/{shard}-of-{total}/{shard}.xml', 3, 5)).toBe('reports/3-of-5/3.xml');
  });
});
