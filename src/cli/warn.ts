/**
 * Narration goes to stderr so stdout stays the product (file lists, JSON). One prefix for every
 * warning, so users can grep CI logs for it.
 */
export function warn(message: string): void {
  process.stderr.write(`split-tests: warning: ${message}\n`);
}

/** Informational line on stderr (not a warning), e.g. "shard 3/4 is empty". */
export function note(message: string): void {
  process.stderr.write(`split-tests: ${message}\n`);
}
