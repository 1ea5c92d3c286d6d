import { UserError } from '../errors.js';

/** What a command template's placeholders expand to for one shard. */
export interface ShardPlaceholders {
  /** 1-based shard index: `{shard}`. */
  readonly index: number;
  /** Shard count: `{total}`. */
  readonly total: number;
  /** The shard's test files: a `{files}` argument, else appended. */
  readonly files: readonly string[];
  /** The expanded JUnit path when `--junit` is given: `{junit}`. */
  readonly junit?: string | undefined;
}

export interface ExpandedCommand {
  readonly file: string;
  readonly args: string[];
}

export const FILES_PLACEHOLDER = '{files}';

/**
 * Turns the command after `--` into the program and argv for one shard. Never a shell: each file
 * is one argv entry, so spaces, quotes, `$()`, `;` and `&` in names reach the runner as data.
 * Placeholders are expanded in the template's own arguments only, before the files are inserted,
 * so a file named `{shard}.test.js` stays exactly that.
 */
export function expandCommand(command: readonly string[], values: ShardPlaceholders): ExpandedCommand {
  const [program, ...rest] = command;
  if (program === undefined || program === '') {
    throw new UserError('run: no command given after --', {
      hint: "name the test command after '--', e.g. split-tests run -- npx vitest run",
    });
  }
  const expand = (arg: string): string => expandPlaceholders(arg, values);
  const args: string[] = [];
  let placed = false;
  for (const arg of rest) {
    if (arg === FILES_PLACEHOLDER) {
      args.push(...values.files);
      placed = true;
    } else {
      args.push(expand(arg));
    }
  }
  if (!placed) args.push(...values.files);
  return { file: expand(program), args };
}

/** `{shard}`, `{total}` and `{junit}` in one argument. */
function expandPlaceholders(arg: string, values: Omit<ShardPlaceholders, 'files'>): string {
  return arg.replace(/\{(shard|total|junit)\}/g, (whole: string, name: string) => {
    if (name === 'shard') return String(values.index);
    if (name === 'total') return String(values.total);
    if (values.junit === undefined) {
      throw new UserError(`run: the command uses {junit} but no --junit PATH was given`, {
        hint: 'add --junit reports/{shard}.xml (or remove {junit} from the command)',
      });
    }
    return values.junit;
  });
}

/** Environment variables with the command's placeholders (`{shard}`, `{total}`, `{junit}`) expanded in their values. */
export function expandEnv(env: Readonly<Record<string, string>> | undefined, values: Omit<ShardPlaceholders, 'files'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env ?? {})) out[name] = expandPlaceholders(value, values);
  return out;
}

/** Expands `{shard}` and `{total}` in a path template such as `reports/{shard}.xml`. */
export function expandShardTemplate(template: string, index: number, total: number): string {
  return template.replace(/\{shard\}/g, String(index)).replace(/\{total\}/g, String(total));
}
