/**
 * The generated GitLab pipeline, run for real by gitlab-ci-local (shell executor, each job in its
 * own copy of the project, so only artifacts and the cache carry anything between jobs) on the
 * bundled shop with split-tests installed from its packed tarball, as a user's project would.
 *
 * gitlab-ci-local needs Node 22: `.ci/run` installs it with its own Node into .ci/tools (never into
 * node_modules, where a `node` package would switch this whole suite to Node 22). Without that
 * folder the test is skipped with a loud message, except in CI, where it fails.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, makeTempDir, removeTempDirs, repoRoot } from './helpers.js';

afterAll(removeTempDirs);

const tools = join(repoRoot, '.ci', 'tools', 'node_modules');
const node22 = join(tools, 'node', 'bin', 'node');
const gitlabCiLocal = join(tools, 'gitlab-ci-local', 'dist', 'index.js');
const run = promisify(execFile);
const onPath = (command: string): boolean =>
  (process.env['PATH'] ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, command)));
const missing = [
  ...(existsSync(node22) && existsSync(gitlabCiLocal) ? [] : ['.ci/tools (npm install --prefix .ci/tools gitlab-ci-local node@22)']),
  ...['git', 'rsync'].filter((command) => !onPath(command)),
];
const inCi = process.env['CI'] === 'true';
if (missing.length > 0 && !inCi) {
  console.warn(`\n*** SKIPPED: the gitlab-ci-local pipeline test needs ${missing.join(', ')}; .ci/run installs them ***\n`);
}

/** What the pipeline carries between jobs or leaves behind; never part of the project's commit. */
const GENERATED = new Set(['.split-tests', 'reports', 'out', 'releases', 'node_modules', 'accounts', 'catalog', 'checkout']);

/**
 * The shop as its own git project: its search feature only (5 files, a few seconds), split-tests
 * from the tarball `npm pack` makes of this build, and the .gitlab-ci.yml `pipeline init` writes.
 */
async function shopProject(): Promise<string> {
  const dir = join(makeTempDir('split-tests-gitlab-'), 'shop');
  cpSync(join(repoRoot, 'fixtures', 'shop'), dir, { recursive: true, filter: (source) => !GENERATED.has(basename(source)) });
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: repoRoot });
  const tarball = stdout.trim().split('\n').at(-1) ?? '';
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  pkg.devDependencies['split-tests'] = `file:${tarball}`;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  await run('npm', ['install', '--package-lock-only', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir });
  await run(process.execPath, [cliPath, 'pipeline', 'init', '--ci', 'gitlab', '--shards', '2'], { cwd: dir });
  writeFileSync(join(dir, '.gitignore'), [...GENERATED, '.gitlab-ci-local'].map((name) => `${name}/`).join('\n'));
  await run('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  await commit(dir, 'the shop');
  return dir;
}

async function commit(dir: string, message: string): Promise<void> {
  await run('git', ['add', '-A'], { cwd: dir });
  await run('git', ['-c', 'user.name=split-tests', '-c', 'user.email=split-tests@example.com', 'commit', '-q', '-m', message], { cwd: dir });
}

interface Pipeline {
  exitCode: number;
  output: string;
  /** PASS / FAIL per job name, from gitlab-ci-local's closing summary. */
  jobs: Map<string, string>;
}

function pipeline(dir: string): Promise<Pipeline> {
  // npm as on a CI runner with a warm cache: no audit or funding calls, the cache before the registry
  const npm = ['npm_config_audit=false', 'npm_config_fund=false', 'npm_config_prefer_offline=true', 'npm_config_update_notifier=false'];
  const args = [gitlabCiLocal, '--force-shell-executor', '--shell-isolation', '--no-artifacts-to-source', ...npm.flatMap((v) => ['--variable', v])];
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? dir, NO_COLOR: '1', FORCE_COLOR: '0' };
  return new Promise((resolve, reject) => {
    const child = spawn(node22, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const jobs = new Map<string, string>();
      for (const match of output.matchAll(/^ (PASS|FAIL) {2}(\S.*?)\s*$/gm)) jobs.set(match[2] ?? '', match[1] ?? '');
      resolve({ exitCode: code ?? 1, output, jobs });
    });
  });
}

const artifact = (dir: string, job: string, path: string): string => join(dir, '.gitlab-ci-local', 'artifacts', job, path);

describe.skipIf(missing.length > 0 && !inCi)('the generated GitLab pipeline, run by gitlab-ci-local', () => {
  it('passes and deploys the package; the next pipeline plans from its history, and a failing test blocks deploy', { timeout: 400_000 }, async () => {
    expect(missing, 'CI must have installed the tools (.ci/run)').toEqual([]);
    const dir = await shopProject();

    const first = await pipeline(dir);
    expect(first.exitCode, first.output).toBe(0);
    expect([...first.jobs.values()].every((status) => status === 'PASS'), first.output).toBe(true);
    expect([...first.jobs.keys()].sort()).toEqual(['build', 'deploy', 'merge', 'package', 'test: [1/2]', 'test: [2/2]']);
    // deploy ran in its own copy of the project and found the package through package's artifacts
    expect(first.output).toMatch(/deploy\s+> released split-tests-example-shop@1\.0\.0 to releases\/1\.0\.0\/split-tests-example-shop-1\.0\.0\.tgz/);
    expect(existsSync(artifact(dir, 'package', 'out/split-tests-example-shop-1.0.0.tgz'))).toBe(true);
    expect(JSON.parse(readFileSync(artifact(dir, 'build', 'reports/plan.json'), 'utf8')).estimator).toBe('none');

    writeFileSync(join(dir, 'tests', 'search', 'broken.test.ts'), "import { expect, it } from 'vitest';\nit('adds up', () => {\n  expect(1 + 1).toBe(3);\n});\n");
    await commit(dir, 'a failing test');
    const second = await pipeline(dir);
    // the plan came from the first pipeline's history (cache): only the new file is unknown
    const plan = JSON.parse(readFileSync(artifact(dir, 'build', 'reports/plan.json'), 'utf8'));
    expect(plan.estimator).not.toBe('none');
    expect(plan.estimatedFiles).toBe(1);
    expect(second.exitCode).not.toBe(0);
    expect(second.jobs.get('build')).toBe('PASS');
    expect(second.jobs.get('merge'), second.output).toBe('FAIL');
    expect([...second.jobs.values()].filter((status) => status === 'FAIL').length).toBe(2);
    expect(second.jobs.has('deploy'), second.output).toBe(false);
    expect(second.output).not.toMatch(/deploy\s+starting/);
  });
});
