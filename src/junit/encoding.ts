/**
 * The character encodings a JUnit report may declare in `<?xml ... encoding="..."?>`. Nearly every
 * producer writes UTF-8; some Java and .NET tools write ISO-8859-1 / windows-1252. Those are read
 * one byte per character and re-encoded to UTF-8 when merged; anything else (UTF-16, Shift_JIS,
 * ...) is refused with a clear message rather than merged into mojibake.
 */
export type ReportEncoding = 'utf8' | 'latin1';

const UTF8 = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);
const LATIN1 = new Set(['iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'l1', 'windows-1252', 'cp1252', 'iso_8859-1']);

/** The `encoding` of an XML declaration at the start of `head` (latin1 view of the first bytes), if any. */
export function declaredEncoding(head: string): string | undefined {
  const m = /^(?:\u00EF\u00BB\u00BF|\uFEFF)?<\?xml\s[^?]*?\bencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(head);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** How to read a report whose first bytes (as latin1 text) are `head`, or a reason it cannot be read. */
export function reportEncoding(head: string): { encoding: ReportEncoding } | { unsupported: string } {
  if (head.startsWith('\u00FF\u00FE') || head.startsWith('\u00FE\u00FF')) return { unsupported: 'UTF-16' };
  const declared = declaredEncoding(head);
  if (declared === undefined) return { encoding: 'utf8' };
  const key = declared.trim().toLowerCase();
  if (UTF8.has(key)) return { encoding: 'utf8' };
  if (LATIN1.has(key)) return { encoding: 'latin1' };
  return { unsupported: declared };
}
