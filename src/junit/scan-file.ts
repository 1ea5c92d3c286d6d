import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from '../errors.js';
import { reportEncoding, type ReportEncoding } from './encoding.js';
import { XmlScanner } from './scan.js';
import { JUnitWalker, type WalkEvents } from './walk.js';
import { needsCleaning } from './xml-chars.js';

// below V8's large-object size, so windows are collected young instead of piling up until a full GC
export const CHUNK_BYTES = 1 << 15;

/**
 * A copy of a string that does not keep the window it was sliced from alive (V8 slices share their
 * parent's memory): anything kept past its window goes through here. Short strings are never
 * slices.
 */
export function detach(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf16le').toString('utf16le');
}

export function cannotRead(path: string, error: unknown): UserError {
  return new UserError(`${path}: cannot read JUnit report (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
    hint: 'check the report path and that the file exists',
    cause: error,
  });
}

export function unsupportedEncoding(path: string, encoding: string): UserError {
  return new UserError(`${path}:1:1: encoding ${encoding} is not supported`, { hint: 're-encode the report as UTF-8 (e.g. iconv -t UTF-8)' });
}

export interface ScannedFile {
  readonly size: number;
  readonly mtimeMs: number;
  readonly encoding: ReportEncoding;
  /** Some bytes must not be copied as they are: characters XML forbids, or bytes that are not UTF-8. */
  readonly needsCleaning: boolean;
}

/**
 * Streams a file through `scanner` in windows of CHUNK_BYTES as latin1 text. Each window starts
 * where the scanner stopped consuming (a tag cut by the window edge is read again), and a window
 * grows only when one token is larger than it. Memory is a window, whatever the file's size.
 */
export function scanFile(path: string, scanner: XmlScanner, onEncoding: (encoding: ReportEncoding) => void): ScannedFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw cannotRead(path, error);
  }
  let encoding: ReportEncoding = 'utf8';
  let dirty = false;
  try {
    const { size, mtimeMs } = fstatSync(fd);
    let bytes = Buffer.allocUnsafe(CHUNK_BYTES);
    let position = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, bytes, 0, bytes.length, position);
      } catch (error) {
        throw cannotRead(path, error);
      }
      if (n === 0) break;
      const text = bytes.toString('latin1', 0, n);
      if (position === 0) {
        const found = reportEncoding(text.slice(0, 512));
        if ('unsupported' in found) throw unsupportedEncoding(path, found.unsupported);
        encoding = found.encoding;
        onEncoding(encoding);
      }
      if (!dirty) dirty = needsCleaning(text, bytes.subarray(0, n), encoding === 'latin1', n < bytes.length);
      scanner.load(text, position);
      if (n < bytes.length) break;
      if (scanner.consumed === position) bytes = Buffer.allocUnsafe(bytes.length * 2);
      position = scanner.consumed;
    }
    scanner.end();
    return { size, mtimeMs, encoding, needsCleaning: dirty };
  } finally {
    closeSync(fd);
  }
}

/** One streaming pass over a report; `created` receives the walker and scanner before any event. */
export function scanReport(
  path: string,
  events: WalkEvents,
  created: (walker: JUnitWalker, scanner: XmlScanner) => void = () => {},
): { walker: JUnitWalker; scanner: XmlScanner; file: ScannedFile } {
  const walker = new JUnitWalker(events);
  const scanner = new XmlScanner(path, walker);
  walker.attach(scanner);
  created(walker, scanner);
  const file = scanFile(path, scanner, (encoding) => {
    walker.encoding = encoding;
  });
  return { walker, scanner, file };
}
