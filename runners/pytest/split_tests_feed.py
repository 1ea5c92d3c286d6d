"""split-tests' resident pytest driver: one Python process per queue worker, many batches.

Started as ``python3 [interpreter flags] split_tests_feed.py`` in place of ``python3 -m pytest``
(src/runners/pytest.ts, ``resident``). It speaks the ResidentLaunch protocol of
src/runners/types.ts: JSON lines both ways over the socket whose descriptor number is in
SPLIT_TESTS_FEED_FD (3). It says ``{"type":"ready"}`` once pytest is imported, runs each
``{"type":"batch","batch":N,"args":[...],"env":{...}}`` with ``pytest.main(args)`` in this process,
answers ``{"type":"done","batch":N,"exitCode":E}`` once the batch's JUnit report is written, and
exits 0 at the end of its input. The tests' stdout and stderr are this process's, as with
``python3 -m pytest``; nothing of the protocol goes there.

Why pytest.main in a loop is safe here: every call builds a new Config, plugin manager, Session,
fixture cache and terminal reporter (_pytest/config get_config: "subsequent calls to main will
create a fresh instance"), and pytest's own test suite runs pytest.main in-process thousands of
times (pytester.inline_run), restoring around each run the process-wide state it changes:
sys.modules, sys.path and sys.meta_path, the environment and the working directory. That state is
what this driver restores after every batch, so that batch N runs as a fresh ``python3 -m pytest``
would, with one difference that is the point of it:

Kept between batches (paid once per worker): pytest and its plugins, and every module that is not
a test module, a conftest.py or a module beside rootless test modules: the standard library, site-
packages, the application under test and what conftest.py files import (Django, an app factory).
A source file changed during the run is not re-read (pytest's documentation warns of this for
repeated pytest.main calls); on CI the tree does not change under a run, so that is fine.

Made fresh for every batch:
- test modules (pytest's python_files patterns), conftest.py modules and the modules found beside
  rootless test modules (no __init__.py: pytest imports them by basename, so tests/a/test_x.py and
  tests/b/test_x.py, or their helper.py, are both "test_x" and "helper"). They are dropped from
  sys.modules after the batch and imported again by the next, so module-level state in a conftest
  does not carry over and the same basename in another directory is imported from its own file;
- sys.path, sys.meta_path, sys.argv, sys.stdin/stdout/stderr, os.environ (plus the batch's
  variables, and the time zone if TZ changed), the working directory, the warning filters and
  every logger's handlers and level are set back to what they were before the batch;
- pytest's cache (.pytest_cache, --lf, --nf) is read from disk by each pytest.main and written at
  its end, exactly as between separate commands.
Not undone: what a test does to other modules' globals, threads it leaves running, atexit
handlers (they run once, when the driver exits), and classes registered with a kept module (a
Django model defined in a test module is registered again, with Django's warning). What outlives
a batch is frozen for the cyclic garbage collector (see _settle): gc.get_objects() in a later batch
does not list it.

pytest's fd-level capture redirects descriptors 0, 1 and 2 only; the socket stays on descriptor 3
(not inheritable, so subprocesses started by tests do not hold it). A test that calls os._exit
ends the driver; split-tests fails that batch and starts a new driver for the next one.

Standard library only; Python >= 3.8.
"""

import fnmatch
import gc
import json
import logging
import os
import sys
import time
import traceback
import warnings

FD_VARIABLE = "SPLIT_TESTS_FEED_FD"
# What `python3 -m pytest` exits with for an exception pytest.main did not handle is Python's 1;
# the driver answers pytest's own INTERNAL_ERROR, since it goes on to the next batch.
INTERNAL_ERROR = 3


def _path_as_with_dash_m():
    """sys.path[0] as `python3 -m pytest` has it: the working directory, not this script's folder
    (-P / PYTHONSAFEPATH and -I leave it out, as they do for -m)."""
    here = os.path.realpath(os.path.dirname(os.path.abspath(__file__)))
    if sys.path and sys.path[0] and os.path.realpath(sys.path[0]) == here:
        del sys.path[0]
    if not getattr(sys.flags, "safe_path", False) and not sys.flags.isolated:
        sys.path.insert(0, os.getcwd())


def _preload(pytest_module):
    """Import what every pytest.main imports anyway (its built-in plugins), so that the first batch
    does not pay for it; importing a module registers nothing, so no result changes."""
    try:
        from _pytest.config import default_plugins
    except ImportError:  # pytest's internals moved: the first batch imports them instead
        return
    for name in default_plugins:
        try:
            __import__("_pytest." + name)
        except Exception:
            pass


def _settle():
    """Collect this batch's garbage, then freeze what survives (gc.freeze): pytest, the app and
    what the conftest files imported stay alive for the worker's life, and the full collections
    in the next batches (pytest >= 8.4 runs one at the end of every session, to report unraisable
    exceptions; with a large app that alone took 0.2 s a batch) then walk only the new objects.
    Frozen objects are still freed by reference counting; only the cyclic collector, and
    gc.get_objects(), leave them out."""
    gc.collect()
    if hasattr(gc, "freeze"):
        gc.freeze()


def _exit_code(value):
    """pytest.main returns an ExitCode (an IntEnum) or a plugin's int; SystemExit carries None, an
    int or a message, as Python's own exit would take them."""
    if value is None:
        return 0
    if isinstance(value, int):
        return int(value)
    print(value, file=sys.stderr)
    return 1


def _matches(pattern, path):
    """pytest's fnmatch_ex: a pattern without a separator matches the basename, else the path."""
    if os.sep not in pattern:
        return fnmatch.fnmatch(os.path.basename(path), pattern)
    if not os.path.isabs(pattern):
        pattern = "*" + os.sep + pattern
    return fnmatch.fnmatch(path, pattern)


def _within(path, folder):
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class _Batch:
    """A plugin passed to each pytest.main: it only notes the batch's python_files patterns."""

    def __init__(self):
        self.python_files = ["test_*.py", "*_test.py"]

    def pytest_configure(self, config):
        try:
            self.python_files = list(config.getini("python_files"))
        except Exception:
            pass


def _module_file(module):
    try:
        name = getattr(module, "__file__", None)
    except Exception:  # a lazy module may raise on attribute access
        return None
    return os.path.realpath(name) if isinstance(name, str) else None


def _forget_test_modules(before, path_before, python_files):
    """Drop from sys.modules what this batch imported that the next one must import afresh."""
    added = [name for name in list(sys.modules) if name not in before]
    files = {}
    for name in added:
        path = _module_file(sys.modules.get(name))
        if path is not None:
            files[name] = path
    tests = [path for path in files.values() if any(_matches(p, path) for p in python_files)]
    # folders put on sys.path for this batch that hold its test modules: rootless test folders,
    # whose modules are imported by basename (a conftest's folder on sys.path before, such as the
    # working directory, keeps the application's modules)
    known = {os.path.realpath(p) for p in path_before if isinstance(p, str) and p}
    inserted = {os.path.realpath(p) for p in sys.path if isinstance(p, str) and p} - known
    rootless = [folder for folder in inserted if any(_within(t, folder) for t in tests)]
    dropped = set()
    for name, path in files.items():
        base = os.path.basename(path)
        if base == "conftest.py" or path in tests or any(_within(path, f) for f in rootless):
            dropped.add(name)
    for name in added:
        # submodules of dropped packages, and the module-less parents pytest's importlib mode
        # inserts for them
        if name in dropped or name in files:
            continue
        if any(name.startswith(d + ".") or d.startswith(name + ".") for d in dropped):
            dropped.add(name)
    for name in dropped:
        sys.modules.pop(name, None)


def _loggers():
    manager = logging.Logger.manager
    return [logging.root] + [x for x in list(manager.loggerDict.values()) if isinstance(x, logging.Logger)]


def _logging_state():
    """Every logger's handlers, level and flags: a conftest's logging.basicConfig() would otherwise
    keep a handler bound to an earlier batch's (closed) capture stream, and basicConfig in the
    next batch would not replace it ("--- Logging error ---" on every record)."""
    saved = {id(x): (list(x.handlers), x.level, x.propagate, x.disabled) for x in _loggers()}
    return saved, logging.Logger.manager.disable


def _restore_logging(state):
    saved, disable = state
    kept = {id(h) for handlers, _, _, _ in saved.values() for h in handlers}
    added = []
    for logger in _loggers():
        # a logger first made in this batch goes back to how getLogger makes one
        handlers, level, propagate, disabled = saved.get(id(logger), ([], logging.NOTSET, True, False))
        added.extend(h for h in logger.handlers if id(h) not in kept)
        logger.handlers = handlers
        logger.setLevel(level)
        logger.propagate = propagate
        logger.disabled = disabled
    logging.disable(disable)
    for handler in added:
        try:
            handler.close()
        except Exception:
            pass


def run_batch(pytest_module, message):
    """One batch: pytest.main with the batch's args and env, then the process set back."""
    args = [str(a) for a in message.get("args", [])]
    env = message.get("env") or {}
    modules_before = set(sys.modules)
    path_before = list(sys.path)
    meta_path_before = list(sys.meta_path)
    argv_before = list(sys.argv)
    environ_before = dict(os.environ)
    cwd_before = os.getcwd()
    streams_before = (sys.stdin, sys.stdout, sys.stderr)
    warning_filters_before = list(warnings.filters)
    logging_before = _logging_state()
    batch = _Batch()
    os.environ.update({str(k): str(v) for k, v in env.items()})
    # `python3 -m pytest ARGS` has sys.argv = [pytest's __main__.py, *ARGS]
    sys.argv[:] = [os.path.join(os.path.dirname(pytest_module.__file__), "__main__.py")] + args
    try:
        exit_code = _exit_code(pytest_module.main(args, plugins=[batch]))
    except SystemExit as stop:
        exit_code = _exit_code(stop.code)
    except KeyboardInterrupt:
        raise
    except BaseException:
        traceback.print_exc()
        exit_code = INTERNAL_ERROR
    finally:
        _flush()
        sys.stdin, sys.stdout, sys.stderr = streams_before
        _flush()
        os.chdir(cwd_before)
        _forget_test_modules(modules_before, path_before, batch.python_files)
        sys.path[:] = path_before
        sys.meta_path[:] = meta_path_before
        sys.argv[:] = argv_before
        tz_changed = os.environ.get("TZ") != environ_before.get("TZ")
        os.environ.clear()
        os.environ.update(environ_before)
        if tz_changed and hasattr(time, "tzset"):
            time.tzset()
        warnings.filters[:] = warning_filters_before
        # the "once"/"default" registries of modules must see that the filters changed
        getattr(warnings, "_filters_mutated", lambda: None)()
        _restore_logging(logging_before)
        _settle()
    return exit_code


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


class _Feed:
    """JSON lines over the descriptor: read through a buffer, written whole with os.write (any
    descriptor type works; node's stdio "pipe" is a socket pair)."""

    def __init__(self, fd):
        self.fd = fd
        self.incoming = os.fdopen(fd, "rb", closefd=False)

    def messages(self):
        for line in self.incoming:
            if line.strip():
                yield json.loads(line.decode("utf-8"))

    def send(self, message):
        data = (json.dumps(message) + "\n").encode("utf-8")
        while data:
            data = data[os.write(self.fd, data):]


def main():
    fd = int(os.environ.pop(FD_VARIABLE, "3"))
    # the tests must not inherit the feed: a subprocess they leave behind would hold it open
    os.set_inheritable(fd, False)
    feed = _Feed(fd)
    _path_as_with_dash_m()
    import pytest

    _preload(pytest)
    _settle()
    try:
        feed.send({"type": "ready"})
        for message in feed.messages():
            if message.get("type") != "batch":
                continue
            exit_code = run_batch(pytest, message)
            feed.send({"type": "done", "batch": message.get("batch"), "exitCode": exit_code})
    except (BrokenPipeError, ConnectionResetError):
        pass  # split-tests closed the feed first: the end of input, as an EOF is
    return 0


if __name__ == "__main__":
    sys.exit(main())
