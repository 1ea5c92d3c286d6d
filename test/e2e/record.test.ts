import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, runCli } from './helpers.js';

// true seconds per test file; a perfect 2-way split is 18 s + 18 s
const SECONDS: Record<string, number> = {
  'tests/cart/add.test.ts': 10,
  'tests/cart/remove.test.ts': 8,
  'tests/checkout/pay.test.ts': 6,
  'tests/checkout/ship.test.ts': 5,
  'tests/search/query.test.ts': 4,
  'tests/search/filter "quoted" & $(x).test.ts': 3,
};
const FILES = Object.keys(SECONDS);

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/** A vitest-shaped JUnit report: one suite per file, named by its path, two cases each. */
function junit(files: string[], scale: number, timestamp: string, failing?: string): string {
  const suites = files.map((file) => {
    const half = (SECONDS[file]! * scale) / 2;
    const cases = ['first', 'second']
      .map((name) => {
        const failure = file === failing && name === 'second' ? '<failure message="boom">expected 1 to be 2</failure>' : '';
        return `<testcase classname="${xmlEscape(file)}" name="${name}" time="${half.toFixed(3)}">${failure}</testcase>`;
      })
      .join('');
    return `<testsuite name="${xmlEscape(file)}" tests="2" timestamp="${timestamp}" time="${(half * 2).toFixed(3)}">${cases}</testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="vitest tests">${suites.join('')}</testsuites>\n`;
}

function write(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

describe('split-tests record (built CLI)', () => {
  let cwd: string;
  beforeAll(() => {
    if (!existsSync(cliPath)) throw new Error(`build first: ${cliPath} is missing (npx tsc -p .)`);
    cwd = mkdtempSync(join(tmpdir(), 'split-tests-record-'));
    for (const file of FILES) write(cwd, file, 'export {};\n');
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('records three runs, then plan uses the history for a balanced split', async () => {
    // runs split by count (3 + 3 files), the second shard's runner sharing its CPU in run 2
    const shardFiles = [FILES.slice(0, 3), FILES.slice(3)];
    for (const run of [1, 2, 3]) {
      const scale = run === 2 ? 1.1 : 1;
      shardFiles.forEach((files, s) => {
        const report = `reports/run-${run}/shard-${s + 1}.xml`;
        const measuredScale = run === 2 && s === 1 ? scale * 3 : scale;
        write(cwd, report, junit(files, measuredScale, `2026-05-0${run}T10:00:00`, run === 3 && s === 0 ? FILES[0] : undefined));
        const wallSeconds = files.reduce((sum, f) => sum + SECONDS[f]! * scale, 0);
        write(
          cwd,
          `${report}.split-tests.json`,
          JSON.stringify({ schemaVersion: 1, index: s + 1, total: 2, fingerprint: `plan-${run}`, files, estimatedSeconds: 18, wallSeconds, exitCode: 0, startedAt: `2026-05-0${run}T10:00:00.000Z` }),
        );
      });
      const result = await runCli(['record', `reports/run-${run}`], { cwd, env: { GITHUB_RUN_ID: String(1000 + run), GITHUB_RUN_ATTEMPT: '1' } });
      expect(result.stderr).toMatch(new RegExp(`^split-tests: recorded run github-${1000 + run}-1: 6 files, [\\d.]+s over 2 shards`, 'm'));
      expect(result.stdout).toBe('');
      expect(result.exitCode).toBe(0);
      if (run === 2) expect(result.stderr).toContain('1 shard corrected for parallel contention');
    }
    const history = JSON.parse(readFileSync(join(cwd, '.split-tests/history.json'), 'utf8')) as {
      version: number;
      runs: { id: string; failedFiles: string[]; totalSeconds: number }[];
      files: Record<string, { run: string; seconds: number }[]>;
    };
    expect(history.version).toBe(3);
    expect(history.runs.map((r) => r.id)).toEqual(['github-1001-1', 'github-1002-1', 'github-1003-1']);
    expect(history.runs[2]?.failedFiles).toEqual([FILES[0]]);
    // the contention in run 2 was taken out: its samples are the true times x 1.1, not x 3.3
    expect(history.files['tests/search/query.test.ts']?.map((s) => s.seconds)).toEqual([4, 4.4, 4]);
    expect(Object.keys(history.files).sort()).toEqual([...FILES].sort());

    const plan = await runCli(['plan', '--shards', '2', '--timings', '.split-tests/history.json', '--json', 'tests/**/*.test.ts'], { cwd });
    expect(plan.stderr).toBe('');
    expect(plan.exitCode).toBe(0);
    const parsed = JSON.parse(plan.stdout) as { shards: { files: string[]; estimatedSeconds: number }[]; estimatedFiles: number; lowerBoundSeconds: number };
    expect(parsed.estimatedFiles).toBe(0);
    const trueLoads = parsed.shards.map((s) => s.files.reduce((sum, f) => sum + SECONDS[f]!, 0));
    expect(trueLoads.sort()).toEqual([18, 18]);

    // nothing named: the history record wrote is the default source, said on stderr
    const implicit = await runCli(['plan', '--shards', '2', '--json', 'tests/**/*.test.ts'], { cwd });
    expect(implicit.exitCode).toBe(0);
    expect(implicit.stderr).toMatch(/no timings given: planning from the history record writes, \.split-tests\/history\.json/);
    expect(JSON.parse(implicit.stdout)).toEqual(parsed);
  });

  it('prints one JSON document with --json and merges a re-recorded run id', async () => {
    const first = await runCli(['record', 'reports/run-3/shard-1.xml', '--run-id', 'manual', '--history', 'h.json', '--json'], { cwd });
    expect(first.exitCode).toBe(0);
    const doc = JSON.parse(first.stdout) as { schemaVersion: number; history: string; runIdSource: string; run: { id: string; fileCount: number; shards: unknown[] }; runsKept: number };
    expect(doc).toMatchObject({ schemaVersion: 1, history: 'h.json', runIdSource: '--run-id', runsKept: 1, run: { id: 'manual', fileCount: 3 } });
    const second = await runCli(['record', 'reports/run-3/shard-2.xml', '--run-id', 'manual', '--history', 'h.json', '--json'], { cwd });
    const again = JSON.parse(second.stdout) as typeof doc;
    expect(again.runsKept).toBe(1);
    expect(again.run.fileCount).toBe(6);
    expect(again.run.shards).toHaveLength(2);
  });

  it('maps class names to test files with --tests, so the history is keyed by paths', async () => {
    write(cwd, 'java/src/test/java/com/acme/CartTest.java', 'class CartTest {}');
    write(cwd, 'java/src/test/java/com/acme/PayTest.java', 'class PayTest {}');
    write(
      cwd,
      'java/target/surefire-reports/TEST-com.acme.CartTest.xml',
      '<?xml version="1.0"?><testsuite name="com.acme.CartTest" tests="2"><testcase classname="com.acme.CartTest" name="adds" time="1.5"/><testcase classname="com.acme.CartTest" name="empties" time="0.5"><failure message="x"/></testcase></testsuite>',
    );
    write(cwd, 'java/target/surefire-reports/TEST-com.acme.Lost.xml', '<testsuite name="com.acme.Lost"><testcase classname="com.acme.Lost" name="x" time="1"/></testsuite>');
    const result = await runCli(['record', 'target/surefire-reports', '--tests', 'src/test/java/**/*.java', '--run-id', 'j1', '--json'], { cwd: join(cwd, 'java') });
    expect(result.exitCode).toBe(0);
    const doc = JSON.parse(result.stdout) as { run: { failedFiles: string[]; fileCount: number }; unmappedCases: number };
    expect(doc.run).toMatchObject({ fileCount: 1, failedFiles: ['src/test/java/com/acme/CartTest.java'] });
    expect(doc.unmappedCases).toBe(1);
    expect(result.stderr).toContain('warning: 1 testcase could not be mapped to a test file (class com.acme.Lost)');
    const history = JSON.parse(readFileSync(join(cwd, 'java/.split-tests/history.json'), 'utf8')) as { files: Record<string, unknown> };
    expect(Object.keys(history.files)).toEqual(['src/test/java/com/acme/CartTest.java']);
  });

  it('fails with exit 2 and one line naming the problem', async () => {
    const none = await runCli(['record', 'nowhere/*.xml'], { cwd });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain("record: no JUnit reports found for 'nowhere/*.xml'");
    expect(none.stderr).toMatch(/^hint: /m);

    write(cwd, 'broken/report.xml', '<testsuites>\n<testsuite name="a">\n<testcase name="x"');
    const broken = await runCli(['record', 'broken/report.xml', '--history', 'b.json'], { cwd });
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toMatch(/^split-tests: broken\/report\.xml:\d+:\d+: /m);
    expect(existsSync(join(cwd, 'b.json'))).toBe(false);

    write(cwd, 'bad-history.json', '{"version": 1, "files": ');
    const badHistory = await runCli(['record', 'reports/run-1', '--history', 'bad-history.json'], { cwd });
    expect(badHistory.exitCode).toBe(2);
    expect(badHistory.stderr).toMatch(/^split-tests: bad-history\.json:1:25: malformed history file/m);
  });
});
