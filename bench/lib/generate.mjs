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
 * A noisy history: stable true times, runs close together; each run sees every file at its true
 * time +-5%, and now and then (probability `spike`) 3-10x slower (a retry, a slow runner).
 * Returns `runs` maps path -> seconds, oldest first.
 */
export function noisyHistory(seed, { files = 300, runs = 12, spike = 0.08 } = {}) {
  const random = rng(seed);
  const paths = filePaths(files);
  const truth = heavyTailedTimes(random, files);
  const out = [];
  for (let r = 0; r < runs; r++) {
    const map = {};
    paths.forEach((p, i) => {
      let t = truth[i] * (1 + 0.05 * normal(random));
      if (random() < spike) t *= 3 + 7 * random();
      map[p] = Math.max(0.001, t);
    });
    out.push(map);
  }
  return out;
}

/** A large suite for speed measurements: `files` heavy-tailed timings in one JSON map. */
export function bigTimings(seed, files) {
  const random = rng(seed);
  const paths = filePaths(files, { folders: 500 });
  const times = heavyTailedTimes(random, files);
  const map = {};
  paths.forEach((p, i) => (map[p] = Math.round(times[i] * 1000) / 1000));
  return map;
}
