// A seeded corpus of JUnit reports for the merge benchmark and tests: the shapes real producers
// write (vitest/jest: testsuites > testsuite; nested describe suites; Surefire: bare testsuite
// with properties), with failures, errors, skips, CDATA, entities, comments and multi-byte text.
// The generator counts what it writes, so every report comes with its exact expected totals.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from './generate.mjs';

const int = (random, lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

const STACK = Array.from({ length: 12 }, (_, i) => `    at step${i} (src/module-${i}.ts:${10 + i}:${3 + i})`).join('\n');

function testcase(random, out, classname, index, totals) {
  const ms = int(random, 0, 2500);
  totals.timeMs += ms;
  totals.tests++;
  const roll = random();
  const name = `case ${index} handles &lt;input&gt; &amp; "quotes" caf\u00e9`;
  const head = `<testcase name="${name.replace(/"/g, '&quot;')}" classname="${classname}" time="${(ms / 1000).toFixed(3)}"`;
  if (roll < 0.06) {
    totals.failures++;
    out.push(`${head}>\n  <failure message="expected 1 &lt; 2" type="AssertionError"><![CDATA[AssertionError: expected 1 < 2 & more\n${STACK}]]></failure>\n  <system-out>log &amp; output &#x263A;\n${'x'.repeat(int(random, 0, 400))}</system-out>\n</testcase>`);
  } else if (roll < 0.08) {
    totals.errors++;
    out.push(`${head}>\n  <error message="boom" type="TypeError">TypeError: boom\n${STACK}</error>\n</testcase>`);
  } else if (roll < 0.12) {
    totals.skipped++;
    out.push(`${head}>\n  <skipped message="not today"/>\n</testcase>`);
  } else if (roll < 0.3) {
    out.push(`${head}>\n  <system-out><![CDATA[stdout line with <markup> & ]]]]><![CDATA[> inside\n${'y'.repeat(int(random, 0, 600))}]]></system-out>\n</testcase>`);
  } else {
    out.push(`${head}/>`);
  }
}

function zero() {
  return { tests: 0, failures: 0, errors: 0, skipped: 0, timeMs: 0 };
}

function addTo(into, t) {
  for (const k of ['tests', 'failures', 'errors', 'skipped', 'timeMs']) into[k] += t[k];
}

/** Totals as a producer writes them on a suite: correct at every level, as real producers do. */
function counts(t) {
  return `tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}" time="${(t.timeMs / 1000).toFixed(3)}"`;
}

/**
 * Writes one report of about `targetBytes` to `path` and returns its totals
 * `{ tests, failures, errors, skipped, timeMs }` (time in integer milliseconds, exact).
 */
export function writeReport(path, seed, targetBytes) {
  const random = rng(seed);
  const totals = zero();
  const body = [];
  let size = 0;
  const shape = seed % 3; // 0: testsuites > testsuite, 1: nested describe suites, 2: bare testsuite (Surefire)
  for (let file = 0; size < targetBytes; file++) {
    const fileName = `tests/area-${seed % 17}/feature-${seed}-${file}.test.ts`;
    const cases = int(random, 5, 60);
    const block = [];
    const t = zero();
    if (shape === 2) {
      for (let i = 0; i < cases; i++) testcase(random, block, `com.acme.feature${seed}.Test${file}`, i, t);
    } else if (shape === 1) {
      const inner = int(random, 1, 3);
      const parts = [];
      for (let s = 0; s < inner; s++) {
        const it = zero();
        const cs = [];
        for (let i = 0; i < Math.ceil(cases / inner); i++) testcase(random, cs, fileName, i, it);
        parts.push(`<testsuite name="describe ${s} &amp; friends" ${counts(it)}>`, ...cs, '<!-- end of describe --></testsuite>');
        addTo(t, it);
      }
      block.push(`<testsuite name="${fileName}" file="${fileName}" timestamp="2026-01-01T00:00:00Z" ${counts(t)}>`, `<properties><property name="seed" value="${seed}"/></properties>`, ...parts, '<system-err>warn: &lt;deprecated&gt;</system-err>\n</testsuite>');
    } else {
      const cs = [];
      for (let i = 0; i < cases; i++) testcase(random, cs, fileName, i, t);
      block.push(`<testsuite name="${fileName}" ${counts(t)} timestamp="2026-01-01T00:00:00Z" hostname="ci">`, ...cs, '</testsuite>');
    }
    addTo(totals, t);
    const text = block.join('\n');
    size += text.length;
    body.push(text);
  }
  const head =
    shape === 2
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="com.acme.Suite${seed}" ${counts(totals)}>\n<properties><property name="java.version" value="17"/><property name="line.separator" value="&#10;"/></properties>`
      : `<?xml version="1.0" encoding="UTF-8"?>\n<!-- generated report ${seed} -->\n<testsuites name="run ${seed}" ${counts(totals)}>`;
  const fd = openSync(path, 'w');
  writeSync(fd, `${head}\n${body.join('\n')}\n${shape === 2 ? '</testsuite>' : '</testsuites>'}\n`);
  closeSync(fd);
  return totals;
}

/** Writes `reports` reports totalling about `totalBytes` into `dir`; returns the summed totals. */
export function writeCorpus(dir, { reports = 200, totalBytes = 160e6, seed = 1 } = {}) {
  mkdirSync(dir, { recursive: true });
  const sum = { tests: 0, failures: 0, errors: 0, skipped: 0, timeMs: 0, bytes: 0, files: [] };
  for (let i = 0; i < reports; i++) {
    const path = join(dir, `report-${String(i).padStart(3, '0')}.xml`);
    // sizes vary around the mean, as shards of one run do
    const target = Math.round((totalBytes / reports) * (0.5 + ((i * 7919 + seed) % 100) / 100));
    const t = writeReport(path, seed * 1000 + i, target);
    for (const k of ['tests', 'failures', 'errors', 'skipped', 'timeMs']) sum[k] += t[k];
    sum.files.push(path);
  }
  return sum;
}
