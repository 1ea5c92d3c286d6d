// The feed side of split-tests' resident Node drivers (runners/jest, runners/vitest): the
// ResidentLaunch protocol of src/runners/types.ts over the socket at fd SPLIT_TESTS_FEED_FD. A
// driver loads its runner, then hands serveBatches the function that runs one batch.
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';

/**
 * The feed's descriptor, and the driver's way to stop at start: one line on stderr naming the
 * driver, exit 2 (split-tests then runs the batches as commands). SPLIT_TESTS_FEED_FD leaves the
 * environment: the runner's workers inherit it and are not fed.
 */
export function openDriver(name) {
  const die = (message) => {
    process.stderr.write(`split-tests ${name} driver: ${message}\n`);
    process.exit(2);
  };
  const fd = Number(process.env.SPLIT_TESTS_FEED_FD);
  if (!Number.isInteger(fd) || fd < 3) die('SPLIT_TESTS_FEED_FD is not set to a file descriptor; this script is started by `split-tests run --queue`, not by hand');
  delete process.env.SPLIT_TESTS_FEED_FD;
  return { fd, die };
}

/**
 * Says "ready", then runs the batches one after another, in the order they came, answering each
 * with its exit code; resolves at the end of input (the worker has no more batches).
 */
export async function serveBatches({ fd, die }, runBatch) {
  const feed = new Socket({ fd, readable: true, writable: true });
  // split-tests may have gone (it closed the socket or died): nothing left to tell it
  feed.on('error', () => {});
  const send = (message) => feed.write(`${JSON.stringify(message)}\n`);
  send({ type: 'ready' });
  for await (const line of createInterface({ input: feed, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      die(`not a JSON message on fd ${fd}: ${line.slice(0, 200)}`);
    }
    if (message.type !== 'batch' || !Array.isArray(message.args)) die(`unexpected message on fd ${fd}: ${line.slice(0, 200)}`);
    const exitCode = await runBatch(message.args.map(String), message.env);
    send({ type: 'done', batch: message.batch, exitCode });
  }
}

/** Sets a batch's variables; returns what they replaced, for restoreEnv. */
export function applyEnv(env) {
  const saved = {};
  for (const [name, value] of Object.entries(env ?? {})) {
    saved[name] = process.env[name];
    process.env[name] = String(value);
  }
  return saved;
}

export function restoreEnv(saved) {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
