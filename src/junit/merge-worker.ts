import { parentPort, Worker, workerData } from 'node:worker_threads';
import { isUserError, UserError } from '../errors.js';
import { createFileMatcher } from './match.js';
import { mergeReports, type MergeResult } from './merge.js';

/**
 * Runs mergeReports in a worker thread with a small young generation. Merging allocates many
 * short-lived strings; on the main thread V8 grows its young generation to 32 MB for them, which
 * alone would put the peak RSS over the 100 MB budget. `resourceLimits` is the only way Node
 * offers to size it from inside a process.
 */

export interface MergeJob {
  readonly inputs: readonly string[];
  readonly output: string;
  /** Test files to map testcases to (the matcher is built in the worker: functions do not cross threads). */
  readonly files?: readonly string[] | undefined;
}

type Reply = { ok: MergeResult } | { userError: { message: string; hint?: string | undefined; exitCode: number } } | { crash: { message: string; stack?: string | undefined } };

const YOUNG_GENERATION_MB = 2;

export function mergeReportsInWorker(job: MergeJob): Promise<MergeResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    let settled = false;
    worker.once('message', (reply: Reply) => {
      settled = true;
      if ('ok' in reply) resolve(reply.ok);
      else if ('userError' in reply) reject(new UserError(reply.userError.message, { hint: reply.userError.hint, exitCode: reply.userError.exitCode }));
      else {
        const error = new Error(reply.crash.message);
        error.stack = reply.crash.stack;
        reject(error);
      }
    });
    worker.once('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`merge worker exited with code ${code}`));
    });
  });
}

if (parentPort !== null && (workerData as MergeJob | undefined)?.inputs !== undefined) {
  const job = workerData as MergeJob;
  const port = parentPort;
  mergeReports({ inputs: job.inputs, output: job.output, match: job.files !== undefined ? createFileMatcher(job.files) : undefined }).then(
    (result) => port.postMessage({ ok: result } satisfies Reply),
    (error: unknown) => {
      if (isUserError(error)) port.postMessage({ userError: { message: error.message, hint: error.hint, exitCode: error.exitCode } } satisfies Reply);
      else port.postMessage({ crash: { message: String((error as Error)?.message ?? error), stack: (error as Error)?.stack } } satisfies Reply);
    },
  );
}
