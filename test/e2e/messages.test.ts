import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, repoRoot, runCli, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

const REPORT = '<testsuites><testsuite name="s"><testcase classname="t/a.test.ts" name="x" time="1"/></testsuite></testsuites>';

describe('messages a user can act on', () => {
  it("--version prints split-tests' own version, not the project's", async () => {
    const cwd = makeTempDir();
    writeFiles(cwd, { 'package.json': JSON.stringify({ name: 'my-app', version: '1.0.0' }) });
    const own = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const result = await runCli(['--version'], { cwd });
    expect(result).toMatchObject({ exitCode: 0, stdout: `${own}\n` });
  });

  it('an --output that cannot be written is one line naming the path, for every command, and nothing is left behind', async () => {
    const cwd = makeTempDir();
    writeFiles(cwd, { 't/a.test.ts': '', 't/b.test.ts': '', 'blocker': 'a file where a folder is expected', 'r.xml': REPORT });
    const record = await runCli(['record', 'r.xml', '--history', 'h.json'], { cwd });
    expect(record.exitCode).toBe(0);
    const cases: [string[], string][] = [
      [['plan', '--shards', '2', 't/*.ts', '--output', 'blocker/x/plan.json'], '--output blocker/x/plan.json: blocker is a file, not a folder'],
      [['plan', '--shards', '2', 't/*.ts', '--output', 't'], '--output t: is a folder'],
      [['report', '--history', 'h.json', '--output', 'blocker/r.txt'], '--output blocker/r.txt: blocker is a file, not a folder'],
      [['record', 'r.xml', '--history', 'blocker/h.json'], 'blocker/h.json.lock: blocker is a file, not a folder'],
      [['pipeline', 'init', '--ci', 'gitlab', '--shards', '2', '--output', 'blocker/ci.yml'], '--output blocker/ci.yml: blocker is a file, not a folder'],
      [['pipeline', 'run', '--shards', '2', 't/*.ts', '--junit', 'blocker/j-{shard}.xml', '--', 'true'], 'blocker/plan.json (the --junit folder): blocker is a file, not a folder'],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { cwd });
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(`split-tests: ${message}\nhint: `);
      expect(result.stderr).not.toMatch(/internal error|    at /);
    }
    expect(readdirSync(join(cwd, 't')).sort()).toEqual(['a.test.ts', 'b.test.ts']);
  });

  it('a mistyped command or flag gets a "did you mean"', async () => {
    const cwd = makeTempDir();
    writeFiles(cwd, { 't/a.test.ts': '' });
    const command = await runCli(['plam', '--shards', '2', 't/*.ts'], { cwd });
    expect(command).toMatchObject({ exitCode: 2, stdout: '' });
    expect(command.stderr).toMatch(/^split-tests: unknown command 'plam' \(did you mean 'plan'\?\)\n/);
    const flag = await runCli(['--shrad', '1/2', 't/*.ts'], { cwd });
    expect(flag.stderr).toMatch(/^split-tests: unknown option --shrad \(did you mean --shard\?\)\n/);
    const wrongCommand = await runCli(['plan', '--shard', '2', 't/*.ts'], { cwd });
    expect(wrongCommand.stderr).toMatch(/^split-tests: unknown option --shard \(did you mean --shards\?\)\n/);
  });

  it('record takes over at once the lock of a record killed with SIGKILL, and says so', async () => {
    const cwd = makeTempDir();
    writeFiles(cwd, { 'r.xml': REPORT });
    // a real process, killed: its pid is what a killed record leaves in the lock
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    writeFiles(cwd, { '.split-tests/history.json.lock': `${child.pid}\n` });
    const result = await runCli(['record', 'r.xml', '--run-id', 'after-kill'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`warning: .split-tests/history.json.lock: took over the lock of process ${child.pid}, which is no longer running`);
    expect(existsSync(join(cwd, '.split-tests/history.json.lock'))).toBe(false);
    expect(readFileSync(join(cwd, '.split-tests/history.json'), 'utf8')).toContain('after-kill');
  });
});
