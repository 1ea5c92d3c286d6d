#!/usr/bin/env node
// split-tests' resident jest driver (the ResidentLaunch protocol of src/runners/types.ts): the
// project's own jest, loaded once per queue worker and fed batches over the socket at fd
// SPLIT_TESTS_FEED_FD, so that starting node, loading jest and its config, and the first load of
// its runner, runtime, transformer and reporters are paid once per worker instead of once per batch.
//
// Supported: jest 30 (its `buildArgv` and `runCLI`; test/runners/jest-resident.test.ts runs
// against it in the suite). Any other version stops the driver at start with one line on stderr and
// exit code 2, before "ready", and the batches run as commands of their own.
//
// Each batch runs as `jest ARGS` would (jest-cli's run): the arguments parsed by jest's own
// buildArgv, then runCLI in this process, with jest's exit code (1 on failed tests, on a test file
// that fails to load, on no tests found unless --passWithNoTests; --testFailureExitCode is kept).
// Whether the files run in band or in jest's worker processes is jest's own choice, as on the
// command line. Kept between batches, by design: the modules jest and its transformer load (a
// file edited between batches may not be seen: CI does not edit files mid-run), and what tests run
// in band leave behind in this process (timers, servers: as --runInBand does within one run).
// Made fresh: the config, the haste map, the test modules (jest's own module registry, per file),
// the environment (the batch's variables apply to it alone) and the reporter modules (jest-junit
// keeps console output per file in a module variable: a file run again would show the old one).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { applyEnv, openDriver, restoreEnv, serveBatches } from '../node-feed.mjs';

const SUPPORTED = 'jest 30';
const supported = (major) => major === 30;
/** What the jest preset gives every batch: parsed and its config read before "ready". */
const PRESET_ARGS = ['--ci', '--reporters=default', '--reporters=jest-junit', '--runTestsByPath'];
/** Loaded by the first run (resolved from jest-config, then @jest/core): loaded before "ready". */
const PRELOAD = ['@jest/core', 'jest-runner', 'jest-runtime', 'jest-circus/runner', 'babel-jest', '@jest/reporters', 'jest-environment-node', 'jest-snapshot', 'jest-haste-map'];

const driver = openDriver('jest');
const { die } = driver;
// what jest's bin sets before it loads jest-cli
process.env.NODE_ENV ??= 'test';

/** jest called exit (no tests found, --bail): the batch ends there with that code. */
class BatchExit extends Error {
  constructor(code) {
    super(`jest exited with code ${code}`);
    this.code = Number(code ?? 0);
  }
}

const cwd = process.cwd();
const { jest, coreRequire } = loadProjectJest(cwd);

/** The project's own jest (never split-tests' copy), refused unless its version is supported. */
function loadProjectJest(root) {
  let entry;
  try {
    entry = createRequire(join(root, 'package.json')).resolve('jest');
  } catch {
    die(`jest is not installed in ${root} (jest cannot be resolved from there)`);
  }
  const version = packageVersion(entry, 'jest');
  if (!supported(Number(version.split('.')[0]))) die(`jest ${version} is not supported (supported: ${SUPPORTED}); batches must run as commands of their own`);
  const jestRequire = createRequire(entry);
  const coreRequire = createRequire(jestRequire.resolve('@jest/core'));
  trapJestExit(coreRequire);
  return { jest: jestRequire(entry), coreRequire };
}

function packageVersion(entry, name) {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = readPackage(dir);
    if (pkg?.name === name) return String(pkg.version);
  }
  die(`no package.json of ${name} above ${entry}`);
}

function readPackage(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Set while a batch with --bail runs: jest's exit then ends the driver, as it ends `jest --bail`. */
let bailing = false;

/**
 * @jest/core ends a run by calling exit-x (no tests found, --bail), which empties the process's
 * stdout and stderr writes and exits once they drain. Given to @jest/core in exit-x's place (it
 * requires it lazily, so it takes this one), an exit ends the batch instead of the driver: thrown,
 * it rejects runCLI. Not so under --bail: jest calls it from a test's result, where the runner
 * would catch it and run the remaining files, so the driver exits with the code as jest does
 * (its reports are written by then), and split-tests starts a new one for the next batch.
 */
function trapJestExit(require) {
  const path = require.resolve('exit-x');
  const trap = new Module(path);
  trap.filename = path;
  trap.loaded = true;
  trap.exports = (code) => {
    // now, so that nothing after it runs (a "done" would tell split-tests the batch ended well);
    // stdout and stderr, files or pipes, are written synchronously on Linux and macOS
    if (bailing) process.exit(code);
    throw new BatchExit(code);
  };
  require.cache[path] = trap;
}

/**
 * A batch's arguments as jest's CLI reads them (jest-cli's buildArgv: its yargs options, checks and
 * validation). yargs exits the process on arguments it refuses: that exit ends the batch instead.
 */
async function parseArgs(args) {
  const exit = process.exit;
  process.exit = (code) => {
    throw new BatchExit(code);
  };
  try {
    return await jest.buildArgv(args);
  } finally {
    process.exit = exit;
  }
}

/** jest-cli's project list: --projects, else the working directory. */
const projectsOf = (argv) => (argv.projects?.length ? [...argv.projects] : [cwd]);

/** Runs one batch as `jest ARGS` would; resolves to its exit code once its reports are written. */
async function runBatch(args, env) {
  const saved = applyEnv(env);
  let reporters = [];
  try {
    const argv = await parseArgs(args);
    if (argv.watch || argv.watchAll) throw new Error('a batch cannot run in watch mode (--watch, --watchAll)');
    bailing = Boolean(argv.bail);
    const { results, globalConfig } = await jest.runCLI(argv, projectsOf(argv));
    reporters = globalConfig.reporters ?? [];
    // jest-cli's readResultsAndExit
    return !results || results.success ? 0 : globalConfig.testFailureExitCode;
  } catch (error) {
    if (error instanceof BatchExit) return error.code;
    // as jest-cli's run: the error is printed and the command exits 1
    console.error(error?.stack ?? String(error));
    return 1;
  } finally {
    bailing = false;
    restoreEnv(saved);
    forgetModules(reporters);
  }
}

/** Drops the reporters' packages from the module cache, so that the next batch loads them afresh. */
function forgetModules(reporters) {
  for (const [reporter] of reporters) {
    if (typeof reporter !== 'string' || !isAbsolute(reporter)) continue;
    const root = packageRoot(reporter);
    for (const path of Object.keys(coreRequire.cache)) {
      if (path.startsWith(root + sep) && !path.slice(root.length + 1).includes(`node_modules${sep}`)) delete coreRequire.cache[path];
    }
  }
}

function packageRoot(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return dirname(file);
}

/** Reads the config as a batch will, and loads what the first run would, before "ready". */
async function warmUp() {
  const argv = await parseArgs(PRESET_ARGS);
  const configRequire = createRequire(coreRequire.resolve('jest-config'));
  await configRequire('jest-config').readConfigs(argv, projectsOf(argv));
  for (const name of PRELOAD) {
    try {
      configRequire(name);
    } catch {
      try {
        coreRequire(name);
      } catch {
        // not installed beside jest (another test runner, another transformer): loaded when used
      }
    }
  }
}

try {
  await warmUp();
} catch (error) {
  // a config that does not load: the batches, run as commands, show the whole error
  die(`jest could not start: ${String(error?.message ?? error).trim().split('\n')[0]}`);
}

await serveBatches(driver, runBatch);

// end of input: the worker has no more batches (tests run in band may have left handles open)
process.exit(0);
