import { UserError } from '../errors.js';

/** One shard of N, 1-based like `--shard` of Jest, Vitest and Playwright. */
export interface ShardSpec {
  readonly index: number;
  readonly total: number;
}

/**
 * The most shards a plan may have. Each shard is a CI job (GitLab's `parallel:` allows at most
 * 200); far more is a typo, and planning ten million empty shards would hang the job.
 */
export const MAX_SHARDS = 1000;

const HINT = 'pass K/N with whole numbers and 1 <= K <= N, e.g. --shard 2/4 (shards are numbered from 1)';

/**
 * Parses "K/N". `source` names where the text came from (`--shard`, `SPLIT_TESTS_SHARD`, ...) so
 * the one-line error points at what the user has to change.
 */
export function parseShardSpec(text: string, source: string): ShardSpec {
  if (text.trim() === '') {
    throw new UserError(`${source}: empty shard, expected K/N such as 1/4`, { hint: HINT });
  }
  // Strict: no spaces, signs or other digits than 0-9. A CI variable with a stray space is more
  // likely a templating mistake than intent, and a wrong shard silently runs the wrong tests.
  const match = /^([0-9]+)\/([0-9]+)$/.exec(text);
  if (!match) {
    const shown = /\s/.test(text) ? JSON.stringify(text) : text;
    const what = /\s/.test(text) ? 'unexpected whitespace' : 'expected K/N with whole numbers, such as 1/4';
    throw new UserError(`${source} ${shown}: ${what}`, { hint: HINT });
  }
  const index = Number(match[1]);
  const total = Number(match[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(total)) {
    throw new UserError(`${source} ${text}: shard numbers are too large`, { hint: HINT });
  }
  if (total < 1) {
    throw new UserError(`${source} ${text}: shard total must be at least 1`, { hint: HINT });
  }
  if (total > MAX_SHARDS) {
    throw new UserError(`${source} ${text}: more than ${MAX_SHARDS} shards`, { hint: `each shard is a CI job; pick a total N between 1 and ${MAX_SHARDS}` });
  }
  if (index < 1 || index > total) {
    throw new UserError(`${source} ${text}: shard index must be between 1 and ${total}`, { hint: HINT });
  }
  return { index, total };
}

export function formatShardSpec(spec: ShardSpec): string {
  return `${spec.index}/${spec.total}`;
}
