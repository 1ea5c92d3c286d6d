/**
 * Escaping for the name filters runners take. Each runner compiles its filter with a different
 * regex engine, so each gets its own escaper; all of them anchor the whole name, so that "prefix"
 * never selects "prefix and more".
 */

/** JavaScript RegExp (vitest -t, jest -t, mocha --grep, playwright --grep, node --test-name-pattern). */
export function escapeJsRegExp(text: string): string {
  // no `-` or `/`: outside a class they need no escape, and under the `u` flag escaping them is an error
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** `^(?:a|b)$` for JavaScript: exactly one of these names. */
export function exactJsPattern(names: readonly string[]): string {
  return `^(?:${names.map(escapeJsRegExp).join('|')})$`;
}

/** `^(?!(?:a|b)$)`: any name but these. */
export function exceptJsPattern(names: readonly string[]): string {
  return `^(?!(?:${names.map(escapeJsRegExp).join('|')})$)`;
}

/** Ruby Regexp (rspec -E): like Regexp.escape, plus `#` and space for safety under /x. */
export function escapeRubyRegExp(text: string): string {
  return text
    .replace(/[\\^$.*+?()[\]{}|\-#/ ]/g, '\\$&')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n');
}
