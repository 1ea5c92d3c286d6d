import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateCases } from '../junit/fold-attempts.js';
import { mergeReports } from '../junit/merge.js';
import type { Plan, ShardSlice } from '../plan/types.js';
import type { RunnerPreset, TestRef } from '../runners/types.js';
import { selectionGroups } from '../runners/twins.js';
import type { ShardOutcome } from './exit-status.js';
import { probeJUnitReport } from './junit-probe.js';

/**
 * One slice of a split file as a command of its own: for runners whose test selection is an
 * option over the whole run (`-t`, `--grep`), which would filter the shard's whole files too.
 */
export interface SliceCommand {
  readonly file: string;
  readonly slice: number;
  readonly of: number;
  /** What takes the place of `{files}`: the preset's selection of the slice's tests in the file. */
  readonly args: readonly string[];
  /** Slice 1, run as "every test of the file but the other slices'" (the preset's exclusion). */
  readonly rest: boolean;
  /** The tests the plan put in this slice (those history knows), and in the file's other slices. */
  readonly planned: readonly string[];
  readonly others: readonly string[];
}

/**
 * The commands that run a shard's slices (pure). Slice 1 runs every test of the file but the
 * other slices' (the preset's excludeTests), so a test added since the history ran runs exactly
 * once, and a test history knows but the file lost is simply not matched; the other slices select
 * their own tests.
 */
export function sliceCommands(plan: Plan, shard: number, preset: RunnerPreset): SliceCommand[] {
  const select = preset.selectTests;
  if (select === undefined) return [];
  const out: SliceCommand[] = [];
  for (const slice of plan.shards[shard - 1]?.slices ?? []) {
    const others = otherSlices(plan, slice);
    const base = { file: slice.file, slice: slice.slice, of: slice.of, planned: slice.tests, others };
    if (slice.slice === 1 && preset.excludeTests !== undefined) {
      const args = others.length === 0 ? [preset.fileArg ? preset.fileArg(slice.file) : slice.file] : preset.excludeTests(slice.file, others);
      out.push({ ...base, args, rest: true });
    } else if (slice.tests.length > 0) {
      out.push({ ...base, args: select(slice.file, slice.tests), rest: false });
    }
  }
  return out;
}

/**
 * Which of these ids (a slice's report) the slice owns, as the runner's pattern matched them:
 * ids it cannot tell apart (the preset's `indistinguishable`: jest's case-insensitive `-t`) go
 * together, so a test added since the history that is a twin of another slice's test ran there
 * (that slice's selection caught it, slice 1's exclusion skipped it) and is owned there. A
 * selecting slice owns the groups holding its planned tests; slice 1 every group holding none of
 * the other slices' tests.
 */
export function ownedTests(command: SliceCommand, ids: readonly string[], preset: Pick<RunnerPreset, 'indistinguishable'>): Set<string> {
  const planned = new Set(command.planned);
  const others = new Set(command.others);
  const owned = new Set<string>();
  for (const group of selectionGroups(preset, [...command.planned, ...command.others, ...ids])) {
    const mine = command.rest ? !group.some((id) => others.has(id)) : group.some((id) => planned.has(id));
    if (mine) for (const id of group) owned.add(id);
  }
  return owned;
}

/** Tests of the file's other slices, on any shard of the plan, sorted as the plan lists them. */
function otherSlices(plan: Plan, slice: ShardSlice): string[] {
  const out: string[] = [];
  for (const shard of plan.shards) {
    for (const other of shard.slices ?? []) if (other.file === slice.file && other.slice !== slice.slice) out.push(...other.tests);
  }
  return out;
}

export interface RunSlicesInput {
  /** The shard's whole files (as they go on the command line); none: no command for them. */
  readonly files: readonly string[];
  readonly commands: readonly SliceCommand[];
  readonly preset: Pick<RunnerPreset, 'testOf' | 'indistinguishable'>;
  /** The shard's report (absolute), or undefined without --junit. */
  readonly junit: string | undefined;
  /** Runs the command with `args` in place of `{files}`, writing its report to `junit`; seconds left of --timeout. */
  readonly run: (args: readonly string[], junit: string | undefined, timeoutSeconds: number | undefined) => Promise<ShardOutcome>;
  readonly timeoutSeconds?: number | undefined;
  readonly now: () => number;
  readonly narrate: (line: string) => void;
  /** `K/N`, for narration. */
  readonly shard: string;
  /** `name` of the shard report's root. */
  readonly name: string;
}

/**
 * Runs a shard as several commands, one after another: its whole files in one, then each slice in
 * its own, each writing its report to a temporary folder; then writes one report at the shard's
 * path with every command's testcases, a slice's only for its own tests, so that merge and
 * record see one shard. The outcome: the first stop, timeout or signal (no further command
 * starts), else the first non-zero exit, else 0. When a command leaves no usable report, the
 * shard's is not written at all (run then reports the shard as without one): never half a shard.
 */
export async function runSliceCommands(input: RunSlicesInput): Promise<{ outcome: ShardOutcome; dropped: string[] }> {
  const dir = input.junit === undefined ? undefined : await mkdtemp(join(tmpdir(), 'split-tests-slices-'));
  try {
    const parts: { junit: string | undefined; command: SliceCommand | undefined; label: string }[] = [];
    if (input.files.length > 0) parts.push({ junit: dir && join(dir, 'files.xml'), command: undefined, label: `its ${input.files.length} whole file${input.files.length === 1 ? '' : 's'}` });
    input.commands.forEach((command, i) => parts.push({ junit: dir && join(dir, `slice-${i + 1}.xml`), command, label: `${command.file} slice ${command.slice} of ${command.of}` }));
    const started = input.now();
    let outcome: ShardOutcome = { kind: 'exited', exitCode: 0 };
    const ran: typeof parts = [];
    for (const part of parts) {
      const left = input.timeoutSeconds === undefined ? undefined : Math.max(0.001, input.timeoutSeconds - (input.now() - started) / 1000);
      const result = await input.run(part.command?.args ?? input.files, part.junit, left);
      ran.push(part);
      if (result.kind !== 'exited') {
        outcome = result;
        break;
      }
      if (result.exitCode !== 0 && outcome.kind === 'exited' && outcome.exitCode === 0) outcome = result;
    }
    let dropped: string[] = [];
    if (input.junit !== undefined && ran.length === parts.length) {
      const missing: string[] = [];
      for (const part of ran) {
        const probe = await probeJUnitReport(part.junit!);
        if (!probe.usable) missing.push(`${part.label} (its report ${probe.reason})`);
      }
      if (missing.length > 0) {
        input.narrate(`shard ${input.shard}: no report from ${missing.join(', ')}: the shard's report is not written`);
      } else {
        dropped = await combineReports(ran.map((p) => ({ junit: p.junit!, command: p.command })), input);
      }
    }
    return { outcome, dropped };
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Each slice's report cut to its own tests, then all merged into the shard's report. Returns the
 * planned tests (`file::id`) no slice report holds: with the selection exact and the report
 * complete, the file no longer has them (they are not missing from the run).
 */
async function combineReports(parts: readonly { junit: string; command: SliceCommand | undefined }[], input: RunSlicesInput): Promise<string[]> {
  const inputs: string[] = [];
  const gone: string[] = [];
  let dropped = 0;
  for (const part of parts) {
    if (part.command === undefined) {
      inputs.push(part.junit);
      continue;
    }
    const xml = await readFile(part.junit, 'utf8');
    const { text, removed, kept: own } = keepOwnTests(xml, part.junit, part.command, input.preset);
    dropped += removed;
    for (const test of part.command.planned) if (!own.has(test)) gone.push(`${part.command.file}::${test}`);
    const kept = `${part.junit}.own.xml`;
    await writeFile(kept, text);
    inputs.push(kept);
  }
  await mergeReports({ inputs, output: input.junit!, name: input.name });
  if (dropped > 0) input.narrate(`shard ${input.shard}: left out ${dropped} testcase${dropped === 1 ? '' : 's'} the slices' filters reported but other slices own`);
  return gone;
}

/**
 * The report with only the slice's own testcases of its file: every testcase the preset maps to
 * the file and a test the slice does not own is cut out (the runner's filter skips, another
 * slice's twins). Testcases the preset cannot map stay (a file that failed to load).
 */
export function keepOwnTests(
  xml: string,
  name: string,
  command: SliceCommand,
  preset: Pick<RunnerPreset, 'testOf' | 'indistinguishable'>,
): { text: string; removed: number; kept: Set<string> } {
  const located = locateCases(xml, name);
  const refs = located.map(({ testcase }) => preset.testOf(testcase));
  const owned = ownedTests(command, refs.flatMap((ref) => (ref !== undefined && sameFile(ref.file, command.file) ? [ref.test] : [])), preset);
  const parts: string[] = [];
  const kept = new Set<string>();
  let at = 0;
  let removed = 0;
  for (const [i, { testcase, start, end }] of located.entries()) {
    const ref: TestRef | undefined = refs[i];
    if (ref === undefined) continue;
    if (sameFile(ref.file, command.file) && owned.has(ref.test)) {
      kept.add(ref.test);
      continue;
    }
    parts.push(xml.slice(at, start));
    at = end;
    if (testcase.status !== 'skipped') removed++;
  }
  parts.push(xml.slice(at));
  return { text: parts.join(''), removed, kept };
}

/** A report's file name may be relative to the runner's own root (playwright's testDir). */
function sameFile(reported: string, planned: string): boolean {
  return reported === planned || planned.endsWith(`/${reported}`);
}
