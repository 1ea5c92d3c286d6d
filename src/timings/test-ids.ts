import type { JUnitCase } from '../junit/types.js';

/** How a testcase of a known test file is named in the per-test history (a preset's own mapping wins). */
export type TestIdOf = (file: string, c: JUnitCase) => string;

/**
 * The test id without a runner preset: the case's name, after its class when the class says more
 * than the file does. Vitest, jest and playwright name the class after the file (the id is the
 * name); pytest's class is the module's dotted path and then its classes, of which only the
 * classes are kept (`TestCart::test_add`, the part of pytest's node id after the file); any other
 * class (Surefire, rspec) stays whole before the name.
 */
export const defaultTestId: TestIdOf = (file, c) => {
  const classname = (c.classname ?? '').trim();
  if (classname === '' || classname === file || classname.endsWith(`/${file}`) || file.endsWith(`/${classname}`)) return c.name;
  const module = file.replace(/\.[^./]+$/, '').replace(/\//g, '.');
  if (classname === module) return c.name;
  if (classname.startsWith(`${module}.`)) return [...classname.slice(module.length + 1).split('.'), c.name].join('::');
  return `${classname}::${c.name}`;
};
