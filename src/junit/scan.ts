import { UserError } from '../errors.js';
import { isXmlChar, REPLACEMENT, xmlSafeText } from './xml-chars.js';

/**
 * A small, fast, streaming XML tokenizer for merging JUnit reports.
 *
 * Why not saxes here: saxes looks at every character (about 25 MB/s); merging 160 MB of reports
 * must take a couple of seconds. This scanner jumps between `<` and `&` with indexOf and matches
 * whole start tags with one compiled regex. It reads the file as latin1 ("binary") text, one
 * character per byte: every XML delimiter is ASCII and UTF-8 never uses ASCII bytes inside a
 * multi-byte character, so the structure is exact, offsets are byte offsets (the merge copies byte
 * ranges), and attribute values are decoded to UTF-8 only when a caller asks for one.
 *
 * It still checks well-formedness where a broken or hostile report shows: tag nesting and names,
 * attribute syntax, entity references (only the five predefined ones and character references;
 * nothing is ever expanded), a single root, text outside the root, truncation, and DOCTYPE
 * (refused). Errors are `<file>:<line>:<col>: <what>` (columns count bytes).
 *
 * What a test printed into its report can still make the copy invalid XML where the structure is
 * fine: a character reference to a character XML forbids (`&#1;`), a `]]>` in text (left by a
 * producer that wrapped output in CDATA without splitting it) or `--` inside a comment. Inside the
 * root those are told to the handler as fixes (byte ranges and what to write instead), so that the
 * merge writes only what XML allows; forbidden raw characters are cleaned when bytes are copied.
 */

export interface ScanTag {
  readonly name: string;
  /** Raw attribute text between the name and `>` or `/>`, validated (latin1 view of the bytes). */
  readonly attrs: string;
  readonly selfClosing: boolean;
}

/** What a fix writes instead of the bytes it covers: see FIX_TEXT. */
export type FixKind = 'char-ref' | 'cdata-end' | 'comment' | 'time';

/** The replacement of each fix: U+FFFD as a reference, `>` escaped, the comment left out, a time that is not a number as the 0 it counts as. */
export const FIX_TEXT: Readonly<Record<FixKind, string>> = { 'char-ref': '&#xFFFD;', 'cdata-end': '&gt;', comment: '', time: '0' };

export interface ScanHandler {
  open(tag: ScanTag): void;
  /** Called for every element, right after `open` for a self-closing one. */
  close(name: string): void;
  /** Bytes [from, to) of the file inside the root that must be written as FIX_TEXT[kind]. */
  fix?(from: number, to: number, kind: FixKind): void;
}

// Hints say what is likely, and only that: a file that ends early was probably cut off by a killed
// run; anything else was written wrong, and no kill explains it.
const CUT_SHORT = 'the report ends early: was the test run killed while writing it? (re-run the shard)';
const MALFORMED = 'the file is not well-formed XML: fix or update the tool that wrote it, or leave the file out';
const NO_DOCTYPE = 'JUnit producers never write a DOCTYPE: remove it, or leave the file out (split-tests never expands entities)';
const NAME = /^[A-Za-z_:\u0080-\uFFFF][-\w.:\u0080-\uFFFF]*$/;
/** A whole start tag: name, attributes, optional `/`. Fails on anything malformed or incomplete. */
// attribute names are XML names here, so a tag that matches needs no further check of them
const START_TAG = /<([^\s/>!?"'=<&]+)((?:\s+[A-Za-z_:\u0080-\uFFFF][-\w.:\u0080-\uFFFF]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
const ATTR = /\s+([A-Za-z_:\u0080-\uFFFF][-\w.:\u0080-\uFFFF]*)\s*=\s*(?:"[^"<]*"|'[^'<]*')/y;
const ENTITY = /&(?:lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});/y;
const COMMENT = 1;
const CDATA = 2;
const BOM_UTF8_AS_LATIN1 = '\u00EF\u00BB\u00BF';

/** Input text quoted in a one-line message: short, printable. */
function shown(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 40)}...` : flat;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

export class XmlScanner {
  private buf = '';
  private pos = 0;
  /** Byte offset in the file of buf[0]. */
  private offset = 0;
  private readonly stack: string[] = [];
  private rootSeen = false;
  private rootDone = false;
  private begun = false;
  /** A comment or CDATA section that continues past the end of the buffer. */
  private inside = 0;
  /** Next `&` at or after the scan position (cached: rescanning per text run would be quadratic). */
  private nextAmp = -1;
  /** Next `]]>` at or after the scan position (cached like nextAmp). */
  private nextCdataEnd = -1;
  /** The comment being read: its start in the file, and whether it holds `--` (XML forbids it). */
  private commentStart = 0;
  private commentBad = false;
  // where buf[0] sits in the file, for error positions
  private line = 1;
  private column = 0;
  private tokenStart = 0;
  private tokenEnd = 0;

  constructor(
    private readonly fileName: string,
    private readonly handler: ScanHandler,
  ) {}

  /** Byte offsets in the file of the current token (valid inside handler calls). */
  get tokenStartOffset(): number {
    return this.offset + this.tokenStart;
  }

  get tokenEndOffset(): number {
    return this.offset + this.tokenEnd;
  }

  /** A UserError at the start of the current token (or at `index` in the buffer). */
  error(what: string, index: number = this.tokenStart, hint: string = MALFORMED): UserError {
    let line = this.line;
    let column = this.column;
    for (let i = 0; i < index && i < this.buf.length; i++) {
      if (this.buf.charCodeAt(i) === 10) {
        line++;
        column = 0;
      } else column++;
    }
    return new UserError(`${this.fileName}:${line}:${column + 1}: ${what}`, { hint });
  }

  /** Byte offset in the file up to which everything has been consumed: the next `load` starts here. */
  get consumed(): number {
    return this.offset + this.pos;
  }

  /**
   * Scans a window of the file, as latin1 text (one character per byte), that starts at
   * `consumed`: the unconsumed tail of the previous window is read again rather than concatenated,
   * so every window is one small string that dies young.
   */
  load(text: string, offset: number): void {
    if (offset !== this.consumed) throw new Error(`XmlScanner.load at ${offset}, expected ${this.consumed}`);
    this.shift();
    this.buf = text;
    this.pos = 0;
    // the caches point into the old window (which may have been only the start of this one)
    this.nextAmp = -1;
    this.nextCdataEnd = -1;
    if (!this.begun) {
      this.begun = true;
      if (text.startsWith(BOM_UTF8_AS_LATIN1)) this.pos = 3;
      else if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
    }
    this.scan(false);
  }

  /** Feeds the next piece of the file (appended to what is left of the previous one). */
  write(chunk: string): void {
    const rest = this.buf.slice(this.pos);
    this.load(rest.length === 0 ? chunk : rest + chunk, this.consumed);
  }

  end(): void {
    this.begun = true;
    this.scan(true);
    const eof = this.buf.length;
    if (this.inside === COMMENT) throw this.error('unexpected end of file inside a comment', eof, CUT_SHORT);
    if (this.inside === CDATA) throw this.error('unexpected end of file inside a CDATA section', eof, CUT_SHORT);
    if (this.pos < this.buf.length) throw this.error('unexpected end of file inside a tag', eof, CUT_SHORT);
    if (!this.rootSeen) {
      throw this.error('no root element (empty file or not XML)', eof, eof === 0 && this.line === 1 && this.column === 0 ? 'the report is empty: did the test run die before writing it? (re-run the shard)' : MALFORMED);
    }
    const open = this.stack.at(-1);
    if (open !== undefined) throw this.error(`unexpected end of file: <${open}> is not closed`, eof, CUT_SHORT);
  }

  /** Drops the consumed part of the buffer, keeping error positions and offsets right. */
  private shift(): void {
    const pos = this.pos;
    if (pos === 0) return;
    const buf = this.buf;
    let nl = buf.lastIndexOf('\n', pos - 1);
    if (nl === -1) this.column += pos;
    else {
      this.column = pos - nl - 1;
      let lines = 0;
      for (; nl !== -1; nl = nl === 0 ? -1 : buf.lastIndexOf('\n', nl - 1)) lines++;
      this.line += lines;
    }
    this.buf = buf.slice(pos);
    this.offset += pos;
    this.pos = 0;
    this.nextAmp = -1;
    this.nextCdataEnd = -1;
  }

  /** Every `&` in buf[from, to) must start an entity or character reference. */
  private checkEntities(from: number, to: number): void {
    const buf = this.buf;
    let amp = this.nextAmp;
    if (amp < from) amp = buf.indexOf('&', from);
    while (amp !== -1 && amp < to) {
      ENTITY.lastIndex = amp;
      if (!ENTITY.test(buf) || ENTITY.lastIndex > to) {
        // (a reference cut by the end of a window is held back by scan(): it is never seen here)
        const name = /^&([^;\s<&"']*);/.exec(buf.slice(amp, Math.min(to, amp + 40)));
        throw this.error(
          name ? `undefined entity &${shown(name[1]!)}; (only &lt; &gt; &amp; &quot; &apos; and character references are allowed)` : "'&' that does not start an entity reference",
          amp,
        );
      }
      if (buf.charCodeAt(amp + 1) === 35 /* # */ && this.stack.length > 0) {
        const hex = buf.charCodeAt(amp + 2) === 120; /* x */
        const code = Number.parseInt(buf.slice(amp + (hex ? 3 : 2), ENTITY.lastIndex - 1), hex ? 16 : 10);
        if (!isXmlChar(code)) this.handler.fix?.(this.offset + amp, this.offset + ENTITY.lastIndex, 'char-ref');
      }
      amp = buf.indexOf('&', ENTITY.lastIndex);
    }
    this.nextAmp = amp === -1 ? Number.MAX_SAFE_INTEGER : amp;
  }

  private text(from: number, to: number): void {
    if (this.stack.length > 0) {
      this.checkEntities(from, to);
      this.checkCdataEnds(from, to);
      return;
    }
    for (let i = from; i < to; i++) {
      if (!isSpace(this.buf.charCodeAt(i))) {
        throw this.error(
          this.rootDone ? 'text after the root element' : this.rootSeen ? 'text outside the root element' : 'text before the root element (not an XML report?)',
          i,
        );
      }
    }
  }

  /** `]]>` may not appear in text (XML 2.4): its `>` is written as `&gt;`. */
  private checkCdataEnds(from: number, to: number): void {
    const buf = this.buf;
    let at = this.nextCdataEnd;
    if (at < from) at = buf.indexOf(']]>', from);
    while (at !== -1 && at + 3 <= to) {
      this.handler.fix?.(this.offset + at + 2, this.offset + at + 3, 'cdata-end');
      at = buf.indexOf(']]>', at + 3);
    }
    this.nextCdataEnd = at === -1 ? Number.MAX_SAFE_INTEGER : at;
  }

  private scan(final: boolean): void {
    const buf = this.buf;
    const len = buf.length;
    for (;;) {
      if (this.inside !== 0) {
        const end = buf.indexOf(this.inside === COMMENT ? '-->' : ']]>', this.pos);
        if (this.inside === COMMENT && !this.commentBad) {
          // XML forbids '--' inside a comment, and a '-' right before its end ('--->')
          const dashes = buf.indexOf('--', this.pos);
          if (dashes !== -1 && dashes < (end === -1 ? len - 2 : end)) this.commentBad = true;
          else if (end !== -1 && buf.charCodeAt(end - 1) === 45 && this.offset + end - 1 >= this.commentStart + 4) this.commentBad = true;
        }
        if (end === -1) {
          // long comments and CDATA stream through: keep only what could start the terminator
          this.pos = Math.max(this.pos, len - 2);
          return;
        }
        if (this.inside === COMMENT && this.commentBad && this.stack.length > 0) this.handler.fix?.(this.commentStart, this.offset + end + 3, 'comment');
        this.pos = end + 3;
        this.inside = 0;
        continue;
      }
      const lt = buf.indexOf('<', this.pos);
      let textEnd = lt === -1 ? len : lt;
      if (lt === -1 && !final) {
        // an entity reference may be cut by the chunk boundary: keep it for the next chunk
        const amp = buf.lastIndexOf('&', len - 1);
        if (amp >= this.pos && len - amp < 16 && buf.indexOf(';', amp) === -1) textEnd = amp;
        // so may a ']]>': keep a trailing ']' or ']]' for the next chunk too
        while (textEnd > this.pos && textEnd > len - 2 && buf.charCodeAt(textEnd - 1) === 93) textEnd--;
      }
      if (textEnd > this.pos) this.text(this.pos, textEnd);
      this.pos = textEnd;
      if (lt === -1) return;
      this.tokenStart = lt;
      if (!this.token(lt, final)) return;
    }
  }

  /** Scans the markup at `lt`; false when it continues past the buffer (more input needed). */
  private token(lt: number, final: boolean): boolean {
    const buf = this.buf;
    const len = buf.length;
    const next = buf.charCodeAt(lt + 1);
    if (Number.isNaN(next)) return false;
    if (next === 47 /* / */) {
      const end = buf.indexOf('>', lt + 2);
      if (end === -1) return false;
      const name = buf.slice(lt + 2, end).trimEnd();
      if (!NAME.test(name)) throw this.error(`malformed closing tag </${shown(name)}>`);
      const open = this.stack.at(-1);
      if (open === undefined) throw this.error(`closing tag </${name}> without an open element`);
      if (name !== open) throw this.error(`closing tag </${shown(name)}> does not match <${shown(open)}>`);
      this.tokenEnd = end + 1;
      this.pos = end + 1;
      this.handler.close(name);
      this.stack.pop();
      if (this.stack.length === 0) this.rootDone = true;
      return true;
    }
    if (next === 63 /* ? */) {
      const end = buf.indexOf('?>', lt + 2);
      if (end === -1) return false;
      if (this.rootSeen && /^<\?xml[\s?]/i.test(buf.slice(lt, lt + 6))) {
        throw this.error('XML declaration in the middle of the file (two reports written into one file?)');
      }
      this.tokenEnd = end + 2;
      this.pos = end + 2;
      return true;
    }
    if (next === 33 /* ! */) {
      // '<![CDATA[' is the longest opener to tell apart; wait until it is all in the buffer
      if (len - lt < 9 && !final) return false;
      if (buf.startsWith('<!--', lt)) {
        this.inside = COMMENT;
        this.commentStart = this.offset + lt;
        this.commentBad = false;
        this.pos = lt + 4;
        return true;
      }
      if (buf.startsWith('<![CDATA[', lt)) {
        if (this.stack.length === 0) throw this.error('CDATA section outside the root element');
        this.inside = CDATA;
        this.pos = lt + 9;
        return true;
      }
      if (buf.startsWith('<!DOCTYPE', lt)) throw this.error('DOCTYPE is not allowed in a JUnit report (entities are never expanded)', lt, NO_DOCTYPE);
      throw this.error("unexpected '<!' markup");
    }
    START_TAG.lastIndex = lt;
    const m = START_TAG.exec(buf);
    if (m === null) {
      this.diagnoseStartTag(lt);
      return false;
    }
    const end = START_TAG.lastIndex;
    const name = m[1]!;
    if (!NAME.test(name)) throw this.error(`invalid element name <${shown(name)}>`);
    if (m[2]!.length > 0) this.checkAttributeNames(m[2]!);
    this.checkEntities(lt, end);
    if (this.rootDone) throw this.error(`element <${shown(name)}> after the root element`);
    this.rootSeen = true;
    this.tokenEnd = end;
    this.pos = end;
    const selfClosing = m[3] === '/';
    this.stack.push(name);
    this.handler.open({ name, attrs: m[2]!, selfClosing });
    if (selfClosing) {
      this.handler.close(name);
      this.stack.pop();
      if (this.stack.length === 0) this.rootDone = true;
    }
    return true;
  }

  /** Each attribute once per element (expat and Jenkins refuse a repeat). Runs on every tag: no regex. */
  private checkAttributeNames(attrs: string): void {
    const len = attrs.length;
    let eq = attrs.indexOf('=');
    if (attrs.indexOf('=', eq + 1) === -1) return; // one attribute
    const names: string[] = [];
    let i = 0;
    for (;;) {
      while (i < len && isSpace(attrs.charCodeAt(i))) i++;
      if (i >= len) return;
      eq = attrs.indexOf('=', i);
      let end = eq;
      while (end > i && isSpace(attrs.charCodeAt(end - 1))) end--;
      const name = attrs.slice(i, end);
      if (names.includes(name)) throw this.error(`attribute ${shown(name)} is written twice in one tag`);
      names.push(name);
      let q = eq + 1;
      while (isSpace(attrs.charCodeAt(q))) q++;
      i = attrs.indexOf(attrs.charAt(q), q + 1) + 1;
    }
  }

  /** The start tag at `lt` did not match: throw what is wrong, or return if it is only cut short. */
  private diagnoseStartTag(lt: number): void {
    const buf = this.buf;
    const len = buf.length;
    let quote = 0;
    let i = lt + 1;
    for (; i < len; i++) {
      const c = buf.charCodeAt(i);
      if (quote !== 0) {
        if (c === quote) quote = 0;
        else if (c === 60) throw this.error("'<' in an attribute value", i);
      } else if (c === 62 /* > */) break;
      else if (c === 34 || c === 39) quote = c;
      else if (c === 60) throw this.error("'<' inside a tag", i);
    }
    if (i >= len) return; // more input needed (end() reports a tag cut off by the end of the file)
    const selfClosing = buf.charCodeAt(i - 1) === 47;
    const inner = buf.slice(lt + 1, selfClosing ? i - 1 : i);
    let nameEnd = 0;
    while (nameEnd < inner.length && !isSpace(inner.charCodeAt(nameEnd))) nameEnd++;
    const name = inner.slice(0, nameEnd);
    if (name === '' || !NAME.test(name)) throw this.error(name === '' ? "'<' that does not start a tag" : `invalid element name <${shown(name)}>`);
    const attrs = inner.slice(nameEnd);
    ATTR.lastIndex = 0;
    let at = 0;
    while (ATTR.test(attrs)) at = ATTR.lastIndex;
    throw this.error('malformed attribute (expected name="value")', lt + 1 + nameEnd + at);
  }
}

/** Flat [name, rawValue, name, rawValue, ...] of a validated attribute text; raw values without quotes. */
export function splitAttributes(attrs: string): string[] {
  const out: string[] = [];
  let i = 0;
  const len = attrs.length;
  for (;;) {
    while (i < len && isSpace(attrs.charCodeAt(i))) i++;
    if (i >= len) return out;
    const eq = attrs.indexOf('=', i);
    if (eq === -1) return out;
    let nameEnd = eq;
    while (nameEnd > i && isSpace(attrs.charCodeAt(nameEnd - 1))) nameEnd--;
    let q = eq + 1;
    while (q < len && isSpace(attrs.charCodeAt(q))) q++;
    const close = attrs.indexOf(attrs.charAt(q), q + 1);
    if (close === -1) return out;
    out.push(attrs.slice(i, nameEnd), attrs.slice(q + 1, close));
    i = close + 1;
  }
}

/** The raw (undecoded, latin1) value of attribute `name`, or undefined. */
export function rawAttribute(attrs: string, name: string): string | undefined {
  if (!attrs.includes(name)) return undefined;
  const parts = splitAttributes(attrs);
  for (let i = 0; i < parts.length; i += 2) if (parts[i] === name) return parts[i + 1];
  return undefined;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * A raw attribute value as text: UTF-8 bytes decoded, references resolved, whitespace normalised as
 * XML does, and what XML forbids as U+FFFD, exactly as the merged report writes it.
 */
export function decodeValue(raw: string, encoding: 'utf8' | 'latin1' = 'utf8'): string {
  let v = raw;
  if (encoding === 'utf8' && /[\u0080-\u00ff]/.test(v)) v = Buffer.from(v, 'latin1').toString('utf8');
  if (/[\t\n\r]/.test(v)) v = v.replace(/\r\n|[\t\n\r]/g, ' ');
  v = xmlSafeText(v);
  if (!v.includes('&')) return v;
  return v.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return xmlCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return xmlCodePoint(Number.parseInt(ref.slice(1), 10));
    return PREDEFINED[ref] ?? whole;
  });
}

function xmlCodePoint(code: number): string {
  return isXmlChar(code) ? String.fromCodePoint(code) : REPLACEMENT;
}

/** A raw attribute value with character references to characters XML forbids written as U+FFFD's. */
export function xmlSafeReferences(raw: string): string {
  if (!raw.includes('&#')) return raw;
  return raw.replace(/&#(x[0-9A-Fa-f]+|[0-9]+);/g, (whole, ref: string) =>
    isXmlChar(ref.startsWith('x') ? Number.parseInt(ref.slice(1), 16) : Number.parseInt(ref, 10)) ? whole : FIX_TEXT['char-ref'],
  );
}
