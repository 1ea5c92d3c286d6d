import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { lines, makeTempDir, removeTempDirs, repoRoot, runCli, writeFiles } from './helpers.js';

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

async function allShopFiles(): Promise<string[]> {
  const result = await runCli(['--shard', '1/1', GLOB], { cwd: shop });
  expect(result.exitCode).toBe(0);
  return lines(result.stdout);
}

async function shardLists(total: number, args: readonly string[], cwd: string, env?: Record<string, string>): Promise<string[][]> {
  const results = await Promise.all(
    Array.from({ length: total }, (_, i) => runCli(['--shard', `${i + 1}/${total}`, ...args], { cwd, ...(env ? { env } : {}) })),
  );
  return results.map((r) => {
    expect(r.exitCode, r.stderr).toBe(0);
    return lines(r.stdout);
  });
}

describe('split-tests --shard K/N on the shop fixture', () => {
  it('prints only file paths on stdout, sorted, normalised, and narrates on stderr', async () => {
    const result = await runCli(['--shard', '2/4', GLOB], { cwd: shop });
    expect(result.exitCode).toBe(0);
    const files = lines(result.stdout);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^tests\/[a-z-]+\/[a-z-]+\.test\.ts$/);
    expect([...files].sort()).toEqual(files);
    expect(result.stderr).toMatch(/no timings given.*splitting by file count/);
    expect(result.stderr).toMatch(/shard 2\/4/);
  });

  it.each([1, 3, 4, 7])('N=%i: the shards are disjoint and together hold every file', async (total) => {
    const all = await allShopFiles();
    expect(all).toHaveLength(24);
    const shards = await shardLists(total, [GLOB], shop);
    const union = shards.flat();
    expect(new Set(union).size).toBe(union.length);
    expect([...union].sort()).toEqual([...all].sort());
  });

  it('with more shards than files, an empty shard prints nothing and says so on stderr', async () => {
    const result = await runCli(['--shard', '30/30', GLOB], { cwd: shop });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/shard 30\/30 is empty/);
  });

  it('--json prints the shard as one JSON document', async () => {
    const result = await runCli(['--shard', '3/4', '--json', GLOB], { cwd: shop });
    expect(result.exitCode).toBe(0);
    const doc = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(doc).sort()).toEqual(['estimatedSeconds', 'files', 'fingerprint', 'index', 'schemaVersion', 'total']);
    expect(doc).toMatchObject({ schemaVersion: 1, index: 3, total: 4 });
    const plain = await runCli(['--shard', '3/4', GLOB], { cwd: shop });
    expect(doc['files']).toEqual(lines(plain.stdout));
    expect(typeof doc['fingerprint']).toBe('string');
  });

  it('--group-by-dir 2 keeps each feature folder on one shard when it fits, and splits the one that does not', async () => {
    const shards = await shardLists(4, ['--group-by-dir', '2', GLOB], shop);
    const folderShards = new Map<string, Set<number>>();
    shards.forEach((files, s) => {
      for (const file of files) {
        const folder = file.split('/').slice(0, 2).join('/');
        folderShards.set(folder, (folderShards.get(folder) ?? new Set()).add(s));
      }
    });
    // 24 files by count over 4 shards: a fair share is 6 files. accounts (6), catalog (6) and
    // search (5) fit and stay whole; checkout (7) does not, and is split over as few shards as a
    // balanced split allows: two, so that every shard runs 6 files.
    for (const [folder, set] of folderShards) expect(set.size, folder).toBe(folder === 'tests/checkout' ? 2 : 1);
    expect(shards.map((files) => files.length)).toEqual([6, 6, 6, 6]);
  });
});

describe('file lists and timings in another order give the same plan', () => {
  it('--files-from in any order, from a file or stdin', async () => {
    const all = await allShopFiles();
    const dir = makeTempDir();
    writeFiles(dir, {
      'forward.txt': all.join('\n') + '\n',
      'backward.txt': '# reversed, with blanks and a comment\n\n' + [...all].reverse().map((f) => `./${f}`).join('\r\n') + '\n',
    });
    const timings = Object.fromEntries(all.map((f, i) => [f, 1 + ((i * 7) % 11)]));
    writeFiles(dir, { 't.json': JSON.stringify(timings) });
    const a = await runCli(['--shard', '2/3', '--json', '--files-from', 'forward.txt', '--timings', 't.json'], { cwd: dir });
    const b = await runCli(['--shard', '2/3', '--json', '--files-from', 'backward.txt', '--timings', 't.json'], { cwd: dir });
    const c = await runCli(['--shard', '2/3', '--json', '--files-from', '-', '--timings', 't.json'], {
      cwd: dir,
      input: [...all].sort(() => -1).join('\n'),
    });
    expect(a.exitCode, a.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).toBe(a.stdout);
  });

  it('several --timings sources in any order', async () => {
    const all = await allShopFiles();
    const dir = makeTempDir();
    writeFiles(dir, {
      'list.txt': all.join('\n'),
      'runs/2024-01.json': JSON.stringify(Object.fromEntries(all.map((f, i) => [f, 1 + (i % 5)]))),
      'runs/2024-02.json': JSON.stringify(Object.fromEntries(all.map((f, i) => [f, 2 + ((i * 3) % 7)]))),
      'runs/2024-03.json': JSON.stringify(Object.fromEntries(all.slice(3).map((f, i) => [f, 1 + ((i * 5) % 9)]))),
    });
    const order1 = ['runs/2024-01.json', 'runs/2024-02.json', 'runs/2024-03.json'];
    const order2 = ['runs/2024-03.json', 'runs/2024-01.json', 'runs/2024-02.json'];
    const run = (order: string[]) =>
      runCli(['plan', '--shards', '4', '--json', '--files-from', 'list.txt', ...order.flatMap((t) => ['--timings', t])], { cwd: dir });
    const [p1, p2, p3] = await Promise.all([run(order1), run(order2), run(['runs/*.json'])]);
    expect(p1.exitCode, p1.stderr).toBe(0);
    expect(p2.stdout).toBe(p1.stdout);
    expect(p3.stdout).toBe(p1.stdout);
  });
});

describe('shard from the environment', () => {
  it.each([
    ['SPLIT_TESTS_SHARD', { SPLIT_TESTS_SHARD: '2/4' }],
    ['GitLab, 1-based', { CI_NODE_INDEX: '2', CI_NODE_TOTAL: '4' }],
    ['CircleCI, 0-based', { CIRCLE_NODE_INDEX: '1', CIRCLE_NODE_TOTAL: '4' }],
    ['Buildkite, 0-based', { BUILDKITE_PARALLEL_JOB: '1', BUILDKITE_PARALLEL_JOB_COUNT: '4' }],
    ['Azure Pipelines, 1-based', { SYSTEM_JOBPOSITIONINPHASE: '2', SYSTEM_TOTALJOBSINPHASE: '4' }],
    ['Semaphore, 1-based', { SEMAPHORE_JOB_INDEX: '2', SEMAPHORE_JOB_COUNT: '4' }],
    ['Bitbucket, 0-based', { BITBUCKET_PARALLEL_STEP: '1', BITBUCKET_PARALLEL_STEP_COUNT: '4' }],
  ])('%s gives shard 2/4', async (_name, env) => {
    const expected = await runCli(['--shard', '2/4', GLOB], { cwd: shop });
    const result = await runCli([GLOB], { cwd: shop, env });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe(expected.stdout);
  });

  it('--shard wins over the environment', async () => {
    const expected = await runCli(['--shard', '1/4', GLOB], { cwd: shop });
    const result = await runCli(['--shard', '1/4', GLOB], { cwd: shop, env: { CI_NODE_INDEX: '3', CI_NODE_TOTAL: '4' } });
    expect(result.stdout).toBe(expected.stdout);
  });

  it('with neither, exits 2 and says how to pass the shard', async () => {
    const result = await runCli([GLOB], { cwd: shop });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^split-tests: no shard given/);
    expect(result.stderr).toMatch(/hint: .*--shard K\/N.*SPLIT_TESTS_SHARD/);
  });
});

describe('bad input exits 2 with one line naming the culprit', () => {
  it.each([
    [['--shard', '5/4', GLOB], /^split-tests: --shard 5\/4: shard index must be between 1 and 4\n/],
    [['--shard', '0/4', GLOB], /^split-tests: --shard 0\/4: .*between 1 and 4\n/],
    [['--shard', 'a/b', GLOB], /^split-tests: --shard a\/b: expected K\/N/],
    [['--shard', '1/4', '--bogus', GLOB], /^split-tests: unknown option --bogus\n/],
    [['--bogus'], /^split-tests: unknown option --bogus\n/],
    [['--shard', '1/4', 'nothing/**/*.test.ts'], /^split-tests: no test files found/],
    [['--shard', '1/4', '--files-from', 'missing.txt'], /^split-tests: --files-from missing\.txt: file not found/],
    [['--shard'], /^split-tests: --shard needs a value/],
    [['--shard', '1/2', '--shard', '2/2', GLOB], /^split-tests: --shard was given 2 times: 1\/2, 2\/2\n/],
  ])('%j', async (args, pattern) => {
    const result = await runCli(args, { cwd: shop });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).toMatch(/\nhint: /);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
  });

  it('an empty --files-from list is an error', async () => {
    const result = await runCli(['--shard', '1/2', '--files-from', '-'], { cwd: shop, input: '\n# nothing here\n' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/no test files found/);
  });

  it('a malformed timings file names the file and position', async () => {
    const dir = makeTempDir();
    writeFiles(dir, { 'a.test.ts': '', 'bad.json': '{\n  "a.test.ts": 1.5,\n  "b.test.ts": \n}\n' });
    const result = await runCli(['--shard', '1/2', '--timings', 'bad.json', '*.test.ts'], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^split-tests: bad\.json:\d+:\d+/);
  });

  it('a timings glob that matches nothing warns and splits by count', async () => {
    const result = await runCli(['--shard', '1/4', '--timings', 'reports/**/*.xml', GLOB], { cwd: shop });
    expect(result.exitCode).toBe(0);
    expect(lines(result.stdout)).toHaveLength(6);
    expect(result.stderr).toMatch(/warning: .*reports\/\*\*\/\*\.xml.*/);
    expect(result.stderr).toMatch(/split(ting)? by (file )?count/);
  });

  it('a bad config file is reported with its key', async () => {
    const dir = makeTempDir();
    writeFiles(dir, { 'a.test.ts': '', 'split-tests.config.json': JSON.stringify({ tests: ['*.test.ts'], shard: 2 }) });
    const result = await runCli(['--shard', '1/2'], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^split-tests: split-tests\.config\.json: unknown key "shard"; did you mean "shards"\?/);
  });
});

describe('config file', () => {
  it('supplies tests, ignore, timings and groups', async () => {
    const dir = makeTempDir();
    writeFiles(dir, {
      'spec/a/one.spec.ts': '',
      'spec/a/two.spec.ts': '',
      'spec/b/three.spec.ts': '',
      'spec/b/four.spec.ts': '',
      'spec/skip/five.spec.ts': '',
      'timings.json': JSON.stringify({ 'spec/a/one.spec.ts': 10, 'spec/a/two.spec.ts': 1, 'spec/b/three.spec.ts': 5, 'spec/b/four.spec.ts': 5 }),
      'package.json': JSON.stringify({
        name: 'x',
        'split-tests': { tests: ['spec/**/*.spec.ts'], ignore: ['spec/skip/**'], timings: ['timings.json'], groups: { alpha: ['spec/a/**'] } },
      }),
    });
    const [one, two] = await shardLists(2, [], dir);
    expect([...one!, ...two!].sort()).toEqual(['spec/a/one.spec.ts', 'spec/a/two.spec.ts', 'spec/b/four.spec.ts', 'spec/b/three.spec.ts']);
    const alphaShard = one!.includes('spec/a/one.spec.ts') ? one! : two!;
    expect(alphaShard).toContain('spec/a/two.spec.ts');
  });
});

describe('the shop fixture with its own config', () => {
  it('takes tests, ignore and groups from split-tests.config.json: every file once over 4 shards', async () => {
    const shards = await shardLists(4, [], realShop);
    const union = shards.flat();
    expect(union).toHaveLength(24);
    expect(new Set(union).size).toBe(24);
    for (const file of union) expect(file).toMatch(/^tests\/(accounts|catalog|checkout|search)\//);
  });
});
