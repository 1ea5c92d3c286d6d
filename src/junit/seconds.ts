/**
 * A JUnit `time` attribute in seconds. Read as a decimal number only: "1.5", ".5", "2e-3", a
 * leading "+", Surefire's thousands separators in some locales ("1,234.5"), a decimal comma
 * ("0,25"). Hex ("0x10"), NaN, infinities ("1e309"), negative values and words are not times.
 */
const DECIMAL = /^\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const THOUSANDS = /^\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;
const DECIMAL_COMMA = /^\d+,\d+$/;

/** Seconds, or undefined when the attribute is absent or blank, or NaN when it is not a time. */
export function readSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let text = value.trim();
  if (text === '') return undefined;
  // plain decimals first: nearly every time attribute is one
  if (DECIMAL.test(text)) {
    // (no other rule applies)
  } else if (THOUSANDS.test(text)) text = text.replace(/,/g, '');
  else if (DECIMAL_COMMA.test(text)) text = text.replace(',', '.');
  else return Number.NaN;
  const seconds = Number(text);
  return Number.isFinite(seconds) ? seconds : Number.NaN;
}

/** Seconds, 0 when absent or not a time (callers that must warn use readSeconds). */
export function parseSeconds(value: string | undefined): number {
  const seconds = readSeconds(value);
  return seconds === undefined || Number.isNaN(seconds) ? 0 : seconds;
}

/** Unreadable times met in one report: how many, and the first few values as written. */
export class BadTimes {
  count = 0;
  readonly examples: string[] = [];

  add(value: string): void {
    this.count++;
    if (this.examples.length < 3 && !this.examples.includes(value)) this.examples.push(value.length > 24 ? `${value.slice(0, 24)}...` : value);
  }

  /** One warning naming the report and the values, or undefined when every time was readable. */
  warning(path: string): string | undefined {
    if (this.count === 0) return undefined;
    const values = this.examples.map((v) => JSON.stringify(v)).join(', ');
    return `${path}: ${this.count} time attribute${this.count === 1 ? ' is' : 's are'} not a decimal number of seconds (${values}${this.count > this.examples.length ? ', ...' : ''}): counted as 0 s`;
  }
}
