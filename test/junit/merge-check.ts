import { readFileSync } from 'node:fs';
import { SaxesParser } from 'saxes';

export interface Totals {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
}

interface Frame {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly counted: Totals;
}

/**
 * An independent check of a merged report (saxes in strict mode, not the merge's own scanner, so
 * the merged report must be well-formed XML): every testsuite/testsuites element's counts must
 * equal what its descendant testcases add up to; the root's time is their sum, and a suite's time
 * (the producer's own, kept) must be a plain decimal number.
 * Returns the root's counted totals and the list of mismatches.
 */
export function checkMergedTotals(path: string): { root: Totals; mismatches: string[]; suites: number } {
  const parser = new SaxesParser({ position: true });
  const stack: Frame[] = [];
  const mismatches: string[] = [];
  let root: Totals | undefined;
  let suites = 0;
  let caseStatus: string | undefined;
  let caseSeconds = 0;
  let caseDepth = -1;
  parser.on('opentag', (tag) => {
    const attrs = tag.attributes as Record<string, string>;
    if (caseDepth >= 0) {
      caseDepth++;
      if (caseDepth === 1 && (tag.name === 'failure' || tag.name === 'error' || tag.name === 'skipped')) {
        const rank = { skipped: 1, failure: 2, error: 3 } as Record<string, number>;
        if (caseStatus === undefined || rank[tag.name]! > rank[caseStatus]!) caseStatus = tag.name;
      }
      return;
    }
    if (tag.name === 'testsuite' || tag.name === 'testsuites') {
      stack.push({ name: tag.name, attrs, counted: { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 } });
    } else if (tag.name === 'testcase') {
      caseDepth = 0;
      caseStatus = undefined;
      // the documented time rule: thousands separators ("1,203.5", Surefire) and a decimal comma ("1,5")
      const raw = (attrs['time'] ?? '').trim();
      const t = Number(/^\d+,\d+$/.test(raw) && !/^\d{1,3}(,\d{3})+$/.test(raw) ? raw.replace(',', '.') : raw.replace(/,(\d{3})/g, '$1'));
      caseSeconds = Number.isFinite(t) && t > 0 ? t : 0;
    }
  });
  parser.on('closetag', (tag) => {
    if (caseDepth > 0) {
      caseDepth--;
      return;
    }
    if (caseDepth === 0 && tag.name === 'testcase') {
      caseDepth = -1;
      for (const f of stack) {
        f.counted.tests++;
        if (caseStatus === 'failure') f.counted.failures++;
        if (caseStatus === 'error') f.counted.errors++;
        if (caseStatus === 'skipped') f.counted.skipped++;
        f.counted.time += caseSeconds;
      }
      return;
    }
    if (tag.name === 'testsuite' || tag.name === 'testsuites') {
      const f = stack.pop()!;
      suites++;
      for (const k of ['tests', 'failures', 'errors', 'skipped'] as const) {
        if (Number(f.attrs[k]) !== f.counted[k]) mismatches.push(`<${f.name} name="${f.attrs['name']}"> ${k}=${f.attrs[k]} but counted ${f.counted[k]}`);
      }
      if (stack.length === 0 && !(Math.abs(Number(f.attrs['time']) - f.counted.time) < 1e-5)) mismatches.push(`<${f.name}> time=${f.attrs['time']} but counted ${f.counted.time}`);
      if (!/^\d+(\.\d+)?(e[+-]?\d+)?$/.test(f.attrs['time'] ?? '')) mismatches.push(`<${f.name} name="${f.attrs['name']}"> time=${f.attrs['time']} is not a decimal number`);
      if (stack.length === 0) root = f.counted;
    }
  });
  parser.write(readFileSync(path, 'utf8'));
  parser.close();
  return { root: root!, mismatches, suites };
}
