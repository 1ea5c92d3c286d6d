import type { CaseLocation } from './types.js';

/**
 * pytest's `file` attribute (junit_family=xunit1) is where the test function is *defined*
 * (pytest's item location): for a test inherited from a base class in another module
 * (`class TestDiGraph(HistoricalTests)`), or one wrapped by a decorator defined elsewhere, that
 * is not the test file pytest collected and ran it from. The class name comes from the node id,
 * so it names the test file. Seen on networkx's own suite: 300 testcases of
 * `test_digraph_historical.py` carry `file="…/historical_tests.py"`.
 *
 * When the module part of a dotted class name disagrees with `file`, this returns that module
 * as a path (`pkg/tests/test_sub.py`), with the class part after it; undefined when they agree
 * or when the class name is no module path. The module part is the class name less its trailing
 * CapWords segments (Python class names); callers that know the real files (a file list, the
 * checkout) resolve the class name against those instead and use this only as the signal.
 */
export function nodeFileOfCase(c: CaseLocation): { readonly file: string; readonly classes: readonly string[] } | undefined {
  const file = c.file?.trim().replace(/^\.\//, '');
  const classname = c.classname?.trim();
  if (file === undefined || classname === undefined || !file.endsWith('.py') || classname === '') return undefined;
  if (!/^[\w.]+$/.test(classname) || classname.startsWith('.') || classname.endsWith('.')) return undefined;
  const fileModule = file.slice(0, -3).replace(/[/\\]/g, '.');
  if (classname === fileModule || classname.startsWith(`${fileModule}.`)) return undefined;
  const segments = classname.split('.');
  let end = segments.length;
  while (end > 1 && /^[A-Z]/.test(segments[end - 1]!)) end--;
  const module = segments.slice(0, end).join('.');
  // the same module seen from another root (`src.pkg.test_x` against `pkg/test_x.py`): no disagreement
  if (module === fileModule || fileModule.endsWith(`.${module}`) || module.endsWith(`.${fileModule}`)) return undefined;
  return { file: `${segments.slice(0, end).join('/')}.py`, classes: segments.slice(end) };
}
