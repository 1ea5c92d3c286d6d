import { describe, expect, it } from 'vitest';
import { runIdFromEnvironment } from '../../src/timings/run-id.js';

const now = new Date('2026-05-01T12:00:00.000Z');

describe('runIdFromEnvironment', () => {
  it.each([
    [{ GITLAB_CI: 'true', CI_PIPELINE_ID: '4711', CI_JOB_ID: '9' }, 'gitlab-4711', 'CI_PIPELINE_ID'],
    [{ GITHUB_RUN_ID: '123', GITHUB_RUN_ATTEMPT: '2' }, 'github-123-2', 'GITHUB_RUN_ID+GITHUB_RUN_ATTEMPT'],
    [{ JENKINS_URL: 'http://ci/', BUILD_TAG: 'jenkins-shop-42', BUILD_NUMBER: '42' }, 'jenkins-shop-42', 'BUILD_TAG'],
    [{ BUILD_NUMBER: '42' }, 'jenkins-42', 'BUILD_NUMBER'],
    [{ CIRCLE_WORKFLOW_ID: 'abc-def', CIRCLE_BUILD_NUM: '7' }, 'circleci-abc-def', 'CIRCLE_WORKFLOW_ID'],
    [{ BUILDKITE_BUILD_ID: 'u-u-i-d' }, 'buildkite-u-u-i-d', 'BUILDKITE_BUILD_ID'],
    [{ TF_BUILD: 'True', BUILD_BUILDID: '88' }, 'azure-88', 'BUILD_BUILDID'],
    [{}, 'local-2026-05-01T12:00:00.000Z', 'time'],
    [{ CI_PIPELINE_ID: '  ' }, 'local-2026-05-01T12:00:00.000Z', 'time'],
  ])('%j -> %s', (env, id, source) => {
    expect(runIdFromEnvironment(env, now)).toEqual({ id, source });
  });
});
