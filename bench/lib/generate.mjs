// Seeded instance generators for the planner benchmarks. Everything here is a pure function of
// its seed, so a benchmark run can be repeated number for number.

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (random, lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

function normal(random) {
  // Box-Muller
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * An instance with a known perfect split: each of `shards` targets of `target` seconds is cut at
 * random points into minPieces..maxPieces pieces, then the pieces are shuffled together. The
 * optimum makespan is exactly `target`.
 */
export function perfectInstance(seed, { shards = 8, minPieces = 3, maxPieces = 5, target = 1000 } = {}) {
  const random = rng(seed);
  const sizes = [];
  for (let s = 0; s < shards; s++) {
    const k = int(random, minPieces, maxPieces);
    const cuts = Array.from({ length: k - 1 }, () => random() * target).sort((a, b) => a - b);
    let prev = 0;
    for (const c of [...cuts, target]) {
      sizes.push(c - prev);
      prev = c;
    }
  }
  for (let i = sizes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [sizes[i], sizes[j]] = [sizes[j], sizes[i]];
  }
  return { sizes, shards, optimum: target };
}

/** Heavy-tailed (log-normal) file times like real suites: most files small, a few very slow. */
export function heavyTailedTimes(random, count, { median = 5, sigma = 1.2 } = {}) {
  return Array.from({ length: count }, () => median * Math.exp(sigma * normal(random)));
}

/** Test file paths in feature folders, e.g. spec/features/f12/file_0345_spec.rb. */
export function filePaths(count, { folders = 40 } = {}) {
  return Array.from({ length: count }, (_, i) => `spec/features/f${String(i % folders).padStart(2, '0')}/file_${String(i).padStart(6, '0')}_spec.rb`);
}

/**
 * A timing history: `runs` maps path -> seconds, oldest first. Each file has a heavy-tailed true
 * time; every run sees it with relative noise `noise` (normal), and with probability `spike` 3-10x
 * slower (a retry, a slow runner). Options add the ways real histories move:
 * - `drift`: each run, a file's true time moves by a factor e^(drift * normal) (runs far apart);
 *   `driftShare` of the files drift (every other file for 0.5), the others are the ones that spike;
 * - `speed`: each run's machine is e^(+-speed) as fast, every file alike;
 * - `added`: files added per run (the suite starts with `files`);
 * - `renamed`: the share of files renamed (new path, same times) half way through;
 * - `stepUp`: the share of files that get 2-4x slower for good at one run (3rd to 8th).
 */
export function timingHistory(seed, { files = 300, runs = 12, noise = 0.05, spike = 0, drift = 0, driftShare = 1, speed = 0, added = 0, renamed = 0, stepUp = 0 } = {}) {
  const random = rng(seed);
  const total = files + added * runs;
  const paths = filePaths(total);
  const truth = heavyTailedTimes(random, total);
  const drifts = (i) => driftShare >= 1 || (driftShare > 0 && i % Math.round(1 / driftShare) === 0);
  const stepAt = 3 + Math.floor(random() * 6);
  const out = [];
  for (let r = 0; r < runs; r++) {
    const machine = speed > 0 ? Math.exp(speed * (random() * 2 - 1)) : 1;
    if (stepUp > 0 && r === stepAt) truth.forEach((t, i) => random() < stepUp && (truth[i] = t * (2 + 2 * random())));
    const map = {};
    const count = files + added * r;
    for (let i = 0; i < count; i++) {
      if (drift > 0 && drifts(i)) truth[i] *= Math.exp(drift * normal(random));
      let t = truth[i] * machine * (1 + noise * normal(random));
      if (spike > 0 && !(drift > 0 && drifts(i)) && random() < spike) t *= 3 + 7 * random();
      const path = renamed > 0 && r >= runs >> 1 && i % Math.round(1 / renamed) === 0 ? paths[i].replace('_spec.rb', '_renamed_spec.rb') : paths[i];
      map[path] = Math.max(0.001, t);
    }
    out.push(map);
  }
  return out;
}

/**
 * The kinds of history the estimator is measured on (bench/estimator.mjs), each a set of
 * timingHistory options: runs close together (noise, spikes), far apart (drift), and the suite
 * changing under them (renames, added files, files that got slower for good).
 */
export const HISTORY_KINDS = {
  noisy: { noise: 0.05, spike: 0.08 },
  drift: { noise: 0.03, drift: 0.13 },
  renamed: { noise: 0.05, spike: 0.05, renamed: 0.1 },
  added: { files: 200, noise: 0.03, spike: 0.04, added: 10 },
  jitter: { noise: 0.12 },
  mixed: { noise: 0.04, spike: 0.06, drift: 0.2, driftShare: 0.5, speed: 0.22 },
  'step up': { noise: 0.05, stepUp: 0.33 },
};

/** A large suite for speed measurements: `files` heavy-tailed timings in one JSON map. */
export function bigTimings(seed, files) {
  const random = rng(seed);
  const paths = filePaths(files, { folders: 500 });
  const times = heavyTailedTimes(random, files);
  const map = {};
  paths.forEach((p, i) => (map[p] = Math.round(times[i] * 1000) / 1000));
  return map;
}
