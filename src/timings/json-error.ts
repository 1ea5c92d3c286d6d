/**
 * Where a JSON text stops being valid. `JSON.parse` only sometimes says (V8's message carries a
 * position for some errors and a quoted snippet for others, and the wording changes between Node
 * versions), so this re-scans the text with a small validator that always knows its offset.
 * Only called after JSON.parse has failed: speed does not matter, an exact position does.
 */
export interface JsonErrorLocation {
  readonly line: number;
  readonly column: number;
  readonly what: string;
}

export function locateJsonError(text: string): JsonErrorLocation {
  const found = scan(text);
  const offset = found?.offset ?? text.length;
  const what = found?.what ?? 'invalid JSON';
  return { ...lineColumn(text, offset), what };
}

/** 1-based line and column (in code units) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class Stop {
  constructor(
    readonly offset: number,
    readonly what: string,
  ) {}
}

function scan(text: string): Stop | undefined {
  let i = 0;
  const fail = (what: string, at = i): never => {
    throw new Stop(at, at >= text.length ? 'unexpected end of input' : what);
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  // a misspelt literal is reported where it starts: that is where the reader has to look
  const literal = (word: string): void => {
    const start = i;
    if (text.slice(i, i + word.length) !== word) {
      const token = /^[A-Za-z0-9_.+-]*/.exec(text.slice(i, i + 40))?.[0] ?? '';
      fail(`unexpected ${JSON.stringify(token)}, expected ${word}`, start);
    }
    i += word.length;
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) fail('control character in string');
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          fail('bad escape in string', i);
        }
      } else {
        i++;
      }
    }
  };
  const number = (): void => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === '' || match[0] === '-') fail(`unexpected ${describe(text[i])}`);
    i += match![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 1_000) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a double-quoted property name, found ${describe(text[i])}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ':' after property name, found ${describe(text[i])}`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected ',' or '}' after property value, found ${describe(text[i])}`);
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected ',' or ']' after array element, found ${describe(text[i])}`);
      }
    } else if (c === '"') {
      string();
    } else if (c === 't') {
      literal('true');
    } else if (c === 'f') {
      literal('false');
    } else if (c === 'n') {
      literal('null');
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      number();
    } else {
      fail(`unexpected ${describe(c)}`);
    }
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail(`unexpected ${describe(text[i])} after the JSON value`);
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return error;
    throw error;
  }
}

function describe(c: string | undefined): string {
  if (c === undefined) return 'end of input';
  return JSON.stringify(c);
}
