/**
 * A JUnit `time` attribute in seconds. Producers write "1.5", "1,234.5" (Surefire in some locales,
 * thousands separators), "0,25" (decimal comma), or nothing; anything unreadable or negative counts
 * as 0 rather than failing a whole report over one attribute.
 */
export function parseSeconds(value: string | undefined): number {
  if (value === undefined) return 0;
  let text = value.trim();
  if (text === '') return 0;
  if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(text)) text = text.replace(/,/g, '');
  else if (/^\d+,\d+$/.test(text)) text = text.replace(',', '.');
  const seconds = Number(text);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}
