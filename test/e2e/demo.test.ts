import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, makeTempDir, removeTempDirs, repoRoot } from './helpers.js';

afterAll(removeTempDirs);

/** What the demo leaves behind; never copied, so the copy starts like a fresh clone. */
const GENERATED = new Set(['.split-tests', 'reports', 'out', 'releases', 'node_modules']);

/**
 * A copy of the repository's shape around fixtures/shop (the shop, and links to the built CLI and
 * the root node_modules, where the shop's vitest comes from), so the demo runs exactly as after
 * `npm ci && npm run demo` without touching the working tree.
 */
function copyOfRepo(): string {
  const root = makeTempDir('split-tests-demo-');
  const shop = join(root, 'fixtures', 'shop');
  mkdirSync(shop, { recursive: true });
  cpSync(join(repoRoot, 'fixtures', 'shop'), shop, {
    recursive: true,
    filter: (source) => !GENERATED.has(basename(source)) || source === join(repoRoot, 'fixtures', 'shop'),
  });
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'junction');
  symlinkSync(join(repoRoot, 'dist'), join(root, 'dist'), 'junction');
  return root;
}

function demo(root: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? root, NO_COLOR: '1' };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join('fixtures', 'shop', 'demo.mjs')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, exitCode: code ?? 1 }));
  });
}

describe('npm run demo', () => {
  it('plans, runs the pipeline, deploys and reports; the second run plans from the first run\'s timings', { timeout: 300_000 }, async () => {
    expect(existsSync(cliPath)).toBe(true);
    const root = copyOfRepo();
    const shop = join(root, 'fixtures', 'shop');

    const first = await demo(root);
    expect(first.stderr + first.stdout).not.toMatch(/not implemented yet/);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain('No timing history yet');
    expect(first.stderr).toMatch(/splitting by file count/);
    // the plan table, the pipeline prediction, the measured timeline, the report
    expect(first.stdout).toMatch(/slowest \/ lower bound/);
    expect(first.stdout).toMatch(/^Pipeline plan: 4 shards/m);
    expect(first.stdout).toContain('░ measured');
    expect(first.stdout).toMatch(/deploy passed/);
    expect(first.stdout).toMatch(/^Test times: none measured/m);
    // the trend report comes from the report command itself, text and HTML
    expect(first.stdout).toMatch(/^\$ split-tests report\nsplit-tests report: 1 run, /m);
    expect(first.stdout).not.toMatch(/report library/);
    const releases = readdirSync(join(shop, 'releases', '1.0.0'));
    expect(releases).toContain('split-tests-example-shop-1.0.0.tgz');
    expect(readFileSync(join(shop, 'reports', 'merged.xml'), 'utf8').match(/<testcase /g)?.length).toBeGreaterThanOrEqual(24);
    expect(readFileSync(join(shop, 'reports', 'report.html'), 'utf8')).toMatch(/<svg/);
    const history = JSON.parse(readFileSync(join(shop, '.split-tests', 'history.json'), 'utf8'));
    expect(history.runs).toHaveLength(1);
    expect(Object.keys(history.files)).toHaveLength(24);

    const second = await demo(root);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain('The history holds 1 earlier run');
    expect(second.stderr).not.toMatch(/splitting by file count/);
    // both plans of the second run rest on the first run's measured times
    expect(second.stdout).toMatch(/estimated files \(no timings\): 0/);
    expect(second.stdout).toMatch(/^Test times: measured, all 24 files from 1 timing run/m);
    expect(second.stdout).toMatch(/^split-tests report: 2 runs, /m);
    expect(JSON.parse(readFileSync(join(shop, '.split-tests', 'history.json'), 'utf8')).runs).toHaveLength(2);
  });
});
