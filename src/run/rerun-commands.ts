import type { RunnerPreset, TestRef } from '../runners/types.js';
import type { RerunBatch } from './retries.js';

/** One command of a shard's rerun: the arguments in place of `{files}`, and the tests they select. */
export interface RerunCommand {
  readonly args: string[];
  readonly files: string[];
  readonly tests: TestRef[];
}

/**
 * How a preset's selection combines over several files, read from what `selectTests` returns
 * (never from the runner's name):
 * - `among-files`: plain arguments (pytest's `file::test`) that stand beside other files' in one command;
 * - `global-filter`: one name filter over the whole run, then the file (`-t PATTERN file`), the
 *   filter the same whichever file: several files can share one filter when their names allow;
 * - `per-file`: the filter names the file (playwright's --grep holds its base name): one command a file.
 */
export type SelectionShape = 'among-files' | 'global-filter' | 'per-file';

type Selecting = Pick<RunnerPreset, 'selectTests' | 'fileArg' | 'indistinguishable'>;

export function selectionShape(preset: Selecting): SelectionShape {
  const select = preset.selectTests!;
  const a = select('probe/a.test.js', ['t']);
  if (a.every((arg) => !arg.startsWith('-'))) return 'among-files';
  const b = select('other/b.spec.js', ['t']);
  const fileArg = preset.fileArg ?? ((file: string) => file);
  const sameFilter = a.length === b.length && a.length >= 2 && a.slice(0, -1).every((arg, i) => arg === b[i]);
  return sameFilter && a.at(-1) === fileArg('probe/a.test.js') && b.at(-1) === fileArg('other/b.spec.js') ? 'global-filter' : 'per-file';
}

/**
 * The commands that rerun exactly the failed tests of a shard's files, as few as exactness allows.
 * `batches` are the failed tests by file (in the shard's order); `known` every test id each file
 * had in the report, failed or not. A global filter is shared by a group of files only when no
 * test it selects in one file is, to the filter, the same name as a test of another file in the
 * group that is not selected: a failed "a" in x.test.ts never reruns y.test.ts's passing "a".
 * Names the filter cannot tell apart are the preset's `indistinguishable` twins (jest's -t ignores
 * case; vitest's joins titles with spaces); otherwise a name is its own one-test filter.
 */
export function rerunCommands(preset: Selecting, batches: readonly RerunBatch[], known: ReadonlyMap<string, readonly string[]>): RerunCommand[] {
  const select = preset.selectTests!;
  const refs = (b: RerunBatch): TestRef[] => b.tests.map((test) => ({ file: b.file, test }));
  if (batches.length === 0) return [];
  const shape = selectionShape(preset);
  if (shape === 'among-files') {
    return [{ args: batches.flatMap((b) => [...select(b.file, b.tests)]), files: batches.map((b) => b.file), tests: batches.flatMap(refs) }];
  }
  if (shape === 'per-file') return batches.map((b) => ({ args: [...select(b.file, b.tests)], files: [b.file], tests: refs(b) }));

  // global filter: a test's name as the filter sees it (its twins' shared name, else its own filter)
  const ids = batches.flatMap((b) => [...b.tests, ...(known.get(b.file) ?? [])]);
  const twinOf = new Map<string, string>();
  for (const group of preset.indistinguishable?.([...new Set(ids)]) ?? []) for (const id of group) twinOf.set(id, group[0]!);
  const nameOf = (file: string, test: string): string => {
    const twin = twinOf.get(test);
    return twin === undefined ? `filter:${select(file, [test]).slice(0, -1).join('\u0000')}` : `twins:${twin}`;
  };
  interface Group {
    readonly batches: RerunBatch[];
    readonly selected: Set<string>;
    readonly unselected: Set<string>;
  }
  const groups: Group[] = [];
  for (const batch of batches) {
    const failed = new Set(batch.tests);
    const selected = new Set(batch.tests.map((t) => nameOf(batch.file, t)));
    const unselected = new Set((known.get(batch.file) ?? []).filter((t) => !failed.has(t)).map((t) => nameOf(batch.file, t)));
    const fits = (g: Group): boolean => ![...selected].some((n) => g.unselected.has(n)) && ![...unselected].some((n) => g.selected.has(n));
    const group = groups.find(fits);
    if (group === undefined) {
      groups.push({ batches: [batch], selected, unselected });
      continue;
    }
    group.batches.push(batch);
    for (const n of selected) group.selected.add(n);
    for (const n of unselected) group.unselected.add(n);
  }
  const fileArg = preset.fileArg ?? ((file: string) => file);
  return groups.map((g) => {
    const first = g.batches[0]!;
    const filter = select(first.file, [...new Set(g.batches.flatMap((b) => b.tests))]).slice(0, -1);
    return { args: [...filter, ...g.batches.map((b) => fileArg(b.file))], files: g.batches.map((b) => b.file), tests: g.batches.flatMap(refs) };
  });
}
