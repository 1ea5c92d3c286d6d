import { UserError } from '../errors.js';
import { parseShardSpec, type ShardSpec } from '../plan/shard-spec.js';

/** One CI provider's pair of variables for "this node" and "how many nodes". */
interface ProviderVariables {
  readonly name: string;
  readonly index: string;
  readonly total: string;
  /** Whether the provider counts nodes from 0; `--shard` counts from 1 like Jest and Vitest. */
  readonly zeroBased: boolean;
}

/**
 * Checked in this order; the first provider whose two variables are both set wins. Sources:
 * - GitLab `parallel: N` sets CI_NODE_INDEX from 1 and CI_NODE_TOTAL:
 *   https://docs.gitlab.com/ee/ci/yaml/#parallel (also gitlab-org/gitlab-foss issue 21480, "rspec 1/20")
 * - CircleCI: CIRCLE_NODE_INDEX "ranges from 0 to (CIRCLE_NODE_TOTAL - 1)":
 *   https://circleci.com/docs/variables/
 * - Buildkite `parallelism:` sets BUILDKITE_PARALLEL_JOB, "the index of each parallel job created
 *   from a parallel build step, starting from 0", and BUILDKITE_PARALLEL_JOB_COUNT:
 *   https://buildkite.com/docs/tutorials/parallel-builds, https://buildkite.com/docs/pipelines/configure/environment-variables
 * - Azure Pipelines `strategy: parallel` adds System.JobPositionInPhase (1-based) and
 *   System.TotalJobsInPhase, exported as SYSTEM_JOBPOSITIONINPHASE / SYSTEM_TOTALJOBSINPHASE:
 *   https://learn.microsoft.com/en-us/azure/devops/pipelines/test/parallel-testing-any-test-runner
 * - Semaphore job parallelism: SEMAPHORE_JOB_INDEX "in the range from 1 to SEMAPHORE_JOB_COUNT":
 *   https://docs.semaphoreci.com/reference/env-vars
 * - Bitbucket parallel steps: BITBUCKET_PARALLEL_STEP is the "zero-based index of the current step
 *   in the group", BITBUCKET_PARALLEL_STEP_COUNT the group size:
 *   https://support.atlassian.com/bitbucket-cloud/docs/set-up-or-run-parallel-steps/
 * Jenkins and GitHub Actions have no such variables; their pipelines pass --shard.
 */
export const PROVIDERS: readonly ProviderVariables[] = [
  { name: 'GitLab CI', index: 'CI_NODE_INDEX', total: 'CI_NODE_TOTAL', zeroBased: false },
  { name: 'CircleCI', index: 'CIRCLE_NODE_INDEX', total: 'CIRCLE_NODE_TOTAL', zeroBased: true },
  { name: 'Buildkite', index: 'BUILDKITE_PARALLEL_JOB', total: 'BUILDKITE_PARALLEL_JOB_COUNT', zeroBased: true },
  { name: 'Azure Pipelines', index: 'SYSTEM_JOBPOSITIONINPHASE', total: 'SYSTEM_TOTALJOBSINPHASE', zeroBased: false },
  { name: 'Semaphore', index: 'SEMAPHORE_JOB_INDEX', total: 'SEMAPHORE_JOB_COUNT', zeroBased: false },
  { name: 'Bitbucket Pipelines', index: 'BITBUCKET_PARALLEL_STEP', total: 'BITBUCKET_PARALLEL_STEP_COUNT', zeroBased: true },
];

const HOW_TO_PASS =
  'pass --shard K/N (e.g. --shard 2/4), set SPLIT_TESTS_SHARD=K/N, or run under a CI parallel job ' +
  '(GitLab parallel:, CircleCI parallelism, Buildkite parallelism, Azure strategy: parallel, Semaphore parallelism, Bitbucket parallel steps)';

function isSet(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/**
 * K/N from the environment: SPLIT_TESTS_SHARD first, then the first CI provider whose index and
 * total are both set. A provider with only one of the two is skipped (GitLab sets CI_NODE_TOTAL=1
 * on every job that is not parallel, and CI_NODE_INDEX only on parallel ones). Values that are set
 * but wrong are errors naming the variables, never silently ignored: a wrong shard runs the wrong
 * tests.
 */
export function shardFromEnvironment(env: NodeJS.ProcessEnv): { spec: ShardSpec; source: string } | undefined {
  const own = env['SPLIT_TESTS_SHARD'];
  if (isSet(own)) return { spec: parseShardSpec(own, 'SPLIT_TESTS_SHARD'), source: 'SPLIT_TESTS_SHARD' };
  for (const provider of PROVIDERS) {
    const index = env[provider.index];
    const total = env[provider.total];
    if (!isSet(index) || !isSet(total)) continue;
    const source = `${provider.index}/${provider.total} (${provider.name})`;
    const indexText = index.trim();
    const totalText = total.trim();
    if (!/^\d+$/.test(indexText) || !/^\d+$/.test(totalText)) {
      throw new UserError(`${source}: expected whole numbers, got ${provider.index}=${indexText} ${provider.total}=${totalText}`, {
        hint: HOW_TO_PASS,
      });
    }
    const k = Number(indexText) + (provider.zeroBased ? 1 : 0);
    return { spec: parseShardSpec(`${k}/${totalText}`, source), source };
  }
  return undefined;
}

/** `--shard` wins over the environment; with neither, a UserError that says how to pass it. */
export function resolveShard(flag: string | undefined, env: NodeJS.ProcessEnv): ShardSpec {
  return detectShard(flag, env).spec;
}

/** Like resolveShard, also saying where K/N came from (for narration on CI logs). */
export function detectShard(flag: string | undefined, env: NodeJS.ProcessEnv): { spec: ShardSpec; source: string } {
  if (flag !== undefined) return { spec: parseShardSpec(flag, '--shard'), source: '--shard' };
  const detected = shardFromEnvironment(env);
  if (detected) return detected;
  throw new UserError('no shard given: --shard is missing and no CI parallel job variables were found', { hint: HOW_TO_PASS });
}
