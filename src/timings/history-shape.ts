import { UserError } from '../errors.js';
import { READABLE_HISTORY_VERSIONS, type History } from './history-types.js';
import { validateTestHistory } from './test-history.js';
import { lazyTestHistory, validateEncodedTestHistory } from './test-history-codec.js';

const FIX = 'the history file is a cache: delete it (or point --history elsewhere) and record again';

/** True when a parsed JSON value looks like it was meant to be a history file. */
export function looksLikeHistory(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  // a Knapsack map of numbers can have a test file called "version"; a history's files never are numbers
  if (typeof v.files === 'number' || typeof v.runs === 'number') return false;
  return 'version' in v && ('files' in v || 'runs' in v);
}

/**
 * Checks a parsed history file at the boundary, so that everything after can trust the types.
 * The message names the file and the key at fault; the hint says the fix (it is only a cache).
 */
export function validateHistory(value: unknown, path: string): History {
  const bad = (what: string): never => {
    throw new UserError(`${path}: not a split-tests history file: ${what}`, { hint: FIX });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('expected a JSON object');
  const v = value as Record<string, unknown>;
  if (!READABLE_HISTORY_VERSIONS.includes(v.version as number)) {
    throw new UserError(`${path}: history version ${JSON.stringify(v.version)} is not supported (this split-tests reads versions ${READABLE_HISTORY_VERSIONS[0]} to ${READABLE_HISTORY_VERSIONS.at(-1)})`, {
      hint: `${FIX}, or use the split-tests version that wrote it`,
    });
  }
  if (typeof v.files !== 'object' || v.files === null || Array.isArray(v.files)) bad('"files" must be an object');
  for (const [file, samples] of Object.entries(v.files as Record<string, unknown>)) {
    if (!Array.isArray(samples)) bad(`"files".${JSON.stringify(file)} must be an array of samples`);
    const list = samples as unknown[];
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as Record<string, unknown> | null;
      // the key's name is only built for the message: a large history has a million samples
      const where = (): string => `"files".${JSON.stringify(file)}[${i}]`;
      if (typeof s !== 'object' || s === null) return bad(`${where()} must be an object`);
      if (typeof s.run !== 'string') bad(`${where()}.run must be a string`);
      if (!isSeconds(s.seconds)) bad(`${where()}.seconds must be a non-negative number`);
      if (s.status !== undefined && !STATUSES.has(s.status as string)) bad(`${where()}.status must be passed, failed, error or skipped`);
      if (s.shard !== undefined && !(Number.isInteger(s.shard) && (s.shard as number) >= 1)) bad(`${where()}.shard must be a whole number of at least 1`);
      if (s.wallSeconds !== undefined && !isSeconds(s.wallSeconds)) bad(`${where()}.wallSeconds must be a non-negative number`);
    }
  }
  if (!Array.isArray(v.runs)) bad('"runs" must be an array');
  (v.runs as unknown[]).forEach((run, i) => {
    const r = run as Record<string, unknown> | null;
    const where = `"runs"[${i}]`;
    if (typeof r !== 'object' || r === null) return bad(`${where} must be an object`);
    if (typeof r.id !== 'string') bad(`${where}.id must be a string`);
    if (typeof r.time !== 'string') bad(`${where}.time must be an ISO-8601 string`);
    if (!Array.isArray(r.shards)) bad(`${where}.shards must be an array`);
    (r.shards as unknown[]).forEach((shard, k) => {
      const sh = shard as Record<string, unknown> | null;
      if (typeof sh !== 'object' || sh === null || !Number.isInteger(sh.index)) return bad(`${where}.shards[${k}] must be an object with an integer "index"`);
      for (const key of ['files', 'estimatedSeconds', 'measuredSeconds', 'wallSeconds'] as const) {
        if (sh[key] !== undefined && !isSeconds(sh[key])) bad(`${where}.shards[${k}].${key} must be a non-negative number`);
      }
      if (sh.passed !== undefined && typeof sh.passed !== 'boolean') bad(`${where}.shards[${k}].passed must be true or false`);
    });
    for (const key of ['groups', 'stages', 'predictedStages'] as const) {
      const record = r[key];
      if (record === undefined) continue;
      if (typeof record !== 'object' || record === null || Array.isArray(record) || !Object.values(record).every(isSeconds)) {
        bad(`${where}.${key} must map names to non-negative seconds`);
      }
    }
    if (r.split !== undefined) {
      const sp = r.split as Record<string, unknown> | null;
      const files = typeof sp === 'object' && sp !== null && Array.isArray(sp.files) ? (sp.files as unknown[]) : undefined;
      const good = files?.every((f) => typeof f === 'object' && f !== null && typeof (f as Record<string, unknown>).file === 'string' && Number.isInteger((f as Record<string, unknown>).slices));
      if (!good || !isSeconds(sp!.fileLevelSeconds) || !isSeconds(sp!.slicedSeconds)) bad(`${where}.split must hold "files" ({ file, slices }), "fileLevelSeconds" and "slicedSeconds"`);
    }
    for (const key of ['totalSeconds', 'fileCount', 'largestFileSeconds'] as const) {
      if (!isSeconds(r[key])) bad(`${where}.${key} must be a non-negative number`);
    }
    for (const key of ['added', 'removed', 'failedFiles'] as const) {
      if (!Array.isArray(r[key]) || !(r[key] as unknown[]).every((x) => typeof x === 'string')) bad(`${where}.${key} must be an array of strings`);
    }
  });
  if (v.tests === undefined) return value as History;
  if (typeof v.tests !== 'object' || v.tests === null || Array.isArray(v.tests)) return bad('"tests" must be an object');
  // version 3 keeps the per-test part encoded: checked here only as far as a plan needs, decoded on use
  if (v.version === 3) return { ...(value as History), tests: lazyTestHistory(validateEncodedTestHistory(v.tests as Record<string, unknown>, bad), bad) };
  validateTestHistory(v.tests, bad);
  return value as History;
}

const STATUSES: ReadonlySet<string> = new Set(['passed', 'failed', 'error', 'skipped']);

function isSeconds(x: unknown): boolean {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0;
}
