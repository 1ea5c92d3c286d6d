/** The trend report: computation (pure) and its renderers. */
export { computeTrends } from './trends.js';
export { renderText, type TextOptions } from './render-text.js';
export { renderJson, reportDocument, REPORT_SCHEMA_VERSION, type ReportDocument } from './render-json.js';
export { renderHtml, renderHtmlReport, type HtmlOptions } from './render-html.js';
export { renderTimelineText, renderTimelineSvg, timelineEndSeconds, type TimelineStage, type TimelineTextOptions } from './timeline.js';
export { sparkline } from './sparkline.js';
export type * from './types.js';
