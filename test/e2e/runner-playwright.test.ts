import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runCli } from './helpers.js';
import { runnerFlow, selectedRun, testIds } from './runner-flow.js';

afterAll(removeTempDirs);

const HOSTILE = 'tests/nested/deep/hostile.spec.js';
const FILES = ['tests/cart.spec.js', HOSTILE, 'tests/search/query.spec.js'];

/** The test files a history keys, sorted. */
function historyFiles(path: string): string[] {
  return Object.keys((JSON.parse(readFileSync(path, 'utf8')) as { files: Record<string, unknown> }).files).sort();
}

describe('--runner playwright against the real Playwright test runner (no browser)', () => {
  it('plan, run both shards, merge complete, record, plan again from the history; select and exclude tests by id', { timeout: 120_000 }, async () => {
    const { dir, cases } = await runnerFlow('playwright', { files: FILES, tests: 11 });
    // playwright names the file relative to its testDir
    const ids = await testIds('playwright', cases, (c) => c.classname === 'nested/deep/hostile.spec.js');
    expect(ids).toHaveLength(6);
    const picked = ['hostile › prefix', 'hostile › regex .*+?^${}()|[]\\ chars', `hostile › quotes "double" and 'single'`];
    expect(await selectedRun('playwright', dir, HOSTILE, picked)).toEqual([...picked].sort());
    expect(await selectedRun('playwright', dir, HOSTILE, picked, { exclude: true })).toEqual(ids.filter((id) => !picked.includes(id)));
    // a slice whose tests were all deleted since the history: nothing runs, and that is no failure
    expect(await selectedRun('playwright', dir, HOSTILE, ['hostile › deleted since'])).toEqual([]);

    // record and merge --record without --runner: the reports are recognisably playwright's and its
    // config is here, so they are keyed by the real paths, not by paths from testDir
    const reports = ['reports/junit-1.xml', 'reports/junit-2.xml'];
    const recorded = await runCli(['record', ...reports, '--history', 'plain.json'], { cwd: dir });
    expect(recorded.exitCode, recorded.stderr).toBe(0);
    expect(recorded.stderr).toContain("reports/junit-1.xml is playwright's own JUnit, which names test files relative to its testDir: keyed by the test files --runner playwright finds (playwright.config.js is here)");
    expect(historyFiles(join(dir, 'plain.json'))).toEqual(FILES);
    mkdirSync(join(dir, 'bare'));
    for (const report of reports) cpSync(join(dir, report), join(dir, 'bare', report.slice('reports/'.length)));
    const merged = await runCli(['merge', 'bare', '--output', 'merged-bare.xml', '--record', '--history', 'merged.json'], { cwd: dir });
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(historyFiles(join(dir, 'merged.json'))).toEqual(FILES);

    // without the config the paths cannot be resolved: one line naming the fix
    rmSync(join(dir, 'playwright.config.js'));
    const blind = await runCli(['record', ...reports, '--history', 'blind.json'], { cwd: dir });
    expect(blind.exitCode, blind.stderr).toBe(0);
    expect(blind.stderr).toContain(
      "split-tests: warning: reports/junit-1.xml is playwright's own JUnit, which names test files relative to its testDir, and no playwright.config.ts is here: recorded as it names them; pass --runner playwright (or \"runner\" in the config) from the folder of its config\n",
    );
  });
});
