/**
 * What every CI template needs, and the quoting that keeps user commands intact inside YAML,
 * Groovy and sh. Pure string functions.
 */

export const CI_SYSTEMS = ['gitlab', 'jenkins', 'github', 'circleci'] as const;
export type CiSystem = (typeof CI_SYSTEMS)[number];

export interface TemplateInput {
  /** Shard count, >= 1. */
  readonly shards: number;
  /** The test command as argv (`{files}` and `{shard}` are expanded by `split-tests run`). */
  readonly testCommand: readonly string[];
  /** Where each shard's JUnit lands, with `{shard}`, e.g. `reports/junit-{shard}.xml`. */
  readonly junit: string;
  /** Shell command lines from the config (`pipeline.build`, `.package`, `.deploy`). */
  readonly build?: string | undefined;
  readonly package?: string | undefined;
  readonly deploy?: string | undefined;
  /** History file, relative to the project root. */
  readonly history: string;
  /** Branch that deploys. */
  readonly branch: string;
  /** Node.js version for the CI images (a major such as 22, or major.minor such as 22.11). */
  readonly nodeVersion: string;
  /**
   * Files and folders (a trailing `/` marks a folder) the package step makes, handed to the deploy
   * job through the CI's artifacts, workspace or stash. Empty: nothing to hand on.
   */
  readonly packagePaths: readonly string[];
  /**
   * Queue mode: the shards pull batches from one Redis queue (`run --queue`), whose URL every job
   * reads from the CI's secret store as SPLIT_TESTS_REDIS_URL, and merge first waits for its verdict.
   */
  readonly queue?: boolean | undefined;
}

export const DEFAULT_JUNIT = 'reports/junit-{shard}.xml';
export const MERGED_REPORT = 'reports/merged.xml';
export const PLAN_FILE = 'reports/plan.json';
export const HTML_REPORT = 'reports/split-tests.html';

export function defaultTestCommand(junit: string): string[] {
  return ['npx', 'vitest', 'run', '--reporter=junit', `--outputFile=${junit}`];
}

/** Files of shard `shard` (the report and the sidecar `run` writes beside it). */
export function junitFor(input: TemplateInput, shard: number | string): string {
  return input.junit.split('{shard}').join(String(shard));
}

/** A glob that matches every shard's report, for `merge`. */
export function junitGlob(input: TemplateInput): string {
  return input.junit.split('{shard}').join('*');
}

/** The folder the JUnit reports are written to (artifacts and workspaces keep all of it). */
export function reportsDir(input: TemplateInput): string {
  const slash = input.junit.lastIndexOf('/');
  return slash <= 0 ? '.' : input.junit.slice(0, slash);
}

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./{}-]+$/;

/** POSIX sh quoting: safe words stay bare, everything else goes in single quotes. */
export function shellQuote(word: string): string {
  if (word !== '' && SHELL_SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/**
 * The `split-tests run` line of one shard. `shard` undefined means the CI sets K/N itself
 * (GitLab's CI_NODE_INDEX, CircleCI's CIRCLE_NODE_INDEX). In queue mode K/N still matters: a
 * worker that cannot reach Redis runs its static shard of the same plan instead.
 */
export function runLine(input: TemplateInput, shard?: string): string {
  const shardFlag = shard === undefined ? '' : ` --shard ${shard}`;
  const queueFlag = input.queue === true ? ` --queue "$${REDIS_URL_VARIABLE}"` : '';
  return (
    `npx split-tests run${shardFlag}${queueFlag} --junit ${shellQuote(input.junit)} ` +
    `--timings ${shellQuote(input.history)} -- ${shellJoin(input.testCommand)}`
  );
}

/**
 * The Redis URL's variable, from the CI's secret store. Not a per-job service container (GitLab
 * `services:`, GitHub `services:`, a CircleCI secondary image): every job gets its own, so the
 * parallel jobs would each seed a queue of their own and run the whole suite.
 */
export const REDIS_URL_VARIABLE = 'SPLIT_TESTS_REDIS_URL';

/** Why the queue's Redis is a secret URL and not a service container, for the templates' comments. */
export const QUEUE_REDIS_NOTE = [
  `Queue mode: every test job pulls batches from one Redis queue at $${REDIS_URL_VARIABLE}`,
  '(redis://:PASSWORD@HOST:6379/0, rediss:// for TLS), kept in the secret store and reachable from',
  'every job. Not a service container: each job would get a Redis of its own, so the jobs could not',
  "share a queue. The queue id is the pipeline's own id, read by split-tests; a job that cannot reach",
  'Redis runs its static shard of the same plan, loudly, and reports it when Redis answers again;',
  '`queue wait` fails the merge when no job reached Redis.',
];

/** Merge's first step in queue mode: every item has a verdict (it ran and passed), or non-zero. */
export function queueWaitLine(): string {
  return `npx split-tests queue wait --queue "$${REDIS_URL_VARIABLE}" --timeout 30m`;
}

/**
 * What one shard job hands to merge: its own report, or in queue mode every report it wrote
 * (there `{shard}` is the batch number, and a job runs any batches).
 */
export function shardReports(input: TemplateInput, shard: number | string): string {
  return `${input.queue === true ? junitGlob(input) : junitFor(input, shard)}*`;
}

export function planLine(input: TemplateInput): string {
  return (
    `mkdir -p ${shellQuote(dirOf(PLAN_FILE))} && npx split-tests plan --shards ${input.shards} ` +
    `--timings ${shellQuote(input.history)} --json > ${PLAN_FILE}`
  );
}

export function mergeLine(input: TemplateInput): string {
  return (
    `npx split-tests merge ${shellQuote(junitGlob(input))} --output ${MERGED_REPORT} ` +
    `--plan ${PLAN_FILE} --record --history ${shellQuote(input.history)}`
  );
}

export function reportLine(input: TemplateInput): string {
  return `npx split-tests report --history ${shellQuote(input.history)} --format html --output ${HTML_REPORT}`;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '.' : path.slice(0, slash);
}

/** The default of `packagePaths` when a package command is configured (the usual `npm pack --pack-destination out`). */
export const DEFAULT_PACKAGE_PATHS: readonly string[] = ['out/'];

/**
 * A line that fails the package job, naming the path, when the package step did not make what
 * deploy will need: better there than as a "missing file" in deploy (or, on GitLab, a warning).
 */
export function packageCheckLine(input: TemplateInput): string | undefined {
  if (input.packagePaths.length === 0) return undefined;
  const paths = input.packagePaths.map(shellQuote).join(' ');
  return (
    `for p in ${paths}; do test -e "$p" || { echo "split-tests: the package step made no $p ` +
    `(pipeline.packagePaths in split-tests.config.json names what deploy needs)" >&2; exit 1; }; done`
  );
}

/** A path without its trailing slash (`out/` -> `out`), for the CIs that want no slash. */
export function bare(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/**
 * The history cache key of every provider: `<prefix>/<branch>/...`. A `/` after the branch makes a
 * prefix match exact: git cannot hold a branch `main/x` beside `main`, so the prefix of `main`
 * never matches another branch's caches (a `-` would let `main-old` match `main`).
 */
export const HISTORY_CACHE_PREFIX = 'split-tests-history';

export const NO_BUILD = 'npm run build --if-present';
export const NO_PACKAGE =
  'echo "split-tests: no package command configured (set pipeline.package in split-tests.config.json)"';
export const NO_DEPLOY =
  'echo "split-tests: no deploy command configured (set pipeline.deploy in split-tests.config.json); nothing deployed"';

/**
 * Commented examples of the usual package and deploy steps. Secrets come from the CI's secret
 * store as environment variables and are only ever piped or passed as headers, never printed.
 */
export function packageExamples(registryPassword: string, registryUser: string): string[] {
  return [
    'Usual package steps (put yours in pipeline.package):',
    '  docker build + push, tagged from the VERSION file:',
    `    printf '%s\\n' "${registryPassword}" | docker login -u "${registryUser}" --password-stdin "$REGISTRY"`,
    '    docker build -t "$REGISTRY/shop:$(cat VERSION)" . && docker push "$REGISTRY/shop:$(cat VERSION)"',
    '  npm pack into a folder:',
    '    mkdir -p out && npm pack --pack-destination out',
  ];
}

export function deployExamples(): string[] {
  return [
    'Usual deploy steps (put yours in pipeline.deploy):',
    '  Heroku container release API (HEROKU_API_KEY from the secret store):',
    '    IMAGE_ID=$(docker inspect "registry.heroku.com/$APP/web:$(cat VERSION)" --format "{{.Id}}")',
    '    curl -fsS -X PATCH "https://api.heroku.com/apps/$APP/formation" -H "Authorization: Bearer $HEROKU_API_KEY" -H "Accept: application/vnd.heroku+json; version=3.docker-releases" -H "Content-Type: application/json" -d "{\\"updates\\":[{\\"type\\":\\"web\\",\\"docker_image\\":\\"$IMAGE_ID\\"}]}"',
    '  ssh + docker compose:',
    '    ssh "deploy@$DEPLOY_HOST" "cd /srv/shop && VERSION=$(cat VERSION) docker compose pull && VERSION=$(cat VERSION) docker compose up -d"',
    '  Amazon ECS (AWS credentials from the secret store):',
    '    aws ecs update-service --cluster "$ECS_CLUSTER" --service "$ECS_SERVICE" --force-new-deployment',
  ];
}

/** A YAML scalar for a block sequence or mapping value: plain when safe, else single-quoted. */
export function yamlScalar(value: string): string {
  const plainSafe =
    /^[A-Za-z0-9_./$(][^\n\t]*$/.test(value) &&
    !/: |:$| #|'/.test(value) &&
    !/^(true|false|null|yes|no|on|off|~|[-+]?[0-9.]+)$/i.test(value);
  if (plainSafe) return value;
  return `'${value.replace(/'/g, "''")}'`;
}

/** A `- item` (or `key: value`) where the value may span lines: multi-line values use `|`. */
export function yamlItem(prefix: string, value: string, indent: string): string {
  if (!value.includes('\n')) return `${prefix}${yamlScalar(value)}`;
  const body = value
    .split('\n')
    .map((line) => (line === '' ? '' : `${indent}  ${line}`))
    .join('\n');
  return `${prefix}|\n${body}`;
}

/** A Groovy single-quoted string: no `${}` interpolation, so secrets stay in the shell. */
export function groovyString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

export function comment(lines: readonly string[], indent: string, marker = '#'): string[] {
  return lines.map((line) => `${indent}${marker} ${line}`.trimEnd());
}
