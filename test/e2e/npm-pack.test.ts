/**
 * `npm pack` as a release would run it: from sources with no dist/ (prepack must build first), and
 * the tarball installed into an empty project, where `npx split-tests` answers --help and plans.
 * The pack runs in a copy of the sources, so this build's dist/ (which other tests use) is never
 * rewritten under them.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, repoRoot, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

const run = promisify(execFile);

describe('the packed tarball', () => {
  it('builds before packing, installs into an empty project, and runs --help and a plan', { timeout: 180_000 }, async () => {
    const sources = makeTempDir('split-tests-pack-src-');
    for (const name of ['package.json', 'package-lock.json', 'tsconfig.json', 'README.md', 'LICENSE', 'src']) {
      cpSync(join(repoRoot, name), join(sources, name), { recursive: true });
    }
    symlinkSync(join(repoRoot, 'node_modules'), join(sources, 'node_modules'), 'dir');
    expect(existsSync(join(sources, 'dist'))).toBe(false);
    const packed = await run('npm', ['pack', '--json', '--pack-destination', sources], { cwd: sources });
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = info?.files.map((f) => f.path) ?? [];
    expect(files).toContain('dist/cli/index.js');
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);

    const project = makeTempDir('split-tests-pack-user-');
    writeFiles(project, {
      'package.json': JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }),
      'test/a.test.js': '',
      'test/b.test.js': '',
      'test/c.test.js': '',
      'timings.json': JSON.stringify({ 'test/a.test.js': 30, 'test/b.test.js': 20, 'test/c.test.js': 10 }),
    });
    // dependencies from the npm cache where they are there (the registry otherwise)
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(sources, info?.filename ?? '')], { cwd: project });

    const help = await run('npx', ['--no-install', 'split-tests', '--help'], { cwd: project });
    expect(help.stdout).toMatch(/split-tests plan/);
    const plan = await run('npx', ['--no-install', 'split-tests', 'plan', '--shards', '2', '--timings', 'timings.json', '--json', 'test/*.test.js'], { cwd: project });
    const shards = (JSON.parse(plan.stdout) as { shards: Array<{ files: string[] }> }).shards.map((s) => s.files);
    expect(shards).toEqual([['test/a.test.js'], ['test/b.test.js', 'test/c.test.js']]);
  });
});
