import { fileURLToPath } from 'node:url';
import type { ResidentLaunch } from './types.js';

/** Shipped in the package: the resident pytest driver, runners/pytest/split_tests_feed.py. */
export const PYTEST_FEED_DRIVER = fileURLToPath(new URL('../../runners/pytest/split_tests_feed.py', import.meta.url));

// python, python3, python3.11, pypy3, by name or by path (a virtualenv's .venv/bin/python)
const INTERPRETER = /^(?:python|pypy)(?:\d+(?:\.\d+)*)?$/;
// Interpreter options that mean the same before a script as before `-m pytest`, and let the
// driver's pytest.main run as `-m pytest` would: -b -B -d -E -O -q -R -s -S -u -v, and -I / -P,
// under which the driver leaves the working directory off sys.path as -m does. Not -i (a prompt
// at the end of input), -x (skips the script's first line), -c or another -m.
const PLAIN_FLAGS = /^-[bBdEOqRsSuvIP]+$/;
// -W and -X take a value, attached (-Werror) or as the next argument
const VALUED_FLAG = /^-[WX]/;

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/**
 * `python3 [flags] -m pytest ARGS` → the driver under the same interpreter with the same flags,
 * and ARGS for each batch. Anything else is undefined and runs a command per batch: a bare
 * `pytest` script (its shebang names the interpreter, which we would have to read and trust),
 * a wrapper (`tox`, `poetry run`, `uv run`, `env`, a shell script: it sets up what the tests see,
 * once per command, and the driver would bypass it), or a flag whose meaning we do not know.
 */
export function residentPytest(argv: readonly string[]): ResidentLaunch | undefined {
  const [python, ...rest] = argv;
  if (python === undefined || !INTERPRETER.test(baseName(python))) return undefined;
  const flags: string[] = [];
  const launch = (from: number): ResidentLaunch => ({ command: [python, ...flags, PYTEST_FEED_DRIVER], args: rest.slice(from) });
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '-m' && rest[i + 1] === 'pytest') return launch(i + 2);
    if (arg === '-mpytest') return launch(i + 1);
    if (PLAIN_FLAGS.test(arg)) flags.push(arg);
    else if (VALUED_FLAG.test(arg)) {
      if (arg.length > 2) flags.push(arg);
      else if (i + 1 < rest.length) flags.push(arg, rest[++i]!);
      else return undefined;
    } else return undefined;
  }
  return undefined;
}
