import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_OUTPUT, renderTemplate, type TemplateInput } from '../../src/ci/pipeline/templates/index.js';
import { groovyString, shellJoin, yamlScalar } from '../../src/ci/pipeline/templates/common.js';

function input(over: Partial<TemplateInput> = {}): TemplateInput {
  return {
    shards: 4,
    testCommand: ['npx', 'vitest', 'run', '--reporter=junit', '--outputFile=reports/junit-{shard}.xml'],
    junit: 'reports/junit-{shard}.xml',
    history: '.split-tests/history.json',
    branch: 'main',
    nodeVersion: '22',
    package: 'docker build -t "$REGISTRY/shop:$(cat VERSION)" . && docker push "$REGISTRY/shop:$(cat VERSION)"',
    deploy: 'aws ecs update-service --cluster "$ECS_CLUSTER" --service "$ECS_SERVICE" --force-new-deployment',
    packagePaths: ['out/'],
    ...over,
  };
}

type Graph = Map<string, string[]>;

/** Every job that `job` waits for, directly or not. */
function ancestors(graph: Graph, job: string, seen = new Set<string>()): Set<string> {
  for (const need of graph.get(job) ?? []) {
    if (seen.has(need)) continue;
    seen.add(need);
    ancestors(graph, need, seen);
  }
  return seen;
}

/** The shape every pipeline must have, whatever the CI system. */
function expectPipelineGraph(graph: Graph, names: { tests: string; package: string; merge: string; deploy: string }) {
  const { tests, package: pack, merge, deploy } = names;
  // shards and package are concurrent: neither waits for the other
  expect(ancestors(graph, pack).has(tests)).toBe(false);
  expect(ancestors(graph, tests).has(pack)).toBe(false);
  // merge waits for the shards; deploy for merge and package
  expect(ancestors(graph, merge).has(tests)).toBe(true);
  expect(ancestors(graph, deploy).has(merge)).toBe(true);
  expect(ancestors(graph, deploy).has(pack)).toBe(true);
  expect(graph.get(deploy)).toEqual(expect.arrayContaining([merge, pack]));
}

/** Lines that would print a secret to the log. */
function echoedSecrets(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => /\b(echo|printf)\b[^|\n]*\$\{?[A-Z_]*(TOKEN|PASSWORD|SECRET|API_KEY)\b/.test(line))
    .filter((line) => !/\|\s*docker login\b[^|]*--password-stdin/.test(line));
}

const hostile = ['--outputFile=reports/junit-{shard}.xml', "it's", 'a b', '$(rm -rf /)', 'x;y', 'ü`z`'];

describe.each([1, 3, 4, 7])('templates with %i shards', (shards) => {
  it('GitLab: parallel test job beside a package job, merge after all shards, deploy after merge and package', () => {
    const text = renderTemplate('gitlab', input({ shards }));
    const doc = parse(text) as Record<string, any>;
    expect(doc.test.parallel).toBe(shards);
    const needs = (job: any): string[] => (job.needs ?? []).map((n: any) => (typeof n === 'string' ? n : n.job));
    const graph: Graph = new Map(['build', 'test', 'package', 'merge', 'deploy'].map((j) => [j, needs(doc[j])]));
    expect(graph.get('package')).toEqual(['build']);
    expectPipelineGraph(graph, { tests: 'test', package: 'package', merge: 'merge', deploy: 'deploy' });
    // every shard's JUnit is kept and published; the merged one too, and the history is cached
    expect(doc.test.artifacts.when).toBe('always');
    // only the merged report is published: GitLab sums every job's junit report
    expect(doc.test.artifacts.reports).toBeUndefined();
    expect(doc.test.artifacts.paths).toEqual(['reports/']);
    expect(doc.merge.artifacts.reports.junit).toBe('reports/merged.xml');
    expect(doc.merge.when).toBe('always');
    expect(doc.merge.cache.paths).toEqual(['.split-tests/']);
    expect(doc.merge.script.join('\n')).toMatch(/split-tests merge 'reports\/junit-\*\.xml' .*--plan reports\/plan\.json --record/);
    expect(doc.test.script.join('\n')).toContain('npx split-tests run --junit');
    expect(doc.package.script).toContain(input().package);
    expect(doc.deploy.script).toContain(input().deploy);
    expect(echoedSecrets(text)).toEqual([]);
  });

  it('GitHub Actions: a matrix of N shards, artifacts per shard, merge and deploy needing merge and package', () => {
    const text = renderTemplate('github', input({ shards }));
    const doc = parse(text) as any;
    const jobs = doc.jobs;
    expect(jobs.test.strategy.matrix.shard).toEqual(Array.from({ length: shards }, (_, i) => i + 1));
    expect(jobs.test.strategy['fail-fast']).toBe(false);
    const needs = (job: any): string[] => (job.needs === undefined ? [] : [job.needs].flat());
    const graph: Graph = new Map(Object.keys(jobs).map((j) => [j, needs(jobs[j])]));
    expectPipelineGraph(graph, { tests: 'test', package: 'package', merge: 'merge', deploy: 'deploy' });
    const runOf = (job: any): string => job.steps.map((s: any) => s.run ?? '').join('\n');
    expect(runOf(jobs.test)).toContain(`--shard \${{ matrix.shard }}/${shards} `);
    const upload = jobs.test.steps.find((s: any) => String(s.uses).startsWith('actions/upload-artifact'));
    expect(upload.with.name).toBe('junit-${{ matrix.shard }}');
    expect(upload.if).toBe('always()');
    const download = jobs.merge.steps.find((s: any) => s.with?.pattern === 'junit-*');
    expect(download.uses).toMatch(/^actions\/download-artifact@/);
    expect(download.with['merge-multiple']).toBe(true);
    expect(runOf(jobs.merge)).toMatch(/split-tests merge .* --record/);
    const published = jobs.merge.steps.find((s: any) => String(s.uses).startsWith('mikepenz/action-junit-report'));
    expect(published.with.report_paths).toBe('reports/merged.xml');
    expect(echoedSecrets(text)).toEqual([]);
  });

  it('CircleCI: parallelism N, test results stored, workspace between jobs', () => {
    const text = renderTemplate('circleci', input({ shards }));
    const doc = parse(text) as any;
    expect(doc.jobs.test.parallelism).toBe(shards);
    const stepNames = (job: any): string[] => job.steps.map((s: any) => (typeof s === 'string' ? s : Object.keys(s)[0]));
    expect(stepNames(doc.jobs.test)).toEqual(expect.arrayContaining(['attach_workspace', 'store_test_results', 'persist_to_workspace']));
    expect(stepNames(doc.jobs.merge)).toContain('attach_workspace');
    const graph: Graph = new Map();
    for (const entry of doc.workflows['split-tests'].jobs) {
      if (typeof entry === 'string') graph.set(entry, []);
      else {
        const [name, spec] = Object.entries(entry)[0] as [string, any];
        // a requirement is a job name, or { job: [statuses] } (CircleCI's requires with statuses)
        graph.set(name, (spec.requires ?? []).map((r: any) => (typeof r === 'string' ? r : Object.keys(r)[0])));
      }
    }
    expectPipelineGraph(graph, { tests: 'test', package: 'package', merge: 'merge', deploy: 'deploy' });
    // merge runs after failed shards too; deploy only after passing ones
    const mergeSpec = doc.workflows['split-tests'].jobs.find((j: any) => j.merge)?.merge;
    expect(mergeSpec.requires).toContainEqual({ test: ['success', 'failed'] });
    expect(graph.get('deploy')).toContain('test');
    // the shard's reports are persisted before the job fails with the shard's exit code
    const steps = doc.jobs.test.steps.map((s: any) => (typeof s === 'string' ? s : Object.keys(s)[0]));
    expect(steps.indexOf('persist_to_workspace')).toBeLessThan(steps.lastIndexOf('run'));
    const runs = doc.jobs.test.steps.filter((s: any) => s.run?.command).map((s: any) => s.run.command as string);
    expect(runs.some((c: string) => /split-tests run .* \|\| echo "\$\?" > /.test(c))).toBe(true);
    expect(runs.at(-1)).toMatch(/exit "\$\(cat /);
    expect(echoedSecrets(text)).toEqual([]);
  });

  it('Jenkins: N parallel shard stages beside Package, matching stash/unstash, junit, credentials', () => {
    const text = renderTemplate('jenkins', input({ shards }));
    const code = stripGroovy(text);
    // balanced braces and parentheses outside strings and comments
    let depth = 0;
    for (const ch of code) {
      if (ch === '{') depth++;
      if (ch === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    const parallel = blockAfter(text, 'parallel {');
    const shardStages = [...parallel.matchAll(/stage\('Shard (\d+)\/(\d+)'\)/g)];
    expect(shardStages.map((m) => Number(m[1]))).toEqual(Array.from({ length: shards }, (_, i) => i + 1));
    expect(shardStages.every((m) => Number(m[2]) === shards)).toBe(true);
    expect(parallel).toContain("stage('Package')");
    for (let k = 1; k <= shards; k++) expect(parallel).toContain(`--shard ${k}/${shards} `);
    const stashed = [...text.matchAll(/stash name: '([^']+)'/g)].map((m) => m[1]).sort();
    const unstashed = [...new Set([...text.matchAll(/unstash '([^']+)'/g)].map((m) => m[1]))].sort();
    expect(unstashed).toEqual(stashed);
    const merge = blockAfter(text, "stage('Merge') {");
    for (let k = 1; k <= shards; k++) expect(merge).toContain(`unstash 'junit-${k}'`);
    expect(merge).toMatch(/junit testResults: 'reports\/merged\.xml'/);
    expect(blockAfter(text, "stage('Deploy') {")).toContain('withCredentials([');
    expect(blockAfter(text, "stage('Package') {")).toContain('withCredentials([');
    // sh scripts are single-quoted: Groovy never interpolates a secret
    expect(text).not.toMatch(/\bsh "/);
    expect(echoedSecrets(text)).toEqual([]);
  });
});

describe('what the package step makes reaches deploy', () => {
  const paths = { packagePaths: ['out/', 'VERSION'] };

  it('GitLab: package keeps the paths as artifacts, deploy needs them', () => {
    const doc = parse(renderTemplate('gitlab', input(paths))) as any;
    expect(doc.package.artifacts.paths).toEqual(['out/', 'VERSION']);
    expect(doc.deploy.needs).toContainEqual({ job: 'package', artifacts: true });
    // a package step that made nothing fails there, naming the path
    expect(doc.package.script.at(-1)).toMatch(/for p in out\/ VERSION; do test -e "\$p" \|\|/);
  });

  it('GitHub: package uploads a tar of the paths, deploy downloads and unpacks it', () => {
    const jobs = (parse(renderTemplate('github', input(paths))) as any).jobs;
    const runs = (job: any): string => job.steps.map((s: any) => s.run ?? '').join('\n');
    expect(runs(jobs.package)).toContain('tar -cf split-tests-package.tar out/ VERSION');
    const upload = jobs.package.steps.find((s: any) => String(s.uses).startsWith('actions/upload-artifact'));
    expect(upload.with).toMatchObject({ name: 'package', path: 'split-tests-package.tar', 'if-no-files-found': 'error' });
    const download = jobs.deploy.steps.findIndex((s: any) => String(s.uses).startsWith('actions/download-artifact') && s.with.name === 'package');
    const unpack = jobs.deploy.steps.findIndex((s: any) => String(s.run).startsWith('tar -xf split-tests-package.tar'));
    const deploy = jobs.deploy.steps.findIndex((s: any) => s.run === input().deploy);
    expect(download).toBeGreaterThan(0);
    expect(unpack).toBe(download + 1);
    expect(deploy).toBeGreaterThan(unpack);
  });

  it('CircleCI: package persists the paths to the workspace, deploy attaches it', () => {
    const jobs = (parse(renderTemplate('circleci', input(paths))) as any).jobs;
    const persist = jobs.package.steps.find((s: any) => s.persist_to_workspace)?.persist_to_workspace;
    expect(persist).toEqual({ root: '.', paths: ['out', 'VERSION'] });
    expect(jobs.deploy.steps).toContainEqual({ attach_workspace: { at: '.' } });
  });

  it('Jenkins: Package stashes the paths, Deploy unstashes them', () => {
    const text = renderTemplate('jenkins', input(paths));
    expect(blockAfter(text, "stage('Package') {")).toContain("stash name: 'package', includes: 'out/**,VERSION'");
    expect(blockAfter(text, "stage('Deploy') {")).toContain("unstash 'package'");
  });

  it('nothing to hand on when no paths are named (no empty artifacts, stash or workspace)', () => {
    const none = { packagePaths: [] };
    expect((parse(renderTemplate('gitlab', input(none))) as any).package.artifacts).toBeUndefined();
    expect(renderTemplate('github', input(none))).not.toContain('split-tests-package.tar');
    expect(renderTemplate('jenkins', input(none))).not.toContain("unstash 'package'");
    expect((parse(renderTemplate('circleci', input(none))) as any).jobs.deploy.steps).not.toContainEqual({ attach_workspace: { at: '.' } });
  });
});

describe('timing history on a new branch: read the default branch\'s, write only your own', () => {
  it('GitLab: a key per branch, the default branch as fallback, one cache for protected and unprotected branches', () => {
    const doc = parse(renderTemplate('gitlab', input())) as any;
    for (const job of [doc.build, doc.merge]) {
      expect(job.cache.key).toBe('split-tests-history-$CI_COMMIT_REF_SLUG');
      expect(job.cache.fallback_keys).toEqual(['split-tests-history-$CI_DEFAULT_BRANCH']);
      expect(job.cache.unprotect).toBe(true);
    }
    expect([doc.build.cache.policy, doc.merge.cache.policy]).toEqual(['pull', 'push']);
  });

  it('GitHub: saved under the branch, restored from the branch, else the default branch', () => {
    const jobs = (parse(renderTemplate('github', input())) as any).jobs;
    const restore = jobs.build.steps.find((s: any) => String(s.uses).startsWith('actions/cache/restore')).with;
    const save = jobs.merge.steps.find((s: any) => String(s.uses).startsWith('actions/cache/save')).with;
    const branch = 'split-tests-history/${{ github.head_ref || github.ref_name }}/';
    expect(restore['restore-keys'].trim().split('\n')).toEqual([branch, 'split-tests-history/${{ github.event.repository.default_branch }}/']);
    expect(save.key).toBe(`${branch}\${{ github.run_id }}-\${{ github.run_attempt }}`);
    expect(restore.key).toBe(save.key);
  });

  it('CircleCI: saved under the branch, restored from the branch, else the deploy branch', () => {
    const jobs = (parse(renderTemplate('circleci', input({ branch: 'trunk' }))) as any).jobs;
    const restore = jobs.build.steps.find((s: any) => s.restore_cache).restore_cache;
    expect(restore.keys).toEqual(['split-tests-history/{{ .Branch }}/', 'split-tests-history/trunk/']);
    const save = jobs.merge.steps.find((s: any) => s.save_cache).save_cache;
    expect(save.key).toBe('split-tests-history/{{ .Branch }}/{{ epoch }}');
  });

  it('Jenkins: a new multibranch branch copies the deploy branch job\'s history', () => {
    const build = blockAfter(renderTemplate('jenkins', input()), "stage('Build') {");
    expect(build).toContain("if (env.BRANCH_NAME && env.BRANCH_NAME != 'main')");
    expect(build).toMatch(/sources << env\.JOB_NAME\.substring\(0, env\.JOB_NAME\.lastIndexOf\('\/'\) \+ 1\) \+ 'main'/);
  });
});

describe('provider details', () => {
  it('Jenkins: a missing credential cannot skip Merge (withCredentials inside catchError)', () => {
    const pack = blockAfter(renderTemplate('jenkins', input()), "stage('Package') {");
    expect(pack.indexOf('catchError(')).toBeGreaterThan(-1);
    expect(pack.indexOf('catchError(')).toBeLessThan(pack.indexOf('withCredentials('));
  });

  it('Jenkins: Deploy works in plain Pipeline jobs too (BRANCH_NAME, else GIT_BRANCH), not `branch`', () => {
    const deploy = blockAfter(renderTemplate('jenkins', input({ branch: 'trunk' })), "stage('Deploy') {");
    expect(stripGroovy(deploy)).not.toMatch(/\bbranch\s*""/);
    expect(deploy).toContain("expression { ['trunk', 'origin/trunk'].contains(env.BRANCH_NAME ?: env.GIT_BRANCH) }");
  });

  it('CircleCI: --node-version picks the image (cimg/node for major.minor, node for a major)', () => {
    const image = (version: string): string =>
      (parse(renderTemplate('circleci', input({ nodeVersion: version }))) as any).executors.node.docker[0].image;
    expect(image('22.11')).toBe('cimg/node:22.11');
    expect(image('20')).toBe('node:20');
  });

  it('GitHub: says how to pin actions by commit SHA', () => {
    expect(renderTemplate('github', input())).toMatch(/# .*full\s*\n# commit SHA.*\n#\s+uses: actions\/checkout@<40-character commit SHA>/);
  });
});

describe('queue mode (pipeline init --queue)', () => {
  const queue = { queue: true };
  const url = '--queue "$SPLIT_TESTS_REDIS_URL"';

  it('GitLab: the parallel jobs run split-tests run --queue; merge waits for the verdict, merges either way, then fails', () => {
    const doc = parse(renderTemplate('gitlab', input(queue))) as any;
    const run: string = doc.test.script.find((l: string) => l.includes('split-tests run'));
    expect(run).toContain(`npx split-tests run ${url} --junit`);
    expect(doc.test.parallel).toBe(4);
    expect(doc.merge.script.slice(1, 2)).toEqual([`npx split-tests queue wait ${url} --timeout 30m || queue_status=$?`]);
    expect(doc.merge.script.at(-1)).toBe('exit "${queue_status:-${merge_status:-0}}"');
    expect(doc.merge.script.findIndex((l: string) => l.includes('split-tests merge'))).toBe(2);
    // a per-job service container would give every job a Redis of its own: the URL is a secret
    for (const job of Object.values(doc)) expect((job as any)?.services).toBeUndefined();
    expect(renderTemplate('gitlab', input(queue))).toMatch(/# Set SPLIT_TESTS_REDIS_URL as a masked CI\/CD variable/);
  });

  it('GitHub: the secret reaches the workers and queue wait; every report a job wrote is uploaded', () => {
    const jobs = (parse(renderTemplate('github', input(queue))) as any).jobs;
    const run = jobs.test.steps.find((s: any) => String(s.run).includes('split-tests run'));
    expect(run.run).toContain(`--shard \${{ matrix.shard }}/4 ${url}`);
    expect(run.env).toEqual({ SPLIT_TESTS_REDIS_URL: '${{ secrets.SPLIT_TESTS_REDIS_URL }}' });
    expect(jobs.test.steps.find((s: any) => String(s.uses).startsWith('actions/upload-artifact')).with.path).toBe('reports/junit-*.xml*');
    const steps = jobs.merge.steps;
    const wait = steps.findIndex((s: any) => s.id === 'queue');
    expect(steps[wait]).toMatchObject({ 'continue-on-error': true, run: `npx split-tests queue wait ${url} --timeout 30m` });
    expect(wait).toBeLessThan(steps.findIndex((s: any) => String(s.run).includes('split-tests merge')));
    expect(steps.at(-1).if).toBe("${{ steps.queue.outcome == 'failure' }}");
  });

  it('CircleCI: the Redis context on the workers and merge; queue wait before merge, its failure last', () => {
    const doc = parse(renderTemplate('circleci', input(queue))) as any;
    const jobs = doc.workflows['split-tests'].jobs;
    expect(jobs.find((j: any) => j.test).test.context).toBe('split-tests-redis');
    expect(jobs.find((j: any) => j.merge).merge.context).toBe('split-tests-redis');
    const commands = doc.jobs.merge.steps.filter((s: any) => s.run?.command).map((s: any) => s.run.command as string);
    expect(commands[0]).toMatch(/^npx split-tests queue wait .* \|\| echo "\$\?" > \/tmp\/split-tests-queue-failed$/);
    expect(commands.at(-1)).toMatch(/split-tests-queue-failed.*exit/);
    const run = doc.jobs.test.steps.find((s: any) => String(s.run?.command).includes('split-tests run')).run.command;
    expect(run).toContain(`npx split-tests run ${url} --junit`);
  });

  it('Jenkins: the URL from the credentials store inside catchError; every report stashed; queue wait before merge', () => {
    const text = renderTemplate('jenkins', input(queue));
    const shard = blockAfter(text, "stage('Shard 2/4') {");
    expect(shard.indexOf('catchError(')).toBeLessThan(shard.indexOf("withCredentials([string(credentialsId: 'split-tests-redis-url', variable: 'SPLIT_TESTS_REDIS_URL')])"));
    expect(shard).toContain(`--shard 2/4 ${url}`);
    expect(shard).toContain("stash name: 'junit-2', includes: 'reports/junit-*.xml*'");
    const merge = blockAfter(text, "stage('Merge') {");
    expect(merge.indexOf('catchError(')).toBeLessThan(merge.indexOf('queue wait'));
    expect(merge.indexOf('queue wait')).toBeLessThan(merge.indexOf('split-tests merge'));
  });

  it('without --queue nothing of it is there', () => {
    for (const ci of ['gitlab', 'github', 'circleci', 'jenkins'] as const) expect(renderTemplate(ci, input())).not.toMatch(/queue|REDIS/);
  });
});

describe('template quoting', () => {
  it('a hostile test command survives YAML parsing and sh word splitting', () => {
    const command = ['npx', 'vitest', 'run', ...hostile];
    const doc = parse(renderTemplate('gitlab', input({ testCommand: command }))) as any;
    const line: string = doc.test.script.find((l: string) => l.includes('split-tests run'));
    const afterDashes = line.slice(line.indexOf(' -- ') + 4);
    const words = execFileSync('sh', ['-c', `printf '%s\\n' ${afterDashes}`], { encoding: 'utf8' }).split('\n').slice(0, -1);
    expect(words).toEqual(command);
  });

  it('shellJoin, yamlScalar and groovyString round-trip', () => {
    const words = execFileSync('sh', ['-c', `printf '%s\\n' ${shellJoin(hostile)}`], { encoding: 'utf8' });
    expect(words.split('\n').slice(0, -1)).toEqual(hostile);
    for (const value of ['plain', "it's", 'a: b', '#x', 'x #y', '- z', '*star', 'true', '3.5', '{a}', '"q"', '%p', '@x']) {
      expect(parse(`v: ${yamlScalar(value)}`)).toEqual({ v: value });
    }
    expect(groovyString("a'b\\c$d")).toBe("'a\\'b\\\\c$d'");
  });

  it('multi-line package commands become YAML block scalars', () => {
    const pack = 'set -e\nnpm pack --pack-destination out\nls out';
    const doc = parse(renderTemplate('gitlab', input({ package: pack }))) as any;
    expect(doc.package.script[0]).toBe(`${pack}\n`);
    const gh = parse(renderTemplate('github', input({ package: pack }))) as any;
    expect(gh.jobs.package.steps.find((s: any) => s.run).run).toBe(`${pack}\n`);
  });

  it('without configured commands, says so instead of inventing a deploy', () => {
    const doc = parse(renderTemplate('gitlab', input({ package: undefined, deploy: undefined }))) as any;
    expect(doc.deploy.script.join('\n')).toMatch(/no deploy command configured/);
    expect(doc.package.script.join('\n')).toMatch(/no package command configured/);
  });

  it('names the usual default files', () => {
    expect(DEFAULT_OUTPUT).toEqual({
      gitlab: '.gitlab-ci.yml',
      jenkins: 'Jenkinsfile',
      github: '.github/workflows/split-tests.yml',
      circleci: '.circleci/config.yml',
    });
  });

  it('rejects a shard count below one', () => {
    expect(() => renderTemplate('gitlab', input({ shards: 0 }))).toThrow(/bad shard count/);
  });
});

/** Groovy with comments and string literals blanked out. */
function stripGroovy(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === "'" || ch === '"') {
      i++;
      while (i < text.length && text[i] !== ch) i += text[i] === '\\' ? 2 : 1;
      i++;
      out += '""';
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** The text of the `{ ... }` block opened by `opener` (brace-matched outside strings). */
function blockAfter(text: string, opener: string): string {
  const start = text.indexOf(opener);
  if (start < 0) throw new Error(`no ${opener}`);
  const code = stripGroovy(text.slice(start));
  // map positions: stripping changes lengths, so match on the raw text but skip strings/comments
  let depth = 0;
  let i = start + opener.length - 1;
  let inString: string | undefined;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === inString) inString = undefined;
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (ch === "'" || ch === '"') inString = ch;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) break;
    }
  }
  void code;
  return text.slice(start, i + 1);
}
