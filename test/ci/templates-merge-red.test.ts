/**
 * `merge` exits 1 when a test failed (or a planned file is missing). The merge job must still write
 * the HTML report, then fail: the report step after the merge line may not be skipped, and the job's
 * exit must be the merge's. The GitLab job's script lines run here under bash, as a runner would run
 * them (each line in turn, stopping at the first that fails), with a stand-in `npx` on PATH.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderTemplate, type TemplateInput } from '../../src/ci/pipeline/templates/index.js';

function input(queue: boolean): TemplateInput {
  return {
    shards: 2,
    testCommand: ['npx', 'vitest', 'run'],
    junit: 'reports/junit-{shard}.xml',
    history: '.split-tests/history.json',
    branch: 'main',
    nodeVersion: '22',
    package: 'npm pack --pack-destination out',
    deploy: 'echo deploy',
    packagePaths: ['out/'],
    queue,
  } as TemplateInput;
}

/** Runs GitLab's script lines like its shell executor: one after another, the first failure ends the job. */
function runGitLabScript(lines: string[], mergeExit: number): { status: number; calls: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'split-tests-merge-red-'));
  const log = join(dir, 'calls.log');
  const npx = join(dir, 'npx');
  writeFileSync(
    npx,
    `#!/usr/bin/env bash\necho "$2" >> ${JSON.stringify(log)}\n[ "$2" = merge ] && exit ${mergeExit}\nexit 0\n`,
  );
  chmodSync(npx, 0o755);
  writeFileSync(join(dir, 'npm'), '#!/usr/bin/env bash\nexit 0\n');
  chmodSync(join(dir, 'npm'), 0o755);
  const script = ['set -e', ...lines].join('\n');
  let status = 0;
  try {
    execFileSync('bash', ['-c', script], { cwd: dir, env: { PATH: `${dir}:/usr/bin:/bin` }, stdio: 'pipe' });
  } catch (error) {
    status = (error as { status: number }).status;
  }
  const calls = readFileSync(log, 'utf8').trim().split('\n');
  return { status, calls };
}

describe.each([false, true])('GitLab merge job (queue: %s)', (queue) => {
  const doc = parse(renderTemplate('gitlab', input(queue))) as Record<string, { script: string[] }>;
  const lines = doc.merge!.script;

  it('still writes the report when the merge is red, then fails with the merge exit code', () => {
    const { status, calls } = runGitLabScript(lines, 1);
    expect(calls).toContain('merge');
    expect(calls[calls.length - 1]).toBe('report');
    expect(status).toBe(1);
  });

  it('passes when the merge is green', () => {
    const { status, calls } = runGitLabScript(lines, 0);
    expect(calls[calls.length - 1]).toBe('report');
    expect(status).toBe(0);
  });
});

describe('Jenkins merge stage', () => {
  it('runs the merge inside catchError, so a red merge fails the build but the report step still runs', () => {
    const text = renderTemplate('jenkins', input(false));
    const stage = text.slice(text.indexOf("stage('Merge')"), text.indexOf("stage('Deploy')"));
    const merge = stage.indexOf('split-tests merge');
    const report = stage.indexOf('split-tests report');
    const guard = stage.lastIndexOf('catchError(', merge);
    expect(merge).toBeGreaterThan(0);
    expect(guard).toBeGreaterThan(0);
    // the catchError block closes after the merge line and before the report line
    const close = stage.indexOf('}', merge);
    expect(close).toBeLessThan(report);
    expect(stage.slice(guard, merge)).not.toContain('}');
  });
});
