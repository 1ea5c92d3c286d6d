/**
 * Runs one of the user's pipeline steps (`pipeline.build`, `.package`, `.deploy`): a command line
 * from the config, run through the platform shell exactly as a CI system runs a `script:` line
 * (sh on POSIX, cmd.exe on Windows), so `&&`, pipes and `$VARS` work as the user wrote them.
 * Test commands never come here: they run without a shell (src/run).
 */
import { execa } from 'execa';
import { GROUP_SPAWN_OPTIONS, superviseGroup } from '../../run/process-group.js';

export interface ShellStepOptions {
  /** Prefix of every output line, e.g. `[package] `. */
  readonly name: string;
  readonly command: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Our stream for the step's stdout: stderr when our stdout carries a JSON document. */
  readonly stdout: 'stdout' | 'stderr';
  readonly cancelSignal?: AbortSignal | undefined;
}

export async function runShellStep(options: ShellStepOptions): Promise<{ exitCode: number }> {
  const prefix = `[${options.name}] `;
  const prefixLines = function* (line: unknown): Generator<string> {
    yield `${prefix}${String(line)}`;
  };
  const subprocess = execa(options.command, {
    shell: true,
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    reject: false,
    buffer: false,
    // steps run beside the shards: nobody can type into them
    stdin: 'ignore',
    stdout: [prefixLines, options.stdout === 'stdout' ? 1 : 2],
    stderr: [prefixLines, 2],
    // its own process group: stopping the step stops what its shell started too
    ...GROUP_SPAWN_OPTIONS,
  });
  const { result } = await superviseGroup(subprocess, subprocess, { stop: options.cancelSignal });
  if (typeof result.exitCode === 'number') return { exitCode: result.exitCode };
  // killed by a signal, or the shell itself could not start: a failed step either way
  return { exitCode: 1 };
}
