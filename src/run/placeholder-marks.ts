// The marks of a placeholder report, apart from the writer (synthetic-report.ts): `merge` looks
// for them in every report, and must not load junit-report-builder (~18 MB of peak RSS) to do so.

export const SYNTHETIC_ERROR_TYPE = 'split-tests.no-report';
/**
 * The suite property that marks a report as split-tests' placeholder (value: the shard "K/N").
 * It is the suite's first child, so a reader finds it in the report's first bytes.
 */
export const PLACEHOLDER_PROPERTY = 'split-tests.no-report';
