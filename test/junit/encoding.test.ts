import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredEncoding, reportEncoding } from '../../src/junit/encoding.js';
import { mergeReports } from '../../src/junit/merge.js';
import { readJUnitFile } from '../../src/junit/read.js';

describe('report encodings', () => {
  it('reads the XML declaration', () => {
    expect(declaredEncoding('<?xml version="1.0" encoding="ISO-8859-1"?><a/>')).toBe('ISO-8859-1');
    expect(declaredEncoding("\u00EF\u00BB\u00BF<?xml version='1.0' encoding='utf-8' ?>")).toBe('utf-8');
    expect(declaredEncoding('<?xml version="1.0"?><testsuite/>')).toBeUndefined();
    expect(reportEncoding('<?xml version="1.0" encoding="windows-1252"?>')).toEqual({ encoding: 'latin1' });
    expect(reportEncoding('<testsuite/>')).toEqual({ encoding: 'utf8' });
    expect(reportEncoding('\u00FF\u00FE<\u0000')).toEqual({ unsupported: 'UTF-16' });
    expect(reportEncoding('<?xml version="1.0" encoding="Shift_JIS"?>')).toEqual({ unsupported: 'Shift_JIS' });
  });

  it('merges an ISO-8859-1 report into UTF-8, and the reader reads it as written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-enc-'));
    const latin1 = join(dir, 'latin1.xml');
    writeFileSync(latin1, Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<testsuite name="caf\u00e9"><testcase name="na\u00efve &amp; co" time="1"><system-out>\u00e0 bient\u00f4t</system-out></testcase></testsuite>\n', 'latin1'));
    const names: string[] = [];
    await readJUnitFile(latin1, (c) => names.push(`${c.suites.join('>')}: ${c.name}`));
    expect(names).toEqual(['caf\u00e9: na\u00efve & co']);
    const output = join(dir, 'out.xml');
    await mergeReports({ inputs: [latin1], output });
    const merged = readFileSync(output, 'utf8');
    expect(merged).toContain('<testsuite name="caf\u00e9" tests="1" failures="0" errors="0" skipped="0" time="1"><testcase name="na\u00efve &amp; co" time="1"><system-out>\u00e0 bient\u00f4t</system-out></testcase></testsuite>');
    const again: string[] = [];
    await readJUnitFile(output, (c) => again.push(`${c.suites.join('>')}: ${c.name}`));
    expect(again).toEqual(names);
  });

  it('refuses UTF-16 and unknown encodings with the file named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-enc-'));
    const utf16 = join(dir, 'utf16.xml');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<testsuite/>', 'utf16le')]));
    await expect(mergeReports({ inputs: [utf16], output: join(dir, 'o.xml') })).rejects.toThrow(`${utf16}:1:1: encoding UTF-16 is not supported`);
    await expect(readJUnitFile(utf16, () => {})).rejects.toThrow(`${utf16}:1:1: encoding UTF-16 is not supported`);
    const sjis = join(dir, 'sjis.xml');
    writeFileSync(sjis, '<?xml version="1.0" encoding="Shift_JIS"?><testsuite/>');
    await expect(mergeReports({ inputs: [sjis], output: join(dir, 'o.xml') })).rejects.toThrow('encoding Shift_JIS is not supported');
  });
});
