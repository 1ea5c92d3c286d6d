/**
 * Exit codes are owned by this file (DESIGN.md "Exit codes"):
 * 0 success; 1 tests failed (run, and merge unless --allow-failures) or a check failed (merge
 * completeness); 2 bad usage or bad input.
 * `run` also exits 1 when its command exited 0 but wrote no JUnit report at --junit (no report, no
 * proof the tests ran), 124 when --timeout stopped it and 128 + n when signal n stopped it or us.
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The one error type for failures a user can act on. The message is one line that names the flag,
 * file, line or column at fault; `hint` says the fix. The CLI prints `split-tests: <message>` and,
 * when present, `hint: <hint>`, then exits with `exitCode`. Anything that is not a UserError is a
 * bug and is re-thrown so its stack shows.
 */
export class UserError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.hint = options.hint;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
