import { spawn } from 'node:child_process';
import type { Duplex } from 'node:stream';

/** A message a resident driver writes on fd 3 (the ResidentLaunch protocol of src/runners/types.ts). */
export interface FeedMessage {
  type: string;
  batch?: number;
  exitCode?: number;
  [key: string]: unknown;
}

/**
 * A resident driver started as split-tests starts it (src/queue/resident.ts), for the drivers'
 * tests: JSON lines over fd 3, the tests' output on stdout and stderr, collected.
 */
export function startFeedDriver(command: string, args: readonly string[], cwd: string, env: Record<string, string>) {
  const child = spawn(command, args, { cwd, env: { ...env, SPLIT_TESTS_FEED_FD: '3' }, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  const feed = child.stdio[3] as Duplex;
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const received: FeedMessage[] = [];
  const waiting: ((m: FeedMessage | undefined) => void)[] = [];
  let buffered = '';
  feed.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const message = JSON.parse(buffered.slice(0, nl)) as FeedMessage;
      buffered = buffered.slice(nl + 1);
      received.push(message);
      waiting.shift()?.(message);
    }
  });
  feed.on('error', () => {
    // the driver died: `exited` tells
  });
  // the next message, or undefined when the driver exits first
  const next = (): Promise<FeedMessage | undefined> =>
    new Promise((resolve) => {
      waiting.push(resolve);
      void exited.then(() => resolve(undefined));
    });
  const send = (message: object): void => void feed.write(`${JSON.stringify(message)}\n`);
  return {
    next,
    /** The next message; throws (with the driver's stderr) when it closed fd 3 instead. */
    expectNext: async (): Promise<FeedMessage> => {
      const message = await next();
      if (message === undefined) throw new Error(`the driver closed fd 3: ${output.stderr}`);
      return message;
    },
    send,
    /** Sends one batch and waits for the answer (undefined: the driver exited first). */
    batch: (batch: number, args: readonly string[], env: Record<string, string> = {}, extra: object = {}): Promise<FeedMessage | undefined> => {
      send({ type: 'batch', batch, args, env, ...extra });
      return next();
    },
    end: (): void => void feed.end(),
    exited,
    output,
    received,
  };
}
