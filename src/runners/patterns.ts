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

/**
 * What a JavaScript RegExp compiled with the `i` flag and without `u` (jest's -t) sees of a
 * name: each code unit canonicalised the way such a RegExp compares them (ECMA-262
 * Canonicalize: upper case when that is one code unit, never non-ASCII to ASCII). Names with the
 * same key select each other: "Foo" and "foo".
 */
export function ignoreCaseKey(text: string): string {
  let out = '';
  for (const unit of text.split('')) {
    const upper = unit.toUpperCase();
    out += upper.length === 1 && !(unit.charCodeAt(0) >= 128 && upper.charCodeAt(0) < 128) ? upper : unit;
  }
  return out;
}

/**
 * A name whose titles a report joins with " > " while the runner's filter sees them joined with
 * " " (vitest: JUnit "a > b", -t "a b"), with every " > " run read as the one space it may
 * have been. A title holding " > " makes the split ambiguous; names with the same key are the
 * ones no filter can tell apart.
 */
export function joinedNameKey(name: string): string {
  return name.replace(/ (?:> )+/g, ' ');
}

/** `^(?:…)$` matching exactly the names whose `joinedNameKey` is one of these names' keys. */
export function joinedNamesPattern(names: readonly string[]): string {
  return `^(?:${joinedAlternatives(names)})$`;
}

/** `^(?!(?:…)$)`: every name but those `joinedNamesPattern` matches. */
export function exceptJoinedNamesPattern(names: readonly string[]): string {
  return `^(?!(?:${joinedAlternatives(names)})$)`;
}

function joinedAlternatives(names: readonly string[]): string {
  const keys = [...new Set(names.map(joinedNameKey))];
  // a key's spaces were each a space or a " > " run (one space then "> " any number of times)
  return keys.map((key) => escapeJsRegExp(key).split(' ').join(' (?:> )*')).join('|');
}
