import { describe, expect, it } from 'vitest';
import junitReporter from '../../src/runners/node/junit-reporter.js';

/** The events node 20 --test emitted here for a file with an 0.8 s import and one light test (see walls.ts). */
async function render(): Promise<string> {
  const file = `${process.cwd()}/tests/heavy-import.test.mjs`;
  const events = [
    { type: 'test:dequeue', data: { name: file, nesting: 0, file } },
    { type: 'test:start', data: { name: 'light', nesting: 0, file } },
    { type: 'test:pass', data: { name: 'light', nesting: 0, file, details: { duration_ms: 21.76 } } },
    { type: 'test:complete', data: { name: file, nesting: 0, file, details: { duration_ms: 1682.43 } } },
  ];
  async function* source() {
    yield* events;
  }
  let out = '';
  for await (const chunk of junitReporter(source())) out += chunk;
  return out;
}

describe('the node:test reporter', () => {
  it("writes the file's whole run (its process start and import too) as its suite time, its tests as the cases'", async () => {
    const xml = await render();
    expect(xml).toMatch(/<testsuite name="tests\/heavy-import.test.mjs" [^>]* time="1.682430">/);
    expect(xml).toContain('name="light" file="tests/heavy-import.test.mjs" time="0.021760"');
  });
});
