import { SaxesParser } from 'saxes';

export interface ParsedCase {
  readonly classname: string | undefined;
  readonly file: string | undefined;
  readonly name: string | undefined;
  readonly status: 'passed' | 'failed' | 'error' | 'skipped';
  readonly message: string | undefined;
}

/** A deliberately independent, minimal JUnit reader for the runner's tests. */
export function parseCases(xml: string): ParsedCase[] {
  const parser = new SaxesParser();
  const cases: ParsedCase[] = [];
  let current: { classname?: string; file?: string; name?: string; status: ParsedCase['status']; message?: string } | undefined;
  parser.on('opentag', (tag) => {
    const attr = (name: string): string | undefined => {
      const value = tag.attributes[name];
      return typeof value === 'string' ? value : undefined;
    };
    if (tag.name === 'testcase') current = { classname: attr('classname'), file: attr('file'), name: attr('name'), status: 'passed' };
    else if (current && (tag.name === 'failure' || tag.name === 'error' || tag.name === 'skipped')) {
      current.status = tag.name === 'failure' ? 'failed' : tag.name;
      current.message = attr('message');
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'testcase' && current) {
      cases.push({ classname: current.classname, file: current.file, name: current.name, status: current.status, message: current.message });
      current = undefined;
    }
  });
  parser.write(xml).close();
  return cases;
}
