import { isUtf8 } from 'node:buffer';

/**
 * What XML 1.0 allows as characters (https://www.w3.org/TR/xml/#charsets): tab, newline, carriage
 * return, U+0020..U+D7FF, U+E000..U+FFFD and U+10000..U+10FFFF. Test runners copy whatever a test
 * printed (ANSI colour escapes, NUL bytes, binary) into their reports; a merged report must still
 * parse in expat and Jenkins, so what XML forbids is written as U+FFFD, the replacement character.
 */
export const REPLACEMENT = '\uFFFD';

/** A forbidden control character, or U+FFFE/U+FFFF, in a JavaScript string. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_LATIN1 = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/**
 * The same in a latin1 view of UTF-8 bytes, where U+FFFE/U+FFFF are the bytes EF BF BE/BF (a
 * plain class and an indexOf: a regex alternation costs several times more on every window).
 */
function forbiddenInUtf8Bytes(text: string): boolean {
  if (FORBIDDEN_IN_LATIN1.test(text)) return true;
  for (let at = text.indexOf('\u00EF\u00BF'); at !== -1; at = text.indexOf('\u00EF\u00BF', at + 2)) {
    const next = text.charCodeAt(at + 2);
    if (next === 0xbe || next === 0xbf) return true;
  }
  return false;
}

/** Whether a code point may appear in an XML 1.0 document (as a character or a character reference). */
export function isXmlChar(code: number): boolean {
  return (
    code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** `text` with every character XML forbids (lone surrogates included) replaced by U+FFFD. */
export function xmlSafeText(text: string): string {
  const out = FORBIDDEN_CHAR.test(text) ? text.replace(FORBIDDEN_CHARS, REPLACEMENT) : text;
  return /[\uD800-\uDFFF]/.test(out) ? out.replace(LONE_SURROGATE, REPLACEMENT) : out;
}

/**
 * Whether a window of a report (`text` is its latin1 view, `bytes` the same bytes) holds anything
 * the merged report must not copy as is: a forbidden character, or (UTF-8 reports) bytes that are
 * not UTF-8. `complete` is false when the window may end inside a multi-byte character.
 */
export function needsCleaning(text: string, bytes: Buffer, latin1: boolean, complete: boolean): boolean {
  if (latin1) return FORBIDDEN_IN_LATIN1.test(text);
  if (forbiddenInUtf8Bytes(text)) return true;
  return !isUtf8(complete ? bytes : bytes.subarray(0, utf8Boundary(bytes, bytes.length)));
}

/**
 * The length of the longest prefix of bytes[0, n) that does not end inside a multi-byte UTF-8
 * character (a read window may cut one; the rest comes with the next window).
 */
export function utf8Boundary(bytes: Buffer, n: number): number {
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const b = bytes[i]!;
    if (b < 0x80) return n;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return i + length > n ? i : n;
    }
  }
  return n;
}

/**
 * UTF-8 bytes with every character XML forbids, and every byte sequence that is not UTF-8, written
 * as U+FFFD. Returns `bytes` itself when there is nothing to replace.
 */
export function cleanUtf8(bytes: Buffer): Buffer {
  if (isUtf8(bytes) && !forbiddenInUtf8Bytes(bytes.toString('latin1'))) return bytes;
  // Node decodes anything that is not UTF-8 (surrogates included) as U+FFFD
  return Buffer.from(xmlSafeText(bytes.toString('utf8')), 'utf8');
}
