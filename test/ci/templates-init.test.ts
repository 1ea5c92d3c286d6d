/** `pipeline init` as a user runs it: where the package paths come from, and bad ones refused. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeTempDir, removeTempDirs, runCli, writeFiles } from '../e2e/helpers.js';

afterAll(removeTempDirs);

function project(config: object): string {
  const cwd = makeTempDir('split-tests-init-');
  writeFiles(cwd, { 'split-tests.config.json': JSON.stringify(config) });
  return cwd;
}

const packagePaths = async (cwd: string, extra: string[] = []): Promise<unknown> => {
  const result = await runCli(['pipeline', 'init', '--ci', 'gitlab', '--shards', '2', '--output', '-', ...extra], { cwd });
  expect(result.stderr).toBe('');
  return (parse(result.stdout) as any).package.artifacts?.paths;
};

describe('pipeline init: what the package step hands to deploy', () => {
  it('out/ by default when a package step is configured; nothing without one', async () => {
    expect(await packagePaths(project({ pipeline: { package: 'npm pack --pack-destination out' } }))).toEqual(['out/']);
    expect(await packagePaths(project({}))).toBeUndefined();
  });

  it('pipeline.packagePaths in the config, and --package-path (repeatable) over it', async () => {
    const cwd = project({ pipeline: { package: 'make dist', packagePaths: ['dist/', 'VERSION'] } });
    expect(await packagePaths(cwd)).toEqual(['dist/', 'VERSION']);
    expect(await packagePaths(cwd, ['--package-path', 'build/app.zip', '--package-path', 'VERSION'])).toEqual(['build/app.zip', 'VERSION']);
  });

  it('refuses a path outside the project, naming it, and writes nothing', async () => {
    const cwd = project({ pipeline: { package: 'make dist' } });
    const result = await runCli(['pipeline', 'init', '--ci', 'github', '--shards', '2', '--package-path', '../dist'], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--package-path "\.\.\/dist": must be a path inside the project/);
    expect(existsSync(join(cwd, '.github'))).toBe(false);
    const config = await runCli(['pipeline', 'init', '--ci', 'gitlab', '--shards', '2'], { cwd: project({ pipeline: { packagePaths: ['/srv/out'] } }) });
    expect(config.exitCode).toBe(2);
    expect(config.stderr).toMatch(/config "pipeline.packagePaths" "\/srv\/out"/);
  });
});

describe('pipeline init: writing the file', () => {
  it('never overwrites without --force, replaces with it, and leaves no temporary file', async () => {
    const cwd = project({});
    const first = await runCli(['pipeline', 'init', '--ci', 'gitlab', '--shards', '2'], { cwd });
    expect(first.exitCode).toBe(0);
    writeFiles(cwd, { '.gitlab-ci.yml': '# my own edits\n' });
    const again = await runCli(['pipeline', 'init', '--ci', 'gitlab', '--shards', '3'], { cwd });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/\.gitlab-ci\.yml already exists; not overwriting it.*--force/s);
    expect(readFileSync(join(cwd, '.gitlab-ci.yml'), 'utf8')).toBe('# my own edits\n');
    const forced = await runCli(['pipeline', 'init', '--ci', 'gitlab', '--shards', '3', '--force'], { cwd });
    expect(forced.exitCode).toBe(0);
    expect(readFileSync(join(cwd, '.gitlab-ci.yml'), 'utf8')).toMatch(/parallel: 3/);
    expect(readdirSync(cwd).filter((name) => name.includes('.tmp'))).toEqual([]);
  });
});
