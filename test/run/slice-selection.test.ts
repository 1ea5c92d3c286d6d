import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import type { RunnerPreset } from '../../src/runners/index.js';
import { selectSlices } from '../../src/run/slice-selection.js';

/** A runner whose "collection" prints the ids in LIST, one `file::id` a line, like pytest --collect-only -q. */
const preset: RunnerPreset = {
  name: 'fake',
  testPatterns: [],
  command: [process.execPath, '-e', "for (const id of (process.env.LIST ?? '').split(',').filter(Boolean)) console.log('a.py::' + id)", '{files}'],
  junitReporter: () => ({ args: [], env: {} }),
  selectTests: (file, tests) => tests.map((t) => `${file}::${t}`),
  listTests: { args: (file) => [file], parse: (stdout, file) => stdout.split('\n').filter((l) => l.startsWith(`${file}::`)).map((l) => l.slice(file.length + 2)) },
  testOf: () => undefined,
};

const slice = (n: number, tests: string[]) => ({ file: 'a.py', slice: n, of: 2, tests, estimatedSeconds: 1 });
const plan = { shards: [{ index: 1, files: [], slices: [slice(1, ['t1'])] }, { index: 2, files: [], slices: [slice(2, ['t2', 'gone'])] }] } as unknown as Plan;
const select = (shard: number, list: string) => selectSlices({ plan, shard, preset, command: preset.command, cwd: process.cwd(), env: { ...process.env, LIST: list } });

describe('selectSlices', () => {
  it('slice 1 runs every listed test no other slice names; others their tests the file still holds', async () => {
    expect(await select(1, 't1,t2,t_new')).toMatchObject({ args: ['a.py::t1', 'a.py::t_new'], files: ['a.py'], dropped: [] });
    expect(await select(2, 't1,t2,t_new')).toMatchObject({ args: ['a.py::t2'], dropped: ['a.py::gone'] });
  });

  it('runs the planned tests when the runner lists none, never dropping them silently', async () => {
    expect(await select(2, '')).toMatchObject({ args: ['a.py::t2', 'a.py::gone'], dropped: [] });
  });
});
