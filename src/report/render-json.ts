/**
 * `--format json`: the trend model as one JSON document for scripts.
 */
import type { TimelineStage } from './timeline.js';
import type { Trends } from './types.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface ReportDocument extends Trends {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly timeline?: readonly TimelineStage[];
}

export function reportDocument(trends: Trends, options: { timeline?: readonly TimelineStage[] | undefined } = {}): ReportDocument {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    ...trends,
    ...(options.timeline !== undefined ? { timeline: options.timeline } : {}),
  };
}

export function renderJson(trends: Trends, options: { timeline?: readonly TimelineStage[] | undefined } = {}): string {
  return `${JSON.stringify(reportDocument(trends, options), null, 2)}\n`;
}
