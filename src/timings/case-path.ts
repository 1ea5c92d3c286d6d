import { normalisePath } from '../paths.js';
import type { CaseLocation } from '../junit/types.js';

/**
 * The test file a JUnit testcase belongs to when no discovered files are known to match against
 * (`record` without a file list): the `file` attribute, else the first suite or class name that
 * reads as a path (vitest, jest and playwright name suites after the file), else the outermost
 * suite's name, else the class name (Surefire's `com.acme.FooTest` is still a stable key).
 */
export function pathOfCase(c: CaseLocation): string | undefined {
  if (c.file !== undefined && c.file.trim() !== '') return normalisePath(c.file.trim()) || undefined;
  for (const candidate of [...[...(c.suites ?? [])].reverse(), c.classname]) {
    if (candidate !== undefined && /[/\\]/.test(candidate)) return normalisePath(candidate.trim()) || undefined;
  }
  const name = c.suites?.[0]?.trim() || c.classname?.trim();
  return name ? normalisePath(name) : undefined;
}

/** What to call a case's file in "could not map" counts: what it says about its location. */
export function locationLabel(c: CaseLocation): string {
  return c.file ?? c.classname ?? c.suites?.at(-1) ?? c.name ?? '(unnamed)';
}

/** A testcase's identity within a run: repeated by a later run of the same suite, never by another shard. */
export function caseIdentity(c: CaseLocation): string {
  // NUL never occurs in XML text, so the joined parts cannot collide
  return `${c.file ?? ''}\u0000${c.classname ?? ''}\u0000${(c.suites ?? []).join('\u0001')}\u0000${c.name ?? ''}`;
}
