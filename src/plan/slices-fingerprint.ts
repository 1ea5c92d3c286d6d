import { createHash } from 'node:crypto';
import type { ShardSlice } from './types.js';

/**
 * The plan's fingerprint with its slices folded in: two nodes that cut a file differently (a
 * different per-test history) must not agree. Slices come in plan order, so the text is canonical.
 */
export function sliceFingerprint(fileFingerprint: string, slices: readonly ShardSlice[]): string {
  const sorted = [...slices].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.slice - b.slice));
  return createHash('sha256').update(fileFingerprint).update('\nslices\n').update(JSON.stringify(sorted)).digest('hex');
}
