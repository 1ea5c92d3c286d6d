#!/usr/bin/env node
// split-tests' resident vitest driver (the ResidentLaunch protocol of src/runners/types.ts): one
// Vitest instance of the project's own vitest, kept alive across queue batches and fed over the
// socket at fd SPLIT_TESTS_FEED_FD, so that importing vitest, loading the config and starting
// Vite are paid once per worker instead of once per batch.
//
// Supported: vitest 3.2 and later 3.x, and 4.x (the Node API it uses: createVitest, parseCLI,
// Vitest#start, Vitest#setGlobalTestNamePattern; test/runners/vitest-resident.test.ts runs against
// 4 in the suite and was run by hand against 3.2.7). Any other version stops the driver at start
// with one line on stderr and exit code 2, before "ready".
//
// Each batch runs as `vitest ARGS` would: the same filters, options and exit code (1 on failed
// tests, errors, unhandled errors or no test files). Differences, by design: a globalSetup runs
// once per instance rather than once per batch, and Vite's transform cache is kept, so a file
// edited between batches is not seen (CI does not edit files mid-run).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyEnv, openDriver, restoreEnv, serveBatches } from '../node-feed.mjs';

const SUPPORTED = 'vitest >=3.2 <5';
const supported = (major, minor) => major === 4 || (major === 3 && minor >= 2);
/** The options the vitest preset gives every batch; the instance made before "ready" has them. */
const PRESET_ARGS = ['run', '--reporter=default', '--reporter=junit', '--outputFile.junit=split-tests-report.xml'];

const driver = openDriver('vitest');
const { die } = driver;

const vitestNode = await loadProjectVitest(process.cwd());

/** The project's own vitest/node (never split-tests' copy), refused unless its version is supported. */
async function loadProjectVitest(cwd) {
  let entry;
  try {
    entry = createRequire(join(cwd, 'package.json')).resolve('vitest/node');
  } catch {
    die(`vitest is not installed in ${cwd} (vitest/node cannot be resolved from there)`);
  }
  const version = packageVersion(entry);
  const [major, minor] = version.split('.').map(Number);
  if (!supported(major, minor)) die(`vitest ${version} is not supported (supported: ${SUPPORTED}); batches must run as commands of their own`);
  return import(pathToFileURL(entry).href);
}

function packageVersion(entry) {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'vitest') return String(pkg.version);
    } catch {
      // no package.json at this level: look further up
    }
  }
  die(`no package.json of vitest above ${entry}`);
}

/**
 * A batch's vitest arguments as the vitest CLI reads them (its parseCLI, then what its `run`
 * command does to them), split into the file filters, the report path, the test name pattern, and
 * the key of every other option: batches with equal keys can share one instance.
 */
function readArgs(args) {
  if (args[0] !== 'run') return { error: `a batch must be \`vitest run ...\` arguments, got \`${args.slice(0, 3).join(' ')}\`` };
  let parsed;
  try {
    parsed = vitestNode.parseCLI(['vitest', ...args]);
  } catch (error) {
    return { error: String(error?.message ?? error) };
  }
  const { filter, options } = parsed;
  if (options.watch) return { error: 'a batch cannot run in watch mode (--watch)' };
  options.run = true;
  options.watch = false;
  if (options.exclude) {
    options.cliExclude = [options.exclude].flat();
    delete options.exclude;
  }
  if (filter.some((f) => f.includes(':'))) options.includeTaskLocation ??= true;
  if (typeof options.typecheck?.only === 'boolean') options.typecheck.enabled ??= true;
  // -t is set per run (Vitest#setGlobalTestNamePattern), so that selections share the instance
  const testNamePattern = options.testNamePattern === undefined ? undefined : String(options.testNamePattern);
  delete options.testNamePattern;
  delete options.t;
  // the report path changes every batch: --outputFile.junit=PATH, or --outputFile=PATH for all reporters
  const rest = structuredClone(options);
  let outputFile;
  if (typeof options.outputFile === 'string') {
    outputFile = options.outputFile;
    rest.outputFile = '(each batch its own)';
  } else if (typeof options.outputFile?.junit === 'string') {
    outputFile = { ...options.outputFile };
    delete rest.outputFile.junit;
  }
  return { filters: filter.map((f) => posix.normalize(f.replaceAll('\\', '/'))), options, outputFile, testNamePattern, key: stableJson(rest) };
}

function stableJson(value) {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The instance and the option key it was made with. */
let current;

async function instanceFor(read) {
  if (current?.key === read.key) return current.ctx;
  if (current) {
    process.stderr.write('split-tests vitest driver: this batch has other vitest options than the last; starting a new Vitest instance\n');
    await closeInstance();
  }
  // what the vitest CLI sets before it creates its instance
  process.env.TEST = 'true';
  process.env.VITEST = 'true';
  process.env.NODE_ENV ??= 'test';
  const ctx = await vitestNode.createVitest('test', structuredClone(read.options));
  current = { key: read.key, ctx };
  return ctx;
}

async function closeInstance() {
  const ctx = current?.ctx;
  current = undefined;
  await ctx?.close();
}

/** Runs one batch as `vitest ARGS` would; resolves to its exit code once its report is written. */
async function runBatch(args, env) {
  const read = readArgs(args);
  if (read.error) {
    // the vitest CLI exits 1 on arguments it cannot take
    process.stderr.write(`split-tests vitest driver: ${read.error}\n`);
    return 1;
  }
  const saved = applyEnv(env);
  process.exitCode = undefined;
  try {
    const ctx = await instanceFor(read);
    // reporters open config.outputFile when the run starts (onInit), so each batch's report goes
    // straight to the batch's path
    if (read.outputFile !== undefined) ctx.config.outputFile = read.outputFile;
    if (read.testNamePattern === undefined) ctx.resetGlobalTestNamePattern();
    else ctx.setGlobalTestNamePattern(read.testNamePattern);
    await ctx.start(read.filters);
  } catch (error) {
    // as startVitest: no test files is reported by the run itself (exit code set there); anything
    // else is printed, fails the batch, and the instance is not trusted again
    if (error?.code !== 'VITEST_FILES_NOT_FOUND') {
      process.exitCode = 1;
      console.error('split-tests vitest driver: the batch failed to run:', error);
      await closeInstance().catch(() => {});
    }
  } finally {
    restoreEnv(saved);
  }
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return Number(code);
}

try {
  await instanceFor(readArgs(PRESET_ARGS));
} catch (error) {
  // a config that does not load: the batches, run as commands, show the whole error
  die(`vitest could not start: ${String(error?.message ?? error).split('\n')[0]}`);
}
await serveBatches(driver, runBatch);

// end of input: the worker has no more batches
await closeInstance();
process.exit(0);
