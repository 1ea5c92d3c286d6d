/**
 * The seconds the pipeline model assumes for each stage around the tests, and where each came
 * from: the config, else the history (median of recent `pipeline run`s), else a default. Pure over
 * the config section and a History.
 */
import type { SplitTestsConfig } from '../../config/types.js';
import type { History } from '../../timings/history-types.js';
import {
  DEFAULT_SECONDS,
  overheadFromHistory,
  pickSeconds,
  stageFromHistory,
  type SourcedSeconds,
} from './measure.js';

export type PipelineConfig = NonNullable<SplitTestsConfig['pipeline']>;

export interface StageInputs {
  readonly overhead: SourcedSeconds;
  readonly build: SourcedSeconds;
  readonly package: SourcedSeconds;
  readonly merge: SourcedSeconds;
  readonly deploy: SourcedSeconds;
}

const NONE: SourcedSeconds = { seconds: 0, source: 'none' };

type OptionalStage = 'build' | 'package' | 'deploy';

/**
 * Without a `pipeline` section the project has not described its pipeline: assume the usual one
 * (build, package, deploy at default lengths) so the prediction is a pipeline, not just tests.
 * With a section, a stage is in the pipeline when it names a command or seconds, or when the
 * history measured it; `pipeline run` measures exactly the stages it runs.
 */
export function stageInputs(pipeline: PipelineConfig | undefined, history: History | undefined): StageInputs {
  const optional = (stage: OptionalStage): SourcedSeconds => {
    const configured = pipeline?.[`${stage}Seconds`];
    const measured = stageFromHistory(history, stage);
    if (pipeline !== undefined && pipeline[stage] === undefined && configured === undefined && measured === undefined) {
      return NONE;
    }
    return pickSeconds(configured, measured, DEFAULT_SECONDS[stage]);
  };
  return {
    overhead: pickSeconds(pipeline?.nodeOverheadSeconds, overheadFromHistory(history), DEFAULT_SECONDS.overhead),
    build: optional('build'),
    package: optional('package'),
    merge: pickSeconds(pipeline?.mergeSeconds, stageFromHistory(history, 'merge'), DEFAULT_SECONDS.merge),
    deploy: optional('deploy'),
  };
}
