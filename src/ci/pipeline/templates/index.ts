/** One entry point for the four CI templates: pure functions from TemplateInput to file text. */
import { circleciTemplate } from './circleci.js';
import type { CiSystem, TemplateInput } from './common.js';
import { githubTemplate } from './github.js';
import { gitlabTemplate } from './gitlab.js';
import { jenkinsTemplate } from './jenkins.js';

export { CI_SYSTEMS, DEFAULT_JUNIT, DEFAULT_PACKAGE_PATHS, defaultTestCommand, type CiSystem, type TemplateInput } from './common.js';

/** Where each CI system looks for its configuration, relative to the project root. */
export const DEFAULT_OUTPUT: Readonly<Record<CiSystem, string>> = {
  gitlab: '.gitlab-ci.yml',
  jenkins: 'Jenkinsfile',
  github: '.github/workflows/split-tests.yml',
  circleci: '.circleci/config.yml',
};

export function renderTemplate(ci: CiSystem, input: TemplateInput): string {
  if (!Number.isInteger(input.shards) || input.shards < 1) throw new Error(`renderTemplate: bad shard count ${input.shards}`);
  switch (ci) {
    case 'gitlab':
      return gitlabTemplate(input);
    case 'jenkins':
      return jenkinsTemplate(input);
    case 'github':
      return githubTemplate(input);
    case 'circleci':
      return circleciTemplate(input);
  }
}
