import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(async () => {
  while (made.length > 0) await rm(made.pop()!, { recursive: true, force: true });
});

/** A temporary folder holding the given files (path → content), removed after the test. */
export async function tempTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'split-tests-timings-'));
  made.push(root);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

/** A run's seconds as a plain sorted object, for readable assertions. */
export function secondsOf(run: { seconds: ReadonlyMap<string, number> } | undefined): Record<string, number> {
  if (!run) return {};
  return Object.fromEntries([...run.seconds.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
