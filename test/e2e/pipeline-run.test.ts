import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, makeTempDir, removeTempDirs, runCli, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

/**
 * A tiny test runner: one testcase per file, failing when the file says FAIL; writes JUnit to
 * the path after --junit-out, and a marker when it starts so the package step can see the shards
 * running beside it.
 */
const runner = `
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
const args = process.argv.slice(2);
const out = args[args.indexOf('--junit-out') + 1];
const files = args.filter((a, i) => a !== '--junit-out' && i !== args.indexOf('--junit-out') + 1);
mkdirSync('markers', { recursive: true });
writeFileSync('markers/shard-' + process.env.SPLIT_TESTS_SHARD.replace('/', '-of-'), 'started');
let failed = 0;
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const cases = files.filter((file) => !readFileSync(file, 'utf8').includes('VANISH')).map((file) => {
  const text = readFileSync(file, 'utf8');
  const bad = text.includes('FAIL');
  // SOFTFAIL: reported as failed, but the runner still exits 0 (as some runners do)
  if (bad && !text.includes('SOFTFAIL')) failed++;
  return '<testcase classname="' + esc(file) + '" name="works" file="' + esc(file) + '" time="0.25">' + (bad ? '<failure message="boom"/>' : '') + '</testcase>';
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, '<?xml version="1.0"?><testsuites><testsuite name="fake" tests="' + files.length + '" failures="' + failed + '" time="' + files.length * 0.25 + '">' + cases.join('') + '</testsuite></testsuites>');
process.exit(failed > 0 ? 1 : 0);
`;

/** Packages only once a shard has started: it cannot finish unless it runs beside the tests. */
const packageStep = `
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
const deadline = Date.now() + 30000;
const started = () => existsSync('markers') && readdirSync('markers').some((f) => f.startsWith('shard-'));
while (!started()) {
  if (Date.now() > deadline) { console.error('package: no shard started beside me'); process.exit(3); }
  await new Promise((r) => setTimeout(r, 20));
}
mkdirSync('out', { recursive: true });
writeFileSync('out/app.tgz', 'package');
console.log('packaged out/app.tgz');
`;

const deployStep = `
import { copyFileSync, mkdirSync } from 'node:fs';
mkdirSync('releases/1.0.0', { recursive: true });
copyFileSync('out/app.tgz', 'releases/1.0.0/app.tgz');
console.log('released');
`;

function project(options: { failing?: boolean; softFailing?: boolean; vanishing?: boolean; packageCommand?: string } = {}): string {
  const dir = makeTempDir('split-tests-pipeline-run-');
  const files: Record<string, string> = {
    'runner.mjs': runner,
    'package.mjs': packageStep,
    'deploy.mjs': deployStep,
    'tests/cart/add.test.js': 'ok',
    'tests/cart/remove.test.js': options.softFailing ? 'SOFTFAIL' : 'ok',
    'tests/search/find.test.js': options.failing ? 'FAIL' : 'ok',
    'tests/search/sort.test.js': options.vanishing ? 'VANISH' : 'ok',
    "tests/odd/it's $(touch pwned) & a;b.test.js": 'ok',
    'split-tests.config.json': JSON.stringify({
      tests: ['tests/**/*.test.js'],
      groupByDir: 2,
      timings: ['.split-tests/history.json'],
      run: { command: ['node', 'runner.mjs', '--junit-out', '{junit}', '{files}'], junit: 'reports/junit-{shard}.xml', concurrency: 3 },
      pipeline: { package: options.packageCommand ?? 'node package.mjs', deploy: 'node deploy.mjs' },
    }),
  };
  writeFiles(dir, files);
  return dir;
}

function history(cwd: string): any {
  return JSON.parse(readFileSync(join(cwd, '.split-tests', 'history.json'), 'utf8'));
}

describe('split-tests pipeline run', () => {
  it('runs the shards beside packaging, merges, records, deploys, and shows measured against predicted', async () => {
    const cwd = project();
    const result = await runCli(['pipeline', 'run', '--shards', '3'], { cwd });
    expect(result.stderr).not.toMatch(/warning: .*could not be mapped/);
    expect(result.exitCode).toBe(0);
    // the package step only finishes once a shard has started: they ran side by side
    expect(readFileSync(join(cwd, 'out/app.tgz'), 'utf8')).toBe('package');
    expect(existsSync(join(cwd, 'releases/1.0.0/app.tgz'))).toBe(true);
    // the test command never went through a shell
    expect(existsSync(join(cwd, 'pwned'))).toBe(false);
    const merged = readFileSync(join(cwd, 'reports/merged.xml'), 'utf8');
    expect(merged.match(/<testcase /g)).toHaveLength(5);
    const runs = history(cwd).runs;
    expect(runs).toHaveLength(1);
    expect(Object.keys(runs[0].stages).sort()).toEqual(['deploy', 'merge', 'package', 'tests']);
    expect(Object.keys(runs[0].predictedStages).sort()).toEqual(['deploy', 'merge', 'package', 'tests']);
    expect(runs[0].shardCount).toBe(3);
    expect(result.stdout).toContain('Pipeline timeline (█ predicted  ░ measured)');
    expect(result.stdout).toMatch(/^shard 1\/3 \(tests\)/m);
    expect(result.stdout).toMatch(/tests passed, package passed, merge passed, deploy passed, record passed/);
    // package output is prefixed, so it stays readable beside the shards
    expect(result.stdout).toMatch(/^\[package\] packaged out\/app\.tgz$/m);

    // the second run plans from the first run's timings
    const again = await runCli(['pipeline', 'run', '--shards', '3', '--json'], { cwd });
    expect(again.exitCode).toBe(0);
    expect(again.stderr).not.toMatch(/splitting by file count/);
    const doc = JSON.parse(again.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.deployed).toBe(true);
    expect(history(cwd).runs).toHaveLength(2);
  });

  it('without configured timings, plans the next run from its own history', async () => {
    const cwd = makeTempDir('split-tests-pipeline-run-');
    writeFiles(cwd, { 'runner.mjs': runner, 'tests/a.test.js': 'ok', 'tests/b.test.js': 'ok', 'tests/c.test.js': 'ok' });
    const args = ['pipeline', 'run', 'tests/*.test.js', '--shards', '2', '--junit', 'out/{shard}.xml', '--', 'node', 'runner.mjs', '--junit-out', '{junit}'];
    const first = await runCli(args, { cwd });
    expect(first.exitCode).toBe(0);
    expect(first.stderr).toMatch(/splitting by file count/);
    expect(first.stderr).toMatch(/; predicted \d+ s \(from file counts for test times and default stage times; this run measures them\)$/m);
    const second = await runCli(args, { cwd });
    // measured now: nothing left to caveat
    expect(second.stderr).toMatch(/; predicted \d+ s$/m);
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toMatch(/timings from the history \.split-tests\/history\.json \(1 run\)/);
    expect(second.stderr).not.toMatch(/splitting by file count/);
    expect(history(cwd).runs).toHaveLength(2);
  });

  it('does not deploy when a test fails, but still merges and records; exit 1', async () => {
    const cwd = project({ failing: true });
    const result = await runCli(['pipeline', 'run', '--shards', '2'], { cwd });
    expect(result.exitCode).toBe(1);
    expect(existsSync(join(cwd, 'releases'))).toBe(false);
    expect(existsSync(join(cwd, 'reports/merged.xml'))).toBe(true);
    expect(history(cwd).runs[0].failedFiles).toEqual(['tests/search/find.test.js']);
    expect(result.stderr).toMatch(/not deployed: tests failed/);
  });

  it('does not deploy when a planned file reported nothing (the merge\'s completeness check); exit 1', async () => {
    const cwd = project({ vanishing: true });
    const result = await runCli(['pipeline', 'run', '--shards', '2'], { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/1 of 5 planned files have no testcase in any report: tests\/search\/sort\.test\.js/);
    expect(result.stderr).toMatch(/not deployed: the merge found a problem/);
    expect(existsSync(join(cwd, 'releases'))).toBe(false);
  });

  it('does not deploy when the merged report has a failure although the runner exited 0; exit 1', async () => {
    const cwd = project({ softFailing: true });
    const result = await runCli(['pipeline', 'run', '--shards', '2'], { cwd });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/not deployed: 1 test failed or errored in the merged report/);
    expect(existsSync(join(cwd, 'releases'))).toBe(false);
  });

  it('does not deploy when packaging fails; exit 1', async () => {
    const cwd = project({ packageCommand: 'node -e "process.exit(4)"' });
    const result = await runCli(['pipeline', 'run', '--shards', '2'], { cwd });
    expect(result.exitCode).toBe(1);
    expect(existsSync(join(cwd, 'releases'))).toBe(false);
    expect(result.stderr).toMatch(/package: failed \(exit 4\)/);
    expect(result.stderr).toMatch(/not deployed: packaging failed/);
  });

  it('needs a test command and a JUnit path with {shard}', async () => {
    const cwd = makeTempDir('split-tests-pipeline-run-');
    writeFiles(cwd, { 'tests/a.test.js': 'ok' });
    const noCommand = await runCli(['pipeline', 'run', 'tests/*.test.js', '--shards', '1'], { cwd });
    expect(noCommand.exitCode).toBe(2);
    expect(noCommand.stderr).toMatch(/no test command/);
    const noJunit = await runCli(['pipeline', 'run', 'tests/*.test.js', '--shards', '1', '--', 'node', 'x.mjs'], { cwd });
    expect(noJunit.exitCode).toBe(2);
    expect(noJunit.stderr).toMatch(/JUnit path is missing/);
    const fixed = await runCli(['pipeline', 'run', 'tests/*.test.js', '--junit', 'r.xml', '--', 'node', 'x.mjs'], { cwd });
    expect(fixed.exitCode).toBe(2);
    expect(fixed.stderr).toMatch(/--junit r\.xml: must contain \{shard\}/);
    const timeout = await runCli(['pipeline', 'run', 'tests/*.test.js', '--junit', 'r/{shard}.xml', '--timeout', '-3', '--', 'node', 'x.mjs'], { cwd });
    expect(timeout.exitCode).toBe(2);
    expect(timeout.stderr).toMatch(/--timeout -3: must be a number of seconds > 0/);
  });

  it('SIGTERM while the shards run: stops them, writes the merged report, never deploys, exits 143 with one clear line', async () => {
    const cwd = makeTempDir('split-tests-pipeline-run-');
    // each shard says it started, then hangs until stopped
    const hang = "console.log('shard ' + process.env.SPLIT_TESTS_SHARD + ' is running'); setInterval(() => {}, 1000)";
    writeFiles(cwd, {
      'tests/a.test.js': 'ok',
      'tests/b.test.js': 'ok',
      'deploy.mjs': "import { writeFileSync } from 'node:fs'; writeFileSync('DEPLOYED', '');",
      'split-tests.config.json': JSON.stringify({
        tests: ['tests/*.test.js'],
        run: { command: ['node', '-e', hang, '{files}'], junit: 'reports/junit-{shard}.xml' },
        pipeline: { deploy: 'node deploy.mjs' },
      }),
    });
    const child = spawn(process.execPath, [cliPath, 'pipeline', 'run', '--shards', '2'], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // signal once both shards say they run (their output markers), no fixed sleep
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (stdout.includes('shard 1/2 is running') && stdout.includes('shard 2/2 is running')) resolve();
      });
    });
    child.kill('SIGTERM');
    expect(await closed).toBe(143);
    expect(stderr).toMatch(/^split-tests: pipeline stopped: split-tests received SIGTERM; not deployed, not recorded; merged report so far reports\/merged\.xml$/m);
    expect(stderr).toContain('deploy: skipped, split-tests received SIGTERM');
    expect(stdout).toMatch(/tests stopped, package not configured, merge failed, deploy skipped, record skipped/);
    expect(existsSync(join(cwd, 'DEPLOYED'))).toBe(false);
    // the report was finished: every planned file is in it, as an errored placeholder (so the merge
    // check fails: a stopped shard's files did not run)
    const merged = readFileSync(join(cwd, 'reports/merged.xml'), 'utf8');
    expect(merged.match(/<testcase /g)).toHaveLength(2);
    expect(existsSync(join(cwd, '.split-tests', 'history.json'))).toBe(false);
  });
});
