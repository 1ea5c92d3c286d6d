import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Duplex, Writable } from 'node:stream';
import type { ShardOutcome } from '../run/exit-status.js';
import { GROUP_SPAWN_OPTIONS, superviseGroup, type Supervised } from '../run/process-group.js';

/**
 * A runner kept alive for one queue worker and fed batch after batch over fd 3, so that its
 * start-up is paid once per worker instead of once per batch (the ResidentLaunch protocol in
 * src/runners/types.ts). Its process group is supervised like any command's: a timeout, a stop
 * or split-tests' own exit stop the whole group. A driver that dies is started again for the next
 * batch; one that cannot start at all makes `runBatch` answer undefined, and the caller runs the
 * batch as a command of its own.
 */
export interface ResidentOptions {
  /** The driver's command line (ResidentLaunch.command). */
  readonly command: readonly string[];
  readonly cwd: string;
  /** The driver's environment (the worker's, with SPLIT_TESTS_PLAN). */
  readonly env: NodeJS.ProcessEnv;
  /** Where the driver's output goes: straight to our stdout/stderr, or line by line behind a prefix. */
  readonly output: { readonly stdout: 'stdout' | 'stderr'; readonly prefix?: string | undefined };
  readonly narrate: (line: string) => void;
  /** Aborted when split-tests is asked to stop. */
  readonly stop?: AbortSignal | undefined;
}

export interface ResidentBatch {
  readonly batch: number;
  /** The runner's arguments for this batch (ResidentLaunch.args). */
  readonly args: readonly string[];
  /** Variables the batch sets (a preset's reporter settings, SPLIT_TESTS_SHARD, SPLIT_TESTS_JUNIT). */
  readonly env: Readonly<Record<string, string>>;
  /** The batch's report, absolute. */
  readonly junit?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

type Message = { readonly type: string; readonly batch?: unknown; readonly exitCode?: unknown };

interface Live {
  readonly child: ChildProcess;
  readonly feed: Duplex;
  /** Settles when the driver and its whole group are gone. */
  readonly gone: Promise<Supervised<{ code: number | null; signal: NodeJS.Signals | null }>>;
  /** Messages not yet taken, and the taker waiting for the next one. */
  readonly inbox: Message[];
  wake?: (() => void) | undefined;
  exited: boolean;
  /** Set to stop the group (a timeout): the next `gone` then says why. */
  readonly timeout: AbortController;
}

/** How long a started driver may take to say it is ready before it counts as broken. */
const READY_TIMEOUT_MS = 120_000;

export class ResidentRunner {
  private live: Live | undefined;
  /** Set once the driver could not start: every later batch runs as a command. */
  private broken = false;
  /** Seconds the last start took (process start to "ready"). */
  startupSeconds: number | undefined;

  constructor(private readonly options: ResidentOptions) {}

  /** Starts the driver now (before the first lease) so that its start-up is outside every batch. */
  async start(): Promise<boolean> {
    if (this.broken) return false;
    if (this.live !== undefined && !this.live.exited) return true;
    const started = performance.now();
    const live = this.spawn();
    this.live = live;
    const first = await this.next(live, READY_TIMEOUT_MS);
    if (first?.type === 'ready') {
      this.startupSeconds = Math.round(performance.now() - started) / 1000;
      return true;
    }
    this.broken = true;
    const why = first === undefined ? (live.exited ? 'it exited before it was ready' : `no "ready" within ${READY_TIMEOUT_MS / 1000} s`) : `it sent ${JSON.stringify(first)} before "ready"`;
    this.options.narrate(`the resident runner (${this.options.command.join(' ')}) did not start: ${why}; every batch runs as a command of its own`);
    await this.kill(live);
    return false;
  }

  /**
   * Runs one batch in the driver. Undefined when the driver cannot be used (it failed to start):
   * the caller then runs the batch as a command.
   */
  async runBatch(batch: ResidentBatch): Promise<ShardOutcome | undefined> {
    if (this.options.stop?.aborted) return undefined;
    if (!(await this.start())) return undefined;
    const live = this.live!;
    const timer = batch.timeoutMs === undefined ? undefined : setTimeout(() => live.timeout.abort(), batch.timeoutMs);
    try {
      live.feed.write(`${JSON.stringify({ type: 'batch', batch: batch.batch, args: batch.args, env: batch.env, ...(batch.junit === undefined ? {} : { junit: batch.junit }) })}\n`);
      for (;;) {
        const message = await this.next(live);
        if (message === undefined) break;
        if (message.type === 'done' && message.batch === batch.batch) {
          // a stop reached the runner, which may catch it (pytest answers its interrupted code 2)
          if (this.options.stop?.aborted) return { kind: 'cancelled', signal: stopSignal(this.options.stop) };
          const code = typeof message.exitCode === 'number' && Number.isInteger(message.exitCode) ? message.exitCode : 1;
          return { kind: 'exited', exitCode: code };
        }
      }
      // the driver is gone mid-batch: as a command that died
      const end = await live.gone;
      if (end.stopped?.by === 'timeout') return { kind: 'timeout', timeoutSeconds: (batch.timeoutMs ?? 0) / 1000, signal: 'SIGTERM' };
      if (end.stopped?.by === 'stop') return { kind: 'cancelled', signal: end.stopped.signal };
      if (this.options.stop?.aborted) return { kind: 'cancelled', signal: stopSignal(this.options.stop) };
      if (end.result.signal !== null) return { kind: 'signal', signal: end.result.signal };
      this.options.narrate(`the resident runner exited (code ${end.result.code ?? '?'}) in the middle of batch ${batch.batch}; the next batch starts it again`);
      // exit 0 mid-batch (a test called exit): the report check then finds no report, never a pass
      return { kind: 'exited', exitCode: end.result.code ?? 1 };
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  /** Ends the driver: end of input, then the group is waited for (and stopped after a grace). */
  async close(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    if (live === undefined || live.exited) {
      if (live !== undefined) await live.gone;
      return;
    }
    live.feed.end();
    const grace = setTimeout(() => live.timeout.abort(), 10_000);
    try {
      await live.gone;
    } finally {
      clearTimeout(grace);
    }
  }

  private spawn(): Live {
    const [file, ...args] = this.options.command;
    const prefix = this.options.output.prefix;
    const target = this.options.output.stdout === 'stdout' ? 1 : 2;
    const child = spawn(file!, args, {
      cwd: this.options.cwd,
      env: { ...this.options.env, SPLIT_TESTS_FEED_FD: '3' },
      stdio: ['ignore', prefix === undefined ? target : 'pipe', prefix === undefined ? 'inherit' : 'pipe', 'pipe'],
      ...GROUP_SPAWN_OPTIONS,
    });
    if (prefix !== undefined) {
      prefixLines(child.stdout!, prefix, target === 1 ? process.stdout : process.stderr);
      prefixLines(child.stderr!, prefix, process.stderr);
    }
    const feed = child.stdio[3] as Duplex;
    const timeout = new AbortController();
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('error', (error) => {
        this.options.narrate(`the resident runner could not start: ${error.message}`);
        resolve({ code: 127, signal: null });
      });
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    const live: Live = {
      child,
      feed,
      inbox: [],
      exited: false,
      timeout,
      gone: superviseGroup(child, ended, { timeoutMs: undefined, stop: anySignal(timeout.signal, this.options.stop) }).then((end) => {
        if (timeout.signal.aborted && end.stopped?.by === 'stop') return { ...end, stopped: { by: 'timeout' } as const };
        return end;
      }),
    };
    // an exit before "ready" or mid-batch wakes whoever waits for a message
    void live.gone.then(() => {
      live.exited = true;
      live.wake?.();
    });
    feed.on('error', () => undefined); // EPIPE when the driver is gone: its exit says the rest
    const lines = createInterface({ input: feed, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (line.trim() === '') return;
      let message: Message;
      try {
        message = JSON.parse(line) as Message;
      } catch {
        this.options.narrate(`the resident runner wrote a line that is not JSON on fd 3, ignored: ${line.slice(0, 120)}`);
        return;
      }
      if (message === null || typeof message !== 'object' || typeof message.type !== 'string') return;
      live.inbox.push(message);
      live.wake?.();
    });
    return live;
  }

  /** The next message, or undefined once the driver is gone (or after `timeoutMs`). */
  private async next(live: Live, timeoutMs?: number): Promise<Message | undefined> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    for (;;) {
      const message = live.inbox.shift();
      if (message !== undefined) return message;
      if (live.exited) return undefined;
      if (deadline !== undefined && Date.now() >= deadline) return undefined;
      await new Promise<void>((resolve) => {
        const timer = deadline === undefined ? undefined : setTimeout(resolve, deadline - Date.now());
        live.wake = () => {
          if (timer !== undefined) clearTimeout(timer);
          live.wake = undefined;
          resolve();
        };
      });
    }
  }

  private async kill(live: Live): Promise<void> {
    live.timeout.abort();
    await live.gone;
  }
}

function prefixLines(from: NodeJS.ReadableStream, prefix: string, to: Writable): void {
  const lines = createInterface({ input: from, crlfDelay: Infinity });
  lines.on('line', (line) => to.write(`${prefix}${line}\n`));
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
}

function stopSignal(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return typeof reason === 'string' && reason.startsWith('SIG') ? reason : 'SIGTERM';
}
