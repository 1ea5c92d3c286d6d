import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUNNER_NAMES, runnerPreset } from '../../src/runners/index.js';
import { describeReportRunner } from '../../src/runners/report-runner.js';

const JUNIT = join(import.meta.dirname, '..', '..', 'fixtures', 'junit');
/** Real reports of real projects (../shared/data/junit), two of them Playwright's (one from an older Playwright). */
const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'junit');

function claims(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.xml'))
    .flatMap((name) => {
      const head = readFileSync(join(dir, name), 'utf8').slice(0, 4096);
      return RUNNER_NAMES.filter((runner) => runnerPreset(runner).ownReport?.recognize(head) === true).map((runner) => `${runner}: ${name}`);
    })
    .sort();
}

describe("reports recognised as a runner's own", () => {
  it("only playwright's report (real producers' reports in fixtures/junit) is playwright's; no other preset claims one", () => {
    const claimed = claims(JUNIT);
    expect(claimed).toEqual(['playwright: playwright.xml']);
  });

  it.skipIf(!existsSync(SHARED))("real projects' reports: both Playwright ones, nothing else", () => {
    expect(claims(SHARED)).toEqual(['playwright: playwright-chroma11y.xml', 'playwright: playwright-dokan.xml']);
  });

  it('one line: what was done with the config here, the fix without it', () => {
    const preset = runnerPreset('playwright');
    expect(describeReportRunner({ preset, report: 'r.xml', configFile: 'playwright.config.ts' })).toEqual({
      kind: 'note',
      text: "r.xml is playwright's own JUnit, which names test files relative to its testDir: keyed by the test files --runner playwright finds (playwright.config.ts is here)",
    });
    const blind = describeReportRunner({ preset, report: 'r.xml', configFile: undefined });
    expect(blind.kind).toBe('warn');
    expect(blind.text).toMatch(/no playwright\.config\.ts is here: .*pass --runner playwright/);
    expect(blind.text).not.toContain('\n');
  });
});
