import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lines, makeTempDir, removeTempDirs, repoRoot, runCli, sharedTimings, writeFiles } from './helpers.js';

const realShop = join(repoRoot, 'fixtures', 'shop');
// The shop's own config (groups, a history written by the demo) would make these tests depend on
// whether the demo ran; they use a copy of its test files without the config instead.
let shop = '';
beforeAll(() => {
  shop = makeTempDir();
  cpSync(join(realShop, 'tests'), join(shop, 'tests'), { recursive: true });
});
const GLOB = 'tests/**/*.test.ts';

afterAll(removeTempDirs);

interface PlanJson {
  schemaVersion: number;
  shardCount: number;
  shards: { index: number; files: string[]; estimatedSeconds: number; groups: string[]; fileSeconds: number[] }[];
  estimatedTotalSeconds: number;
  lowerBoundSeconds: number;
  fingerprint: string;
  estimatedFiles: number;
  splitGroups: string[];
}

async function planJson(args: readonly string[], cwd: string): Promise<{ plan: PlanJson; stdout: string; stderr: string }> {
  const result = await runCli(['plan', '--json', ...args], { cwd });
  expect(result.exitCode, result.stderr).toBe(0);
  return { plan: JSON.parse(result.stdout) as PlanJson, stdout: result.stdout, stderr: result.stderr };
}

describe('plan --json', () => {
  it('prints one JSON document in the DESIGN.md shape', async () => {
    const { plan, stdout } = await planJson(['--shards', '4', GLOB], shop);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(plan.schemaVersion).toBe(1);
    expect(plan.shards).toHaveLength(4);
    plan.shards.forEach((shard, i) => {
      expect(shard.index).toBe(i + 1);
      expect(typeof shard.estimatedSeconds).toBe('number');
      // one estimate per file, beside it; they add up to the shard's estimate
      expect(shard.fileSeconds).toHaveLength(shard.files.length);
      expect(shard.fileSeconds.reduce((a, b) => a + b, 0)).toBeCloseTo(shard.estimatedSeconds, 2);
    });
    for (const key of ['estimatedTotalSeconds', 'lowerBoundSeconds', 'estimatedFiles']) expect(typeof plan[key as keyof PlanJson]).toBe('number');
    expect(plan.fingerprint).toMatch(/^[0-9a-f]{16,}$/);
    const files = plan.shards.flatMap((s) => s.files);
    expect(files).toHaveLength(24);
    expect(new Set(files).size).toBe(24);
    expect(plan.estimatedFiles).toBe(24); // no timings at all: every file is estimated
  });

  it('agrees with split-tests --shard K/N shard for shard', async () => {
    const { plan } = await planJson(['--shards', '3', GLOB], shop);
    for (const shard of plan.shards) {
      const result = await runCli(['--shard', `${shard.index}/3`, GLOB], { cwd: shop });
      expect(lines(result.stdout)).toEqual(shard.files);
    }
  });

  it('--output writes the same plan atomically, and the table still goes to stdout', async () => {
    const dir = makeTempDir();
    const { plan } = await planJson(['--shards', '2', GLOB], shop);
    const out = join(dir, 'nested', 'plan.json');
    const result = await runCli(['plan', '--shards', '2', '--output', out, GLOB], { cwd: shop });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(plan);
    expect(result.stdout).toMatch(/^shard\s+files\s+estimated\s+load\n/);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['plan.json']); // no temporary file left behind
  });

  it('takes the shard count from the config', async () => {
    const dir = makeTempDir();
    writeFiles(dir, { 'a.test.ts': '', 'b.test.ts': '', 'c.test.ts': '', 'split-tests.config.json': JSON.stringify({ tests: ['*.test.ts'], shards: 3 }) });
    const { plan } = await planJson([], dir);
    expect(plan.shards.map((s) => s.files)).toEqual([['a.test.ts'], ['b.test.ts'], ['c.test.ts']]);
  });
});

describe('plan as a table', () => {
  it('shows each shard with files, estimate and a bar, and the balance', async () => {
    const result = await runCli(['plan', '--shards', '4', GLOB], { cwd: shop });
    expect(result.exitCode).toBe(0);
    const rows = result.stdout.split('\n');
    expect(rows[0]).toMatch(/^shard\s+files\s+estimated\s+load$/);
    for (let k = 1; k <= 4; k++) expect(rows[k]).toMatch(new RegExp(`^\\s*${k}\\s+6\\s+\\S+ s\\s+[█░]+\\s+\\d+%$`));
    expect(result.stdout).toMatch(/slowest \/ lower bound: 1\.000/);
    expect(result.stdout).toMatch(/estimated files \(no timings\): 24/);
    expect(result.stdout).toMatch(/unmapped timings: 0/);
    expect(result.stdout).toMatch(/split groups: none/);
  });
});

describe('plan: bad input', () => {
  it.each([
    [['plan', GLOB], /^split-tests: plan: the number of shards is missing\n/],
    [['plan', '--shards', 'x', GLOB], /^split-tests: --shards "x": must be a whole number ≥ 1\n/],
    [['plan', '--shards', '0', GLOB], /^split-tests: --shards "0": must be a whole number ≥ 1\n/],
    [['plan', '--shards', '2', '--bogus', GLOB], /^split-tests: unknown option --bogus\n/],
    [['plan', '--shards', '2', '--group-by-dir', '0', GLOB], /^split-tests: --group-by-dir 0: depth must be a whole number ≥ 1\n/],
  ])('%j exits 2', async (args, pattern) => {
    const result = await runCli(args, { cwd: shop });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(pattern);
  });
});

describe('plan on the real histories in ../shared/data/timings', () => {
  const project = 'identity-idp';
  const versions = readdirSync(join(sharedTimings, project)).filter((f) => f.endsWith('.json')).sort();
  const next = versions[6]!;
  const earlier = versions.slice(1, 6).map((v) => join(sharedTimings, project, v));
  const nextTimes = JSON.parse(readFileSync(join(sharedTimings, project, next), 'utf8')) as Record<string, number>;
  const files = Object.keys(nextTimes).map((f) => f.replace(/^\.?\//, ''));

  it('plans version t+1 from versions up to t: every file once, same plan for any timings order', async () => {
    const dir = makeTempDir();
    writeFiles(dir, { 'files.txt': files.join('\n') + '\n' });
    const forward = await planJson(['--shards', '8', '--files-from', 'files.txt', ...earlier.flatMap((t) => ['--timings', t])], dir);
    const backward = await planJson(['--shards', '8', '--files-from', 'files.txt', ...[...earlier].reverse().flatMap((t) => ['--timings', t])], dir);
    expect(backward.stdout).toBe(forward.stdout);
    const plan = forward.plan;
    const planned = plan.shards.flatMap((s) => s.files);
    expect(planned).toHaveLength(new Set(files).size);
    expect(new Set(planned)).toEqual(new Set(files));
    // the estimates rest on the history: most files are known, and the split is near the lower bound
    expect(plan.estimatedFiles).toBeLessThan(files.length / 2);
    const slowest = Math.max(...plan.shards.map((s) => s.estimatedSeconds));
    expect(slowest / plan.lowerBoundSeconds).toBeLessThan(1.02);
  });
});

describe('plan from JUnit reports', () => {
  function junit(cases: [file: string, seconds: number][]): string {
    const bySuite = new Map<string, [string, number][]>();
    for (const c of cases) bySuite.set(c[0], [...(bySuite.get(c[0]) ?? []), c]);
    const suites = [...bySuite].map(
      ([file, list]) =>
        `  <testsuite name="${file}" timestamp="2026-01-02T03:04:05Z" tests="${list.length}" time="${list.reduce((a, c) => a + c[1], 0)}">\n` +
        list.map(([f, t], i) => `    <testcase classname="${f}" name="case ${i}" time="${t}"/>`).join('\n') +
        '\n  </testsuite>',
    );
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="vitest tests">\n${suites.join('\n')}\n</testsuites>\n`;
  }

  it('maps testcases to files, counts what it could not map, and estimates the rest', async () => {
    const dir = makeTempDir();
    cpSync(join(realShop, 'tests'), join(dir, 'tests'), { recursive: true });
    writeFiles(dir, {
      'reports/shard-1.xml': junit([
        ['tests/checkout/taxes.test.ts', 20],
        ['tests/checkout/taxes.test.ts', 10],
        ['tests/search/keyword.test.ts', 3],
        ['tests/removed/old.test.ts', 4],
      ]),
      'reports/shard-2.xml': junit([['tests/catalog/pricing.test.ts', 5]]),
    });
    const { plan, stderr } = await planJson(['--shards', '3', '--timings', 'reports/*.xml', GLOB], dir);
    expect(plan.estimatedFiles).toBe(21);
    const estimates = new Map(plan.shards.flatMap((s) => s.files.map((f, i) => [f, s.fileSeconds[i]] as const)));
    expect(estimates.size).toBe(24);
    expect(estimates.get('tests/checkout/taxes.test.ts')).toBe(30); // cases of one file summed within the run
    expect(stderr).toMatch(/21 of 24 test files have no timings/);
    const table = await runCli(['plan', '--shards', '3', '--timings', 'reports/*.xml', GLOB], { cwd: dir });
    expect(table.stdout).toMatch(/estimated files \(no timings\): 21; unmapped timings: [1-9]/);
  });

  it('a malformed report exits 2 naming the file, line and column', async () => {
    const dir = makeTempDir();
    cpSync(join(realShop, 'tests'), join(dir, 'tests'), { recursive: true });
    writeFiles(dir, { 'bad.xml': '<?xml version="1.0"?>\n<testsuites>\n  <testsuite name="x">\n    <testcase name="a" time="1">\n</testsuites>\n' });
    const result = await runCli(['plan', '--shards', '2', '--timings', 'bad.xml', GLOB], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^split-tests: bad\.xml:\d+:\d+: /);
  });
});

describe('plan with feature groups', () => {
  it('keeps a group whole when it fits, and names a group that had to be split', async () => {
    const dir = makeTempDir();
    const files: Record<string, string> = {};
    const times: Record<string, number> = {};
    for (let i = 0; i < 6; i++) {
      files[`spec/big/f${i}_spec.rb`] = '';
      times[`spec/big/f${i}_spec.rb`] = 10;
    }
    for (let i = 0; i < 3; i++) {
      files[`spec/small/g${i}_spec.rb`] = '';
      times[`spec/small/g${i}_spec.rb`] = 4;
    }
    writeFiles(dir, {
      ...files,
      'timings.json': JSON.stringify(times),
      'split-tests.config.json': JSON.stringify({
        tests: ['spec/**/*_spec.rb'],
        timings: ['timings.json'],
        groups: { big: ['spec/big/**'], small: ['spec/small/**'] },
      }),
    });
    // 72 s over 2 shards: the fair share is 36 s, so "big" (60 s) must be split and "small" (12 s) not
    const { plan } = await planJson(['--shards', '2'], dir);
    expect(plan.splitGroups).toEqual(['big']);
    const smallShards = plan.shards.filter((s) => s.files.some((f) => f.startsWith('spec/small/')));
    expect(smallShards).toHaveLength(1);
    const table = await runCli(['plan', '--shards', '2'], { cwd: dir });
    expect(table.stdout).toMatch(/split groups: big\n/);
  });

  it('says what keeping groups whole costs when they hold the balance back, and how to lower it', async () => {
    const dir = makeTempDir();
    const times: Record<string, number> = {};
    const files: Record<string, string> = {};
    for (const area of ['a', 'b', 'c', 'd', 'e']) {
      for (const n of [1, 2]) {
        times[`spec/${area}/${n}_spec.rb`] = 5;
        files[`spec/${area}/${n}_spec.rb`] = '';
      }
    }
    writeFiles(dir, { ...files, 'timings.json': JSON.stringify(times) });
    // 5 groups of 10 s on 4 shards: each fits a fair share (12.5 s), so two share a shard (20 s);
    // the 10 files alone split 15/15/10/10
    const table = await runCli(['plan', '--shards', '4', '--group-by-dir', '2', '--timings', 'timings.json', 'spec/**/*_spec.rb'], { cwd: dir });
    expect(table.exitCode, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/keeping feature groups together costs 33\.3%: without groups the slowest shard would be 15 s; deeper folders make smaller groups \(--group-by-dir 3\)\n/);
    // balanced groups: no such line
    const even = await runCli(['plan', '--shards', '5', '--group-by-dir', '2', '--timings', 'timings.json', 'spec/**/*_spec.rb'], { cwd: dir });
    expect(even.stdout).not.toMatch(/keeping feature groups/);
  });
});
