/**
 * Every generated template against its provider's published JSON schema (vendored in
 * test/ci/schemas, sources in SOURCES.md). Jenkins has none: its Groovy is checked for balanced
 * braces and quotes and for the stages it must have.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderTemplate, type CiSystem, type TemplateInput } from '../../src/ci/pipeline/templates/index.js';

const schemas = join(import.meta.dirname, 'schemas');
const load = (name: string): object => JSON.parse(readFileSync(join(schemas, name), 'utf8')) as object;

// the schemas use keywords and formats beyond draft-07's core (markdownDescription, ...): not strict
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// SchemaStore's circleciconfig.json is a $ref to CircleCI's own schema, vendored beside it
ajv.addSchema(
  load('circleci-yaml-language-server.json'),
  'https://raw.githubusercontent.com/CircleCI-Public/circleci-yaml-language-server/refs/heads/main/schema.json',
);
const validators: Record<Exclude<CiSystem, 'jenkins'>, ValidateFunction> = {
  gitlab: ajv.compile(load('gitlab-ci.json')),
  github: ajv.compile(load('github-workflow.json')),
  circleci: ajv.compile(load('circleciconfig.json')),
};

function input(over: Partial<TemplateInput> = {}): TemplateInput {
  return {
    shards: 4,
    testCommand: ['npx', 'vitest', 'run', '--reporter=junit', '--outputFile=reports/junit-{shard}.xml'],
    junit: 'reports/junit-{shard}.xml',
    history: '.split-tests/history.json',
    branch: 'main',
    nodeVersion: '22',
    package: 'mkdir -p out && npm pack --pack-destination out',
    deploy: './deploy.sh',
    packagePaths: ['out/'],
    ...over,
  };
}

/** Inputs that exercise every branch of the templates: shard counts, no package, odd commands. */
const variants: Array<[string, Partial<TemplateInput>]> = [
  ['1 shard', { shards: 1 }],
  ['4 shards', {}],
  ['no package or deploy configured', { package: undefined, deploy: undefined, packagePaths: [] }],
  ['several package paths, multi-line package', { package: 'set -e\nnpm pack --pack-destination out\ncp VERSION out/', packagePaths: ['out/', 'VERSION'] }],
  ['hostile test command, release branch, node 22.11', { testCommand: ['npx', 'vitest', "it's", 'a: b', '#x', '$(x)'], branch: 'release/2.x', nodeVersion: '22.11' }],
  ['queue mode', { queue: true }],
  ['queue mode, 1 worker, nothing to package', { queue: true, shards: 1, package: undefined, packagePaths: [] }],
];

function errorsOf(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');
}

describe.each(['gitlab', 'github', 'circleci'] as const)('%s template against the provider schema', (ci) => {
  it.each(variants)('%s', (_name, over) => {
    const doc: unknown = parse(renderTemplate(ci, input(over)));
    const validate = validators[ci];
    const valid = validate(doc);
    expect(errorsOf(validate)).toBe('');
    expect(valid).toBe(true);
  });
});

describe('the schemas catch what they should', () => {
  it('rejects a GitLab job with a made-up when, a workflow without jobs, a CircleCI requires that is not a list', () => {
    const gitlab = parse(renderTemplate('gitlab', input())) as any;
    gitlab.merge.when = 'sometimes';
    expect(validators.gitlab(gitlab)).toBe(false);
    const github = parse(renderTemplate('github', input())) as any;
    delete github.jobs;
    expect(validators.github(github)).toBe(false);
    const circleci = parse(renderTemplate('circleci', input())) as any;
    circleci.workflows['split-tests'].jobs.push({ merge: { requires: 'build' } });
    expect(validators.circleci(circleci)).toBe(false);
  });
});

describe('Jenkinsfile structure', () => {
  it.each(variants)('%s: braces, parentheses and quotes balance; every stage is there', (_name, over) => {
    const text = renderTemplate('jenkins', input(over));
    expect(groovyBalance(text)).toEqual({ braces: 0, parens: 0, brackets: 0, openString: false });
    const stages = [...text.matchAll(/stage\('([^']+)'\)/g)].map((m) => m[1]);
    const shards = over.shards ?? 4;
    expect(stages).toEqual([
      'Build',
      'Test and package',
      ...Array.from({ length: shards }, (_, i) => `Shard ${i + 1}/${shards}`),
      'Package',
      'Merge',
      'Deploy',
    ]);
  });
});

/** Depth of (), {}, [] outside comments and strings, and whether a string is left open. */
function groovyBalance(text: string): { braces: number; parens: number; brackets: number; openString: boolean } {
  let braces = 0;
  let parens = 0;
  let brackets = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      else if (ch === '\n') return { braces, parens, brackets, openString: true };
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '{') braces++;
    else if (ch === '}') braces--;
    else if (ch === '(') parens++;
    else if (ch === ')') parens--;
    else if (ch === '[') brackets++;
    else if (ch === ']') brackets--;
    if (braces < 0 || parens < 0 || brackets < 0) return { braces, parens, brackets, openString: false };
  }
  return { braces, parens, brackets, openString: quote !== undefined };
}
