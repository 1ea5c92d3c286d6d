import { compareCodeUnits } from '../paths.js';
import type { ShardWall, TimingRun } from './types.js';

/**
 * What CI waits for is a shard's wall time, not the sum of its testcases: the runner starts (a
 * fixed cost per shard), each file is imported or collected and set up outside any testcase (an
 * overhead per file). The model is
 *
 *     wall(shard) = fixed + Σ over its files (tests(file) + overhead(file))
 *
 * fitted from the shard walls recorded in the history. Pure: plain runs in, plain numbers out.
 */
export interface WallModel {
  /** False without any shard wall in the history: then every other figure is 0. */
  readonly modelled: boolean;
  readonly fixedSeconds: number;
  /**
   * Whether the shards' file counts varied enough to tell the fixed cost from the per-file part.
   * When not, the fixed cost is 0 and the files carry it all (right for balance, not for pricing nodes).
   */
  readonly separated: boolean;
  /** Shared per-file overhead, for files without a figure of their own. */
  readonly perFileSeconds: number;
  /** A file's own overhead, where the history supports one: measured by its report, or fitted. */
  readonly ownOverhead: ReadonlyMap<string, number>;
  /** How many of `ownOverhead` their reports measured (a file's suite time beyond its tests). */
  readonly reportedFiles: number;
  readonly observations: number;
  readonly outliers: number;
}

export const NO_WALL_MODEL: WallModel = { modelled: false, separated: false, fixedSeconds: 0, perFileSeconds: 0, ownOverhead: new Map(), reportedFiles: 0, observations: 0, outliers: 0 };

/** One recorded shard: its files and how much of its wall the testcases did not explain. */
interface Observation {
  /** Its files whose overhead the run's reports did not measure: the fit prices these. */
  readonly files: readonly string[];
  /** All its files. */
  readonly all: number;
  /** wall - Σ test seconds of its files - Σ overhead their reports measured, in that run. */
  readonly rest: number;
  /** A key of the file set, to tell a file seen beside different files from one seen twice beside the same. */
  readonly composition: string;
}

/** The newest shard walls kept for the fit: enough for a stable median, bounded pairwise work. */
const MAX_OBSERVATIONS = 400;
/** A shard further than this many robust deviations from the fit is treated as slowed from outside. */
const OUTLIER_DEVIATIONS = 3;
/** Ridge weight on a file's own overhead, in shards: a file needs a few shards' evidence to move far. */
const RIDGE = 1;
const SWEEPS = 30;
/** Huber's constant, in robust standard deviations of the residuals. */
const HUBER = 1.345;
/** A report's median file overhead below this: its suite times only sum the testcases. */
const REPORTED_MIN_SECONDS = 0.01;
/** A file's measured overhead is the median of its newest this many measurements. */
const REPORTED_RUNS = 5;

/**
 * Fits the model to the history's shard walls (runs oldest first), as one regression over every
 * recorded shard: wall not explained by tests = fixed + Σ over its files (shared + own(file)),
 * where a file's own part is pulled towards 0 (ridge) unless the shards it ran on say otherwise.
 *
 * Robust to a shard that was slow for a reason that has nothing to do with its files (a noisy
 * neighbour on the CI host, a cold cache, a retried download): the fit is iteratively reweighted
 * with Huber weights, so a shard far from the fit counts less and less, and in the end a shard more
 * than three robust deviations (1.4826 × the median absolute residual) away is set aside entirely.
 * A file's real heavy import is not mistaken for such a one-off, because it repeats in every shard
 * the file runs on: its own overhead explains all of them, while a one-off slow shard's files ran
 * at their usual speed everywhere else, so only that shard stays far from the fit.
 */
export function fitWallModel(orderedRuns: readonly TimingRun[]): WallModel {
  const { observations, reported } = collectObservations(orderedRuns);
  if (observations.length === 0) return NO_WALL_MODEL;

  // The fixed and shared parts are told apart only by shards with clearly different counts of
  // files whose overhead is not measured. When they cannot be (a split by count: 14, 13 and 13
  // files), and the reports measured most files' overhead, what is left of a shard's wall is its
  // start-up: the fixed cost. Otherwise the files take it all: weighing files by count is the safe
  // error (a plan with as many files per shard is still predicted right), while calling it all a
  // fixed cost would plan as if overhead did not exist and pile cheap-looking files together.
  const counts = observations.map((o) => o.files.length);
  let all = 0;
  let unmeasured = 0;
  for (const o of observations) {
    all += o.all;
    unmeasured += o.files.length;
  }
  const mode: FitMode = separable(counts) ? 'both' : unmeasured <= all / 2 ? 'fixed' : 'perFile';
  const fit = new JointFit(observations, mode);
  // start from weights of a robust line (Theil–Sen: the median of pairwise slopes ignores up to
  // ~29% of odd shards), so that least squares does not start bent towards a slowed shard
  fit.startFrom(theilSen(counts, observations.map((o) => o.rest)));
  fit.solve();
  for (let round = 0; round < 4; round++) {
    fit.reweight(false);
    fit.solve();
  }
  const outliers = fit.reweight(true);
  if (outliers > 0) fit.solve();

  const ownOverhead = new Map<string, number>();
  for (const [file, k] of fit.fileIndex) {
    if (fit.compositions[k]!.size >= 2) ownOverhead.set(file, Math.max(0, fit.perFile + fit.delta[k]!));
  }
  // what a file's own report measured beats what the fit could infer from shard totals
  for (const [file, values] of reported) ownOverhead.set(file, median(values.slice(-REPORTED_RUNS)));
  return {
    modelled: true,
    separated: mode !== 'perFile',
    fixedSeconds: fit.fixed,
    perFileSeconds: fit.perFile,
    ownOverhead,
    reportedFiles: reported.size,
    observations: observations.length,
    outliers,
  };
}

/**
 * Which shared parts the fit prices: both (file counts vary), only the fixed cost (counts do not,
 * but the reports measured most files' overhead), or only a per-file figure (neither).
 */
type FitMode = 'both' | 'fixed' | 'perFile';

/** Weighted ridge regression by projected coordinate descent (every part stays >= 0). */
class JointFit {
  fixed = 0;
  perFile = 0;
  readonly delta: Float64Array;
  readonly fileIndex = new Map<string, number>();
  /** Per file, the distinct file sets of the kept shards it ran on. */
  readonly compositions: Set<string>[] = [];
  private readonly members: Int32Array[];
  private readonly filesOf: number[][];
  private readonly weights: Float64Array;
  private readonly residual: Float64Array;

  constructor(
    private readonly obs: readonly Observation[],
    private readonly mode: FitMode,
  ) {
    for (const file of [...new Set(obs.flatMap((o) => o.files))].sort(compareCodeUnits)) this.fileIndex.set(file, this.fileIndex.size);
    this.members = obs.map((o) => Int32Array.from(o.files, (f) => this.fileIndex.get(f)!));
    this.filesOf = Array.from({ length: this.fileIndex.size }, () => []);
    this.members.forEach((list, i) => {
      for (const k of list) this.filesOf[k]!.push(i);
    });
    this.delta = new Float64Array(this.fileIndex.size);
    this.weights = new Float64Array(obs.length).fill(1);
    this.residual = new Float64Array(obs.length);
    this.countCompositions();
  }

  /** Huber weights from the residuals of a line without per-file parts. */
  startFrom(line: { fixed: number; perFile: number }): void {
    if (this.mode !== 'both' || line.fixed < 0 || line.perFile < 0) return;
    this.obs.forEach((o, i) => (this.residual[i] = o.rest - line.fixed - line.perFile * o.files.length));
    this.reweight(false);
  }

  solve(): void {
    const { obs, weights, residual, members, delta } = this;
    const update = (): void => {
      obs.forEach((o, i) => {
        let r = o.rest - this.fixed - this.perFile * o.files.length;
        for (const k of members[i]!) r -= delta[k]!;
        residual[i] = r;
      });
    };
    update();
    for (let sweep = 0; sweep < SWEEPS; sweep++) {
      // the two shared parts together, by weighted least squares (they are correlated: one at a time crawls)
      {
        let sw = 0;
        let sn = 0;
        let snn = 0;
        let sr = 0;
        let snr = 0;
        obs.forEach((o, i) => {
          const w = weights[i]!;
          const n = o.files.length;
          const y = residual[i]! + this.fixed + this.perFile * n;
          sw += w;
          sn += w * n;
          snn += w * n * n;
          sr += w * y;
          snr += w * n * y;
        });
        let fixed = 0;
        let perFile = snn > 0 ? Math.max(0, snr / snn) : 0;
        const det = sw * snn - sn * sn;
        if (this.mode === 'fixed') {
          fixed = sw > 0 ? Math.max(0, sr / sw) : 0;
          perFile = 0;
        } else if (this.mode === 'both' && det > 1e-9 * Math.max(1, sw * snn)) {
          const c = (snn * sr - sn * snr) / det;
          const o = (sw * snr - sn * sr) / det;
          if (c >= 0 && o >= 0) {
            fixed = c;
            perFile = o;
          } else if (o < 0) {
            fixed = sw > 0 ? Math.max(0, sr / sw) : 0;
            perFile = 0;
          }
        }
        const stepFixed = fixed - this.fixed;
        const stepPerFile = perFile - this.perFile;
        this.fixed = fixed;
        this.perFile = perFile;
        obs.forEach((o, i) => (residual[i]! -= stepFixed + stepPerFile * o.files.length));
      }
      for (let k = 0; k < delta.length; k++) {
        let num = 0;
        let den = RIDGE;
        for (const i of this.filesOf[k]!) {
          num += weights[i]! * (residual[i]! + delta[k]!);
          den += weights[i]!;
        }
        // overhead is never negative: a file cannot give back time it never took
        const next = Math.max(-this.perFile, num / den);
        const step = next - delta[k]!;
        if (step === 0) continue;
        delta[k] = next;
        for (const i of this.filesOf[k]!) residual[i]! -= step;
      }
    }
    update();
  }

  /** Huber weights from the residuals; with `trim`, shards beyond three robust deviations get none. Returns how many have none. */
  reweight(trim: boolean): number {
    const { residual, weights, obs } = this;
    const scale = 1.4826 * median(Array.from(residual, Math.abs));
    const rests = median(obs.map((o) => Math.abs(o.rest)));
    // a floor, so that a perfectly regular history does not call a 10 ms wobble an outlier
    const s = Math.max(scale, 0.05 + 0.01 * rests);
    let dropped = 0;
    for (let i = 0; i < obs.length; i++) {
      const r = Math.abs(residual[i]!);
      if (trim && r > OUTLIER_DEVIATIONS * s) {
        weights[i] = 0;
        dropped++;
      } else {
        weights[i] = r <= HUBER * s ? 1 : (HUBER * s) / r;
      }
    }
    if (trim) this.countCompositions();
    return dropped;
  }

  private countCompositions(): void {
    this.compositions.length = 0;
    for (let k = 0; k < this.fileIndex.size; k++) this.compositions.push(new Set());
    this.members.forEach((list, i) => {
      if (this.weights[i] === 0) return;
      for (const k of list) this.compositions[k]!.add(this.obs[i]!.composition);
    });
  }
}

/** The overhead of one file under the model: its own figure, else the shared one. */
export function overheadOf(model: WallModel, file: string): number {
  return model.ownOverhead.get(file) ?? model.perFileSeconds;
}

/**
 * A run's files' overhead as their own reports measured it (suite time beyond the testcases), when
 * the runner counts a file's import and setup in its suite. One whose suite time only sums its
 * testcases (vitest, playwright) leaves a millisecond or two on each file; one that counts them
 * (jest-junit, the shipped node:test reporter: each file's own process) leaves tens of milliseconds
 * at least on nearly every file, so the median file tells the two apart. (cucumber-js and rspec
 * load every file before running any, so no per-file figure exists there.)
 */
function reportedOverheads(run: TimingRun): Map<string, number> | undefined {
  if (run.fileWalls === undefined || run.fileWalls.size === 0) return undefined;
  const out = new Map<string, number>();
  for (const [file, wall] of run.fileWalls) {
    const tests = run.seconds.get(file);
    if (tests !== undefined && Number.isFinite(wall) && Number.isFinite(tests)) out.set(file, Math.max(0, wall - tests));
  }
  if (out.size === 0 || median([...out.values()]) < REPORTED_MIN_SECONDS) return undefined;
  return out;
}

function collectObservations(orderedRuns: readonly TimingRun[]): { observations: Observation[]; reported: Map<string, number[]> } {
  const out: Observation[] = [];
  const reported = new Map<string, number[]>();
  for (const run of orderedRuns) {
    const measured = reportedOverheads(run);
    // a file's overhead in this run, scaled down on a shard that ran its files side by side
    const thisRun = new Map(measured ?? []);
    if (run.shards !== undefined) collectShards(run, run.shards, measured, thisRun, out);
    for (const [file, seconds] of thisRun) {
      let list = reported.get(file);
      if (list === undefined) reported.set(file, (list = []));
      list.push(seconds);
    }
  }
  return { observations: out.slice(-MAX_OBSERVATIONS), reported };
}

/** One observation per shard of the run whose files all have a time in it. */
function collectShards(run: TimingRun, runShards: readonly ShardWall[], measured: ReadonlyMap<string, number> | undefined, thisRun: Map<string, number>, out: Observation[]): void {
  // shards by index, so the observations do not depend on the order a source listed them in
  for (const shard of [...runShards].sort((a, b) => a.index - b.index)) {
    if (!Number.isFinite(shard.wallSeconds) || shard.wallSeconds <= 0 || shard.files.length === 0) continue;
    const files = [...new Set(shard.files)].sort(compareCodeUnits);
    let tests = 0;
    let overheads = 0;
    let complete = true;
    const unmeasured: string[] = [];
    for (const file of files) {
      const seconds = run.seconds.get(file);
      if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
        complete = false;
        break;
      }
      const overhead = measured?.get(file);
      if (overhead === undefined) unmeasured.push(file);
      tests += seconds;
      overheads += overhead ?? 0;
    }
    // a file without a time in its own run (it crashed the reporter) would count its tests as overhead
    if (!complete) continue;
    // files whose walls add up to more than the shard's ran side by side (node --test runs
    // several at once): each file's share of the shard's time beyond its tests is what it cost
    if (tests + overheads > shard.wallSeconds && overheads > 0) {
      const scale = Math.max(0, shard.wallSeconds - tests) / overheads;
      for (const file of files) {
        const overhead = measured?.get(file);
        if (overhead !== undefined) thisRun.set(file, overhead * scale);
      }
      overheads *= scale;
    }
    out.push({ files: unmeasured, all: files.length, rest: shard.wallSeconds - tests - overheads, composition: files.join('\n') });
  }
}

/**
 * Whether file counts vary enough to carry a slope: a range of at least 2 files and a fifth of
 * the median count. With 14 against 13 files, a few seconds of noise make a slope of any sign.
 */
function separable(counts: readonly number[]): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (const n of counts) {
    if (n < min) min = n;
    if (n > max) max = n;
  }
  return max - min >= Math.max(2, 0.2 * median(counts.slice()));
}

/** Theil–Sen: slope = median pairwise slope over pairs with different x, intercept = median(y - slope·x). */
function theilSen(x: readonly number[], y: readonly number[]): { fixed: number; perFile: number } {
  const slopes: number[] = [];
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = x[j]! - x[i]!;
      if (dx !== 0) slopes.push((y[j]! - y[i]!) / dx);
    }
  }
  if (slopes.length === 0) return { fixed: -1, perFile: -1 };
  const perFile = median(slopes);
  return { fixed: median(y.map((v, i) => v - perFile * x[i]!)), perFile };
}

/** Median; the mean of the two middle values for an even count. Sorts `values` in place. */
function median(values: number[]): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}
