import { UserError } from '../errors.js';

/**
 * A small, fast, streaming XML tokenizer for merging JUnit reports.
 *
 * Why not saxes here: merging copies almost every byte through unchanged, and saxes looks at every
 * character (about 25 MB/s); this scanner jumps between `<` and `&` with indexOf (several hundred
 * MB/s) and hands raw slices to a sink, so CDATA, entities, comments and attribute quoting survive
 * byte for byte and are never re-escaped wrongly. It still checks well-formedness where a broken
 * or hostile report shows: tag nesting and names, attribute syntax, entity references (only the
 * five predefined ones and character references; nothing is ever expanded), a single root, text
 * outside the root, truncation, and DOCTYPE (refused). Errors are `<file>:<line>:<col>: <what>`.
 */

export interface ScanTag {
  readonly name: string;
  /** Raw attribute text between the name and `>` or `/>`, validated. */
  readonly attrs: string;
  readonly selfClosing: boolean;
}

export interface ScanHandler {
  open(tag: ScanTag): void;
  /** Called for every element, right after `open` for a self-closing one. */
  close(name: string): void;
}

const HINT = 'the file is not a well-formed JUnit XML report: was the test run killed while writing it?';
const NAME = /^[A-Za-z_:\u00C0-\uFFFF][-\w.:\u00B7\u00C0-\uFFFF]*$/;
const ATTR = /\s+([^\s=/>"']+)\s*=\s*(?:"[^"]*"|'[^']*')/y;
const TRAILING_SPACE = /\s*$/y;
const ENTITY = /&(?:lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});/y;
const COMMENT = 1;
const CDATA = 2;

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

export class XmlScanner {
  private buf = '';
  private pos = 0;
  private readonly stack: string[] = [];
  private rootSeen = false;
  private rootDone = false;
  private begun = false;
  /** A comment or CDATA section that continues past the end of the buffer. */
  private inside = 0;
  /** Next `&` at or after the current text (cached: rescanning per text run would be quadratic). */
  private nextAmp = -1;
  // where buf[0] sits in the file, for error positions
  private line = 1;
  private column = 0;
  private copying = false;
  private copyFrom = 0;
  private tokenStart = 0;
  private tokenEnd = 0;

  constructor(
    private readonly fileName: string,
    private readonly handler: ScanHandler,
    private readonly sink?: (text: string) => void,
  ) {}

  get depth(): number {
    return this.stack.length;
  }

  /** A UserError at the start of the current token (or at `index` in the buffer). */
  error(what: string, index: number = this.tokenStart): UserError {
    let line = this.line;
    let column = this.column;
    for (let i = 0; i < index && i < this.buf.length; i++) {
      if (this.buf.charCodeAt(i) === 10) {
        line++;
        column = 0;
      } else column++;
    }
    return new UserError(`${this.fileName}:${line}:${column + 1}: ${what}`, { hint: HINT });
  }

  /** Copy the input through to the sink from the end of the current token on. */
  startCopying(): void {
    this.copying = true;
    this.copyFrom = this.tokenEnd;
  }

  /** Stop copying before the current token. */
  stopCopying(): void {
    this.flushTo(this.tokenStart);
    this.copying = false;
  }

  /** Write `text` in place of the current token. */
  replaceToken(text: string): void {
    this.flushTo(this.tokenStart);
    if (this.copying && this.sink && text !== '') this.sink(text);
    this.copyFrom = this.tokenEnd;
  }

  write(chunk: string): void {
    this.shift();
    this.buf = this.buf.length === 0 ? chunk : this.buf + chunk;
    if (!this.begun) {
      if (this.buf.length === 0) return;
      this.begun = true;
      if (this.buf.charCodeAt(0) === 0xfeff) this.pos = 1;
    }
    this.scan(false);
  }

  end(): void {
    this.scan(true);
    const eof = this.buf.length;
    if (this.inside === COMMENT) throw this.error('unexpected end of file inside a comment', eof);
    if (this.inside === CDATA) throw this.error('unexpected end of file inside a CDATA section', eof);
    if (this.pos < this.buf.length) throw this.error('unexpected end of file inside a tag', eof);
    if (!this.rootSeen) throw this.error('no root element (empty file or not XML)', eof);
    const open = this.stack.at(-1);
    if (open !== undefined) throw this.error(`unexpected end of file: <${open}> is not closed`, eof);
    this.flushTo(this.pos);
  }

  private flushTo(index: number): void {
    if (this.copying && this.sink && index > this.copyFrom) this.sink(this.buf.slice(this.copyFrom, index));
    this.copyFrom = index;
  }

  /** Drops the consumed part of the buffer, keeping error positions and the copy cursor right. */
  private shift(): void {
    const pos = this.pos;
    if (pos === 0) return;
    this.flushTo(pos);
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
    this.pos = 0;
    this.copyFrom = 0;
    this.nextAmp = -1;
  }

  private checkEntities(from: number, to: number): void {
    const buf = this.buf;
    let amp = this.nextAmp;
    if (amp < from) amp = buf.indexOf('&', from);
    while (amp !== -1 && amp < to) {
      ENTITY.lastIndex = amp;
      if (!ENTITY.test(buf) || ENTITY.lastIndex > to) {
        const name = /^&([^;\s<&]*);/.exec(buf.slice(amp, Math.min(to, amp + 40)));
        throw this.error(name ? `undefined entity &${name[1]}; (only &lt; &gt; &amp; &quot; &apos; and character references are allowed)` : "'&' that does not start an entity reference", amp);
      }
      amp = buf.indexOf('&', ENTITY.lastIndex);
    }
    this.nextAmp = amp === -1 ? Number.MAX_SAFE_INTEGER : amp;
  }

  private text(from: number, to: number): void {
    if (this.stack.length > 0) {
      this.checkEntities(from, to);
      return;
    }
    for (let i = from; i < to; i++) {
      if (!isSpace(this.buf.charCodeAt(i))) {
        throw this.error(this.rootDone ? 'text after the root element' : this.rootSeen ? 'text outside the root element' : 'text before the root element (not an XML report?)', i);
      }
    }
  }

  private scan(final: boolean): void {
    const buf = this.buf;
    const len = buf.length;
    for (;;) {
      if (this.inside !== 0) {
        const terminator = this.inside === COMMENT ? '-->' : ']]>';
        const end = buf.indexOf(terminator, this.pos);
        if (end === -1) {
          // long comments and CDATA stream through: keep only what could start the terminator
          this.pos = Math.max(this.pos, len - 2);
          return;
        }
        this.pos = end + 3;
        this.inside = 0;
        continue;
      }
      const lt = buf.indexOf('<', this.pos);
      let textEnd = lt === -1 ? len : lt;
      if (lt === -1 && !final) {
        // an entity reference may be cut by the chunk boundary: keep it for the next chunk
        const amp = buf.lastIndexOf('&', len - 1);
        if (amp >= this.pos && buf.indexOf(';', amp) === -1 && len - amp < 16) textEnd = amp;
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
      const open = this.stack.at(-1);
      if (open === undefined) throw this.error(`closing tag </${name}> without an open element`);
      if (name !== open) throw this.error(`closing tag </${name}> does not match <${open}>`);
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
      this.tokenEnd = end + 2;
      this.pos = end + 2;
      return true;
    }
    if (next === 33 /* ! */) {
      // '<![CDATA[' is the longest opener to tell apart; wait until it is all in the buffer
      if (len - lt < 9 && !final) return false;
      if (buf.startsWith('<!--', lt)) {
        this.inside = COMMENT;
        this.pos = lt + 4;
        return true;
      }
      if (buf.startsWith('<![CDATA[', lt)) {
        if (this.stack.length === 0) throw this.error('CDATA section outside the root element');
        this.inside = CDATA;
        this.pos = lt + 9;
        return true;
      }
      if (buf.startsWith('<!DOCTYPE', lt)) throw this.error('DOCTYPE is not allowed in a JUnit report (entities are never expanded)');
      throw this.error("unexpected '<!' markup");
    }
    // a start tag: find its '>' outside quoted attribute values
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
    if (i >= len) return false;
    const selfClosing = buf.charCodeAt(i - 1) === 47;
    const inner = buf.slice(lt + 1, selfClosing ? i - 1 : i);
    let nameEnd = 0;
    while (nameEnd < inner.length && !isSpace(inner.charCodeAt(nameEnd))) nameEnd++;
    const name = inner.slice(0, nameEnd);
    if (!NAME.test(name)) throw this.error(name === '' ? "'<' that does not start a tag" : `invalid element name <${name}>`);
    const attrs = inner.slice(nameEnd);
    if (attrs.length > 0) this.checkAttributes(attrs, lt + 1 + nameEnd);
    if (this.rootDone) throw this.error(`element <${name}> after the root element`);
    this.rootSeen = true;
    this.tokenEnd = i + 1;
    this.pos = i + 1;
    this.stack.push(name);
    this.handler.open({ name, attrs, selfClosing });
    if (selfClosing) {
      this.handler.close(name);
      this.stack.pop();
      if (this.stack.length === 0) this.rootDone = true;
    }
    return true;
  }

  private checkAttributes(attrs: string, offset: number): void {
    ATTR.lastIndex = 0;
    let at = 0;
    while (ATTR.test(attrs)) at = ATTR.lastIndex;
    TRAILING_SPACE.lastIndex = at;
    TRAILING_SPACE.test(attrs);
    if (TRAILING_SPACE.lastIndex !== attrs.length) throw this.error('malformed attribute (expected name="value")', offset + at);
    const amp = attrs.indexOf('&');
    if (amp !== -1) {
      for (let a = amp; a !== -1; a = attrs.indexOf('&', a + 1)) {
        ENTITY.lastIndex = a;
        if (!ENTITY.test(attrs)) throw this.error("undefined entity or stray '&' in an attribute value", offset + a);
      }
    }
  }
}

/** Attribute name → raw quoted value, in order, for one start tag's attribute text. */
export function rawAttributes(attrs: string): [string, string][] {
  const out: [string, string][] = [];
  const re = /\s+([^\s=/>"']+)\s*=\s*("[^"]*"|'[^']*')/g;
  for (let m = re.exec(attrs); m !== null; m = re.exec(attrs)) out.push([m[1]!, m[2]!]);
  return out;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The value of a raw quoted attribute value, entities decoded, whitespace normalised as XML does. */
export function attributeValue(raw: string): string {
  let v = raw.slice(1, -1);
  if (/[\t\n\r]/.test(v)) v = v.replace(/\r\n|[\t\n\r]/g, ' ');
  if (!v.includes('&')) return v;
  return v.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return safeCodePoint(Number.parseInt(ref.slice(2), 16)) ?? whole;
    if (ref.startsWith('#')) return safeCodePoint(Number.parseInt(ref.slice(1), 10)) ?? whole;
    return PREDEFINED[ref] ?? whole;
  });
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

/** The decoded value of attribute `name` in a start tag's raw attribute text. */
export function getAttribute(attrs: string, name: string): string | undefined {
  // fast path: most tags carry few attributes and the name is rare elsewhere
  if (!attrs.includes(name)) return undefined;
  for (const [key, raw] of rawAttributes(attrs)) if (key === name) return attributeValue(raw);
  return undefined;
}
