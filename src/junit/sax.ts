import { SaxesParser } from 'saxes';
import { UserError } from '../errors.js';

const HINT = 'the file is not a well-formed JUnit XML report: was the test run killed while writing it?';

/** A UserError `<file>:<line>:<col>: <what>` at the parser's current position. */
export function readError(parser: SaxesParser, what: string): UserError {
  return new UserError(tidy(parser.makeError(what).message), { hint: HINT });
}

/** saxes counts columns from 0 before the first character of a line; editors count from 1. */
function tidy(message: string): string {
  return message
    .replace(/:(\d+):0: /, ':$1:1: ')
    .replace(/document must contain a root element\.$/, 'no root element (empty file or not XML)')
    .replace(/\.$/, '');
}

/**
 * A saxes parser for a JUnit report named `name` in its errors. saxes knows only the five
 * predefined entities and character references, so nothing is ever expanded or fetched; a DOCTYPE
 * (the carrier of billion-laughs and XXE payloads) is refused outright, since no JUnit producer
 * writes one.
 */
export function createSaxParser(name: string): SaxesParser {
  const parser = new SaxesParser({ fileName: name, position: true, xmlns: false });
  parser.on('error', (error) => {
    throw new UserError(tidy(error.message), { hint: HINT });
  });
  parser.on('doctype', () => {
    throw readError(parser, 'DOCTYPE is not allowed in a JUnit report (entities are never expanded)');
  });
  return parser;
}
