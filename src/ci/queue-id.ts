import { UserError } from '../errors.js';

/**
 * Where a queue id comes from when `--queue-id` is not given: the id every parallel job of one
 * pipeline run shares, and no other run does. GitHub's run id survives "re-run jobs", so the
 * attempt is part of the id (a re-run gets a fresh queue).
 */
const SOURCES: readonly { readonly variables: readonly string[]; readonly make: (values: string[]) => string }[] = [
  { variables: ['CI_PIPELINE_ID'], make: ([id]) => `gitlab-${id}` },
  { variables: ['BUILD_TAG'], make: ([tag]) => tag! },
  { variables: ['GITHUB_RUN_ID', 'GITHUB_RUN_ATTEMPT'], make: ([id, attempt]) => `github-${id}-${attempt}` },
  { variables: ['CIRCLE_WORKFLOW_ID'], make: ([id]) => `circleci-${id}` },
  { variables: ['BUILDKITE_BUILD_ID'], make: ([id]) => `buildkite-${id}` },
];

/** Letters, digits and `._:/@+=-`: no braces (the id is a Redis hash tag) and no spaces. */
const QUEUE_ID = /^[A-Za-z0-9._:/@+=-]{1,200}$/;

export function resolveQueueId(flag: string | undefined, env: NodeJS.ProcessEnv): { id: string; source: string } {
  if (flag !== undefined) return { id: checkQueueId(flag.trim(), '--queue-id'), source: '--queue-id' };
  for (const source of SOURCES) {
    const values = source.variables.map((name) => env[name]?.trim() ?? '');
    if (values.every((v) => v !== '')) {
      const label = source.variables.join('+');
      return { id: checkQueueId(source.make(values).replace(/[^A-Za-z0-9._:/@+=-]/g, '_'), label), source: label };
    }
  }
  throw new UserError('--queue-id: no queue id given and no CI pipeline id found', {
    hint: 'pass --queue-id ID, the same on every worker of one run and new for every run (GitLab CI_PIPELINE_ID, Jenkins BUILD_TAG, GitHub GITHUB_RUN_ID-GITHUB_RUN_ATTEMPT, CircleCI CIRCLE_WORKFLOW_ID and Buildkite BUILDKITE_BUILD_ID are read by themselves)',
  });
}

function checkQueueId(id: string, source: string): string {
  if (!QUEUE_ID.test(id)) {
    throw new UserError(`${source} ${JSON.stringify(id)}: a queue id is 1-200 letters, digits or ._:/@+=-`, { hint: 'e.g. --queue-id pipeline-1234' });
  }
  return id;
}
