/**
 * The id of the CI run (pipeline, workflow, build) that all shards of one run share, so that
 * recording each shard's reports, or recording twice, lands in the same history entry.
 * Read from the provider's own variables; a local run gets a time-based id.
 */
export function runIdFromEnvironment(env: NodeJS.ProcessEnv, now: Date): { id: string; source: string } {
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  // GitLab: one id per pipeline, shared by all `parallel:` jobs
  const gitlab = get('CI_PIPELINE_ID');
  if (gitlab && env.GITLAB_CI !== undefined) return { id: `gitlab-${gitlab}`, source: 'CI_PIPELINE_ID' };
  // GitHub Actions: the run id survives "re-run failed jobs", the attempt tells those runs apart
  const github = get('GITHUB_RUN_ID');
  if (github) {
    const attempt = get('GITHUB_RUN_ATTEMPT');
    return { id: `github-${github}${attempt ? `-${attempt}` : ''}`, source: attempt ? 'GITHUB_RUN_ID+GITHUB_RUN_ATTEMPT' : 'GITHUB_RUN_ID' };
  }
  // Jenkins: BUILD_TAG is "jenkins-${JOB_NAME}-${BUILD_NUMBER}", unique across jobs
  const jenkinsTag = get('BUILD_TAG');
  if (jenkinsTag && env.JENKINS_URL !== undefined) return { id: jenkinsTag, source: 'BUILD_TAG' };
  const circle = get('CIRCLE_WORKFLOW_ID');
  if (circle) return { id: `circleci-${circle}`, source: 'CIRCLE_WORKFLOW_ID' };
  const buildkite = get('BUILDKITE_BUILD_ID');
  if (buildkite) return { id: `buildkite-${buildkite}`, source: 'BUILDKITE_BUILD_ID' };
  const azure = get('BUILD_BUILDID');
  if (azure && env.TF_BUILD !== undefined) return { id: `azure-${azure}`, source: 'BUILD_BUILDID' };
  const semaphore = get('SEMAPHORE_WORKFLOW_ID');
  if (semaphore) return { id: `semaphore-${semaphore}`, source: 'SEMAPHORE_WORKFLOW_ID' };
  const bitbucket = get('BITBUCKET_BUILD_NUMBER');
  if (bitbucket) return { id: `bitbucket-${bitbucket}`, source: 'BITBUCKET_BUILD_NUMBER' };
  // less specific variables last: a GitLab or Jenkins job without its marker variable
  if (gitlab) return { id: `gitlab-${gitlab}`, source: 'CI_PIPELINE_ID' };
  if (jenkinsTag) return { id: jenkinsTag, source: 'BUILD_TAG' };
  const jenkinsNumber = get('BUILD_NUMBER');
  if (jenkinsNumber) return { id: `jenkins-${jenkinsNumber}`, source: 'BUILD_NUMBER' };
  return { id: `local-${now.toISOString()}`, source: 'time' };
}
