// Realistic per-test suites for the history benchmarks, modelled on the real reports in
// ../shared/data: pytest node ids with params (conda, onegov-cloud, hypha, pgmpy .test_durations),
// vitest-style "describe > test" names (the jest monorepo's JUnit: classname > name), rspec
// descriptions (avalon's JUnit) and playwright titles (dokan's JUnit), with their real durations.
// Each generated file takes a window of consecutive tests of one real file (so tests of a file
// share prefixes as real ones do) and renames its words consistently within the file, so that
// 100,000 ids are distinct without repeating the few thousand real ones. Seeded: same suite every run.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { rng } from './generate.mjs';

const DATA = new URL('../../../shared/data/', import.meta.url).pathname;

/** Real tests grouped by real file: [{ file, tests: [{ id, seconds }] }] per style. */
function loadPools() {
  const pytest = [];
  for (const name of ['conda-linux/durations-Linux.json', 'onegov-cloud/test_durations.json', 'hypha/test_durations.json', 'pgmpy/test_durations.json']) {
    const byFile = new Map();
    for (const [key, seconds] of Object.entries(JSON.parse(readFileSync(`${DATA}timings/${name}`, 'utf8')))) {
      const cut = key.indexOf('::');
      if (cut < 0) continue;
      const file = key.slice(0, cut);
      if (!byFile.has(file)) byFile.set(file, []);
      byFile.get(file).push({ id: key.slice(cut + 2), seconds });
    }
    for (const [file, tests] of byFile) pytest.push({ file, tests });
  }
  const junit = (name, idOf, fileOf) => {
    const xml = readFileSync(`${DATA}junit/${name}`, 'utf8');
    const byFile = new Map();
    for (const m of xml.matchAll(/<testcase\b([^>]*)>/g)) {
      const attrs = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], unescape(a[2])]));
      const file = fileOf(attrs);
      if (!byFile.has(file)) byFile.set(file, []);
      byFile.get(file).push({ id: idOf(attrs), seconds: Number(attrs.time) || 0.001 });
    }
    return [...byFile].map(([file, tests]) => ({ file, tests }));
  };
  const vitest = junit('jest-junit-jest-monorepo.xml', (a) => `${a.classname} > ${a.name}`, (a) => `packages/${a.classname.split(' ')[0]}.test.ts`);
  const rspec = junit('rspec-avalon.xml', (a) => a.name, (a) => a.classname.replace(/^_\//, '').replace(/_rb$/, '.rb').replace(/_/g, '/'));
  const playwright = junit('playwright-dokan.xml', (a) => a.name, (a) => a.classname.split(' › ')[1] ?? 'e2e.spec.ts');
  return { pytest, vitest, rspec, playwright };
}

function unescape(text) {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]);
}

/**
 * `files` test files of `testsPerFile` tests each: { file, tests: [{ id, seconds }] }, half
 * pytest, a quarter vitest, the rest rspec and playwright (by file). Also returns the vocabulary
 * size and the mean id length, which the benchmark prints.
 */
export function realisticSuite({ files, testsPerFile, seed = 7 }) {
  const pools = loadPools();
  const random = rng(seed);
  // every word occurrence of the real ids, by length: a renamed word is drawn from these, so a
  // generated id keeps its real length and words keep their real frequencies ("test", "should")
  const occurrences = Object.values(pools).flatMap((p) => p.flatMap((f) => f.tests.flatMap((t) => t.id.match(/[A-Za-z]{3,}/g) ?? [])));
  const vocabulary = new Set(occurrences);
  const byLength = new Map();
  for (const w of occurrences) {
    if (!byLength.has(w.length)) byLength.set(w.length, []);
    byLength.get(w.length).push(w);
  }
  const flat = Object.fromEntries(Object.entries(pools).map(([style, list]) => [style, list.flatMap((f) => f.tests.map((t) => ({ ...t, file: f.file })))]));
  const suite = [];
  let idChars = 0;
  let ids = 0;
  for (let f = 0; f < files; f++) {
    const style = f % 4 < 2 ? 'pytest' : f % 4 === 2 ? 'vitest' : f % 8 === 3 ? 'rspec' : 'playwright';
    const pool = flat[style];
    const start = Math.floor(random() * pool.length);
    const rename = new Map();
    const word = (w) => {
      if (!rename.has(w)) {
        const same = byLength.get(w.length);
        rename.set(w, same[Math.floor(random() * same.length)]);
      }
      return rename.get(w);
    };
    const seen = new Set();
    const tests = [];
    for (let t = 0; t < testsPerFile; t++) {
      const real = pool[(start + t) % pool.length];
      let id = real.id.replace(/[A-Za-z]{3,}/g, word);
      while (seen.has(id)) id += ` #${t}`;
      seen.add(id);
      tests.push({ id, seconds: real.seconds });
      idChars += id.length;
      ids++;
    }
    const base = pool[start].file.replace(/[A-Za-z]{3,}/g, word);
    const dot = base.lastIndexOf('.');
    const file = `${base.slice(0, dot)}_${f}${base.slice(dot)}`;
    suite.push({ file, tests });
  }
  return { suite, meanIdLength: idChars / ids, vocabulary: vocabulary.size };
}

/**
 * How well the generated ids stand in for real ones: bytes per id after gzip of each real set and
 * of as many generated ids of the same style (pytest-style against each pytest suite, vitest-style
 * against the jest monorepo). Higher is harder to compress.
 */
export function idCalibration() {
  const pools = loadPools();
  const { suite } = realisticSuite({ files: 2000, testsPerFile: 50 });
  const generated = { pytest: [], vitest: [] };
  suite.forEach((s, f) => {
    if (f % 4 < 2) generated.pytest.push(...s.tests.map((t) => t.id));
    if (f % 4 === 2) generated.vitest.push(...s.tests.map((t) => t.id));
  });
  const perId = (ids) => gzipSync(JSON.stringify(ids)).length / ids.length;
  const real = (style, pick) => pools[style].filter(pick).flatMap((f) => f.tests.map((t) => t.id));
  const sets = [
    ['pytest', 'pytest ids (conda, onegov-cloud, hypha, pgmpy)', real('pytest', () => true)],
    ['vitest', '"describe > test" names (the jest monorepo)', real('vitest', () => true)],
  ];
  return sets.map(([style, name, ids]) => ({ name, count: ids.length, real: perId(ids), generated: perId(generated[style].slice(0, ids.length)) }));
}
