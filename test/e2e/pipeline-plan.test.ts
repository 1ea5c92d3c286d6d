import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lines, makeTempDir, removeTempDirs, runCli, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

/** 12 files in three feature folders; seconds chosen so the shard counts differ clearly. */
const seconds: Record<string, number> = {
  'tests/a/one.test.js': 120,
  'tests/a/two.test.js': 100,
  'tests/a/three.test.js': 90,
  'tests/b/four.test.js': 80,
  'tests/b/five.test.js': 60,
  'tests/b/six.test.js': 50,
  'tests/b/seven.test.js': 40,
  'tests/c/eight.test.js': 30,
  'tests/c/nine.test.js': 30,
  'tests/c/ten.test.js': 20,
  'tests/c/eleven.test.js': 20,
  'tests/c/twelve.test.js': 10,
};
const total = Object.values(seconds).reduce((a, b) => a + b, 0);

function project(config?: object, extra: Record<string, string> = {}): string {
  const dir = makeTempDir('split-tests-pipeline-');
  const files: Record<string, string> = { 'timings.json': JSON.stringify(seconds), ...extra };
  for (const file of Object.keys(seconds)) files[file] = '// test\n';
  if (config) files['split-tests.config.json'] = JSON.stringify(config);
  writeFiles(dir, files);
  return dir;
}

const baseConfig = { tests: ['tests/**/*.test.js'], timings: ['timings.json'] };

describe('split-tests pipeline plan', () => {
  it('recommends the count meeting the target at the least node-minutes, as one JSON document', async () => {
    const cwd = project({ ...baseConfig, pipeline: { nodeOverheadSeconds: 20, package: 'make image', packageSeconds: 200 } });
    const result = await runCli(['pipeline', 'plan', '--target', '4m', '--json'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(lines(result.stdout)).toHaveLength(1);
    const doc = JSON.parse(result.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.reason).toBe('target');
    expect(doc.targetSeconds).toBe(240);
    expect(doc.overhead).toEqual({ seconds: 20, source: 'config' });
    // independent check over the options: each is N overheads plus all test seconds
    for (const option of doc.options) {
      expect(option.nodeMinutes).toBeCloseTo((option.shards * 20 + total) / 60, 6);
      expect(option.testStageSeconds).toBeCloseTo(20 + option.makespanSeconds, 6);
      expect(option.meetsTarget).toBe(option.testStageSeconds <= 240);
      expect(option.makespanSeconds).toBeGreaterThanOrEqual(Math.max(120, total / option.shards) - 1e-9);
    }
    const meeting = doc.options.filter((o: any) => o.meetsTarget);
    const cheapest = Math.min(...meeting.map((o: any) => o.nodeMinutes));
    expect(doc.options.find((o: any) => o.shards === doc.recommendedShards).nodeMinutes).toBe(cheapest);
    // the plan of the recommended count holds every file once
    expect(doc.plan.shards).toHaveLength(doc.recommendedShards);
    expect(doc.plan.shards.flatMap((s: any) => s.files).sort()).toEqual(Object.keys(seconds).sort());
    // the configured pipeline: no build, no deploy; package beside the tests; merge after them
    expect(doc.stages.map((s: any) => s.name)).toEqual(['tests', 'package', 'merge']);
    const pack = doc.stages.find((s: any) => s.name === 'package');
    const tests = doc.stages.find((s: any) => s.name === 'tests');
    expect(pack.startSeconds).toBe(tests.startSeconds);
    expect(doc.timeline.length).toBeGreaterThan(0);
  });

  it('prints the options, the assumptions and the timeline for people', async () => {
    const cwd = project(baseConfig);
    const result = await runCli(['pipeline', 'plan', '--shards', '3'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Pipeline plan: 3 shards \(as asked\)/);
    expect(result.stdout).toMatch(/^>\s+3\s/m);
    // no pipeline section: the usual pipeline at default lengths, and it says so
    expect(result.stdout).toMatch(/package\s+2m 00s\s+default/);
    expect(result.stdout).toContain('Critical path: build -> ');
    expect(result.stdout).toMatch(/^shard 1\/3 \(tests\)\s+█/m);
    expect(result.stdout).toMatch(/^deploy\s+ *█/m);
    expect(result.stdout).not.toMatch(/\u001b\[/);
  });

  it('measures the per-node overhead from the history when the config does not set it', async () => {
    const history = {
      version: 1,
      files: {},
      runs: [1, 2, 3].map((i) => ({
        id: `r${i}`,
        time: `2026-01-0${i}T00:00:00Z`,
        shards: [
          { index: 1, files: 6, measuredSeconds: 100, wallSeconds: 100 + 10 * i },
          { index: 2, files: 6, measuredSeconds: 90, wallSeconds: 90 + 10 * i },
        ],
        totalSeconds: 190,
        fileCount: 12,
        largestFileSeconds: 120,
        added: [],
        removed: [],
        failedFiles: [],
        stages: { package: 40 + i },
      })),
    };
    const cwd = project({ ...baseConfig, pipeline: { package: 'npm pack' } }, { 'h.json': JSON.stringify(history) });
    const result = await runCli(['pipeline', 'plan', '--shards', '2', '--history', 'h.json', '--json'], { cwd });
    expect(result.exitCode).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.overhead).toEqual({ seconds: 20, source: 'history', samples: 6 });
    expect(doc.durations.package).toEqual({ seconds: 42, source: 'history', samples: 3 });
  });

  it('rejects a target that is not a duration, naming the flag', async () => {
    const cwd = project(baseConfig);
    const result = await runCli(['pipeline', 'plan', '--target', 'soon'], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^split-tests: --target "soon": not a duration/m);
    expect(result.stderr).toMatch(/^hint: /m);
    expect(result.stdout).toBe('');
  });

  it('without timings, history or target, says the times are file counts and defaults, and shows no target column', async () => {
    const cwd = project({ tests: ['tests/**/*.test.js'] });
    const result = await runCli(['pipeline', 'plan'], { cwd });
    expect(result.exitCode).toBe(0);
    const head = lines(result.stdout).slice(0, 3);
    expect(head[0]).toMatch(/^Pipeline plan: \d+ shards? \(the knee/);
    expect(head[1]).toMatch(/^Test times: none measured\. Every file counts as 1 s/);
    expect(head[2]).toMatch(/^Stage times: defaults, not measurements \(no history at \.split-tests\/history\.json\)/);
    expect(result.stdout).not.toMatch(/misses|meets|^Target:/m);
    expect(result.stdout).toMatch(/^\s+shards\s+slowest shard\s+test stage\s+node-min\s+pipeline$/m);
    const json = await runCli(['pipeline', 'plan', '--json'], { cwd });
    const doc = JSON.parse(json.stdout);
    expect(doc.basis).toEqual({ estimator: 'none', files: 12, estimatedFiles: 12, timingRuns: 0, history: { label: '.split-tests/history.json' } });
    expect(doc.options.every((o: any) => !('meetsTarget' in o))).toBe(true);
  });

  it('with measured timings and a target from the config, says where each came from', async () => {
    const cwd = project({ ...baseConfig, pipeline: { target: '3m' } });
    const result = await runCli(['pipeline', 'plan', '--shards', '1'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Pipeline plan: 1 shard \(as asked; misses the 3m 00s target\)/);
    expect(result.stdout).toContain('Target: test stage (node overhead + slowest shard) at most 3m 00s, from pipeline.target in the config');
    expect(result.stdout).toContain('Test times: measured, all 12 files from 1 timing run (estimator');
    expect(result.stdout).toMatch(/^   shards .* target$/m);
  });

  it('warns when the --history named is not there, and says the stage times are defaults', async () => {
    const cwd = project(baseConfig);
    const result = await runCli(['pipeline', 'plan', '--history', 'cache/history.json'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/^split-tests: warning: --history cache\/history\.json: no such file; stage and overhead times fall back to the config or defaults$/m);
    expect(result.stdout).toMatch(/^Stage times: defaults, not measurements \(no history at cache\/history\.json\)/m);
  });

  it('rejects a shard count no CI runs, naming the flag, before planning it', async () => {
    const cwd = project(baseConfig);
    for (const [value, message] of [
      ['100000000', /^split-tests: --shards 100000000: more than 1000 shards$/m],
      ['0', /^split-tests: --shards 0: must be a whole number ≥ 1$/m],
      ['2.5', /^split-tests: --shards 2\.5: must be a whole number ≥ 1$/m],
    ] as const) {
      const result = await runCli(['pipeline', 'plan', '--shards', value], { cwd });
      expect(result.exitCode, value).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/^hint: /m);
      expect(result.stdout).toBe('');
    }
    const target = await runCli(['pipeline', 'plan', '--target', '10x'], { cwd });
    expect(target.exitCode).toBe(2);
    expect(target.stderr).toMatch(/^split-tests: --target "10x": not a duration/m);
  });

  it('a malformed history file is a one-line error naming it', async () => {
    const cwd = project(baseConfig, { 'h.json': '{"version": 1, "files": [], "runs": []}' });
    const result = await runCli(['pipeline', 'plan', '--history', 'h.json'], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/h\.json/);
  });
});

describe('split-tests pipeline init', () => {
  const conventional = {
    gitlab: '.gitlab-ci.yml',
    jenkins: 'Jenkinsfile',
    github: '.github/workflows/split-tests.yml',
    circleci: '.circleci/config.yml',
  } as const;

  it.each(Object.entries(conventional))('%s: writes %s with the configured package and deploy commands', async (ci, path) => {
    const config = {
      ...baseConfig,
      shards: 3,
      pipeline: { package: 'docker build -t "shop:$(cat VERSION)" .', deploy: 'node scripts/deploy.mjs --to production' },
    };
    const cwd = project(config);
    const result = await runCli(['pipeline', 'init', '--ci', ci], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`wrote ${path}`);
    const text = readFileSync(join(cwd, path), 'utf8');
    if (ci !== 'jenkins') {
      const doc = parse(text);
      expect(doc).toBeTypeOf('object');
    }
    expect(text).toContain('node scripts/deploy.mjs --to production');
    expect(text).toContain('shop:$(cat VERSION)');
    // commented examples of the usual steps
    expect(text).toMatch(/(#|\/\/) .*docker push/);
    expect(text).toMatch(/api\.heroku\.com/);
    expect(text).toMatch(/aws ecs update-service/);
    expect(text).toMatch(/docker compose/);
  });

  it('refuses to overwrite without --force, then overwrites with it', async () => {
    const cwd = project(baseConfig, { '.gitlab-ci.yml': 'mine\n' });
    const refused = await runCli(['pipeline', 'init', '--ci', 'gitlab', '--shards', '2'], { cwd });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/^split-tests: \.gitlab-ci\.yml already exists; not overwriting it$/m);
    expect(refused.stderr).toMatch(/--force/);
    expect(readFileSync(join(cwd, '.gitlab-ci.yml'), 'utf8')).toBe('mine\n');
    const forced = await runCli(['pipeline', 'init', '--ci', 'gitlab', '--shards', '2', '--force'], { cwd });
    expect(forced.exitCode).toBe(0);
    expect(parse(readFileSync(join(cwd, '.gitlab-ci.yml'), 'utf8')).test.parallel).toBe(2);
  });

  it('--output - prints the configuration; --output FILE writes there', async () => {
    const cwd = project(baseConfig);
    const printed = await runCli(['pipeline', 'init', '--ci', 'github', '--shards', '5', '--output', '-'], { cwd });
    expect(printed.exitCode).toBe(0);
    expect(parse(printed.stdout).jobs.test.strategy.matrix.shard).toEqual([1, 2, 3, 4, 5]);
    const written = await runCli(['pipeline', 'init', '--ci', 'circleci', '--shards', '2', '--output', 'ci/circle.yml'], { cwd });
    expect(written.exitCode).toBe(0);
    expect(parse(readFileSync(join(cwd, 'ci/circle.yml'), 'utf8')).jobs.test.parallelism).toBe(2);
  });

  it('needs a shard count and a known CI system', async () => {
    const cwd = project(baseConfig);
    const noShards = await runCli(['pipeline', 'init', '--ci', 'gitlab'], { cwd });
    expect(noShards.exitCode).toBe(2);
    expect(noShards.stderr).toMatch(/number of shards is missing/);
    const badCi = await runCli(['pipeline', 'init', '--ci', 'travis', '--shards', '2'], { cwd });
    expect(badCi.exitCode).toBe(2);
    expect(badCi.stderr).toMatch(/travis/);
    const zero = await runCli(['pipeline', 'init', '--ci', 'gitlab', '--shards', '0'], { cwd });
    expect(zero.exitCode).toBe(2);
    expect(zero.stderr).toMatch(/--shards 0/);
  });
});
