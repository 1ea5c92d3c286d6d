/**
 * A cucumber-js formatter plugin (`--format "<this file>":"junit.xml"`) that writes JUnit with a
 * `file` attribute, the feature file, on every testcase: cucumber's own junit formatter names a
 * case only after its feature and scenario, which cannot be mapped back to a file. Each scenario
 * (each example row of an outline) is one testcase named like the pickle, what --name matches.
 */
import { renderJUnit } from '../junit-xml.js';

interface Duration {
  readonly seconds: number;
  readonly nanos: number;
}

interface Envelope {
  readonly gherkinDocument?: { readonly uri?: string; readonly feature?: { readonly name: string } };
  readonly pickle?: { readonly id: string; readonly uri: string; readonly name: string };
  readonly testCase?: { readonly id: string; readonly pickleId: string };
  readonly testCaseStarted?: { readonly id: string; readonly testCaseId: string; readonly timestamp?: Duration };
  readonly testStepFinished?: {
    readonly testCaseStartedId: string;
    readonly testStepResult: { readonly status: string; readonly duration?: Duration; readonly message?: string };
  };
  readonly testCaseFinished?: { readonly testCaseStartedId: string; readonly willBeRetried?: boolean };
  readonly testRunStarted?: { readonly timestamp?: Duration };
  readonly testRunFinished?: object;
}

interface Attempt {
  readonly pickleId: string;
  seconds: number;
  status: 'passed' | 'failed' | 'skipped';
  message?: string | undefined;
}

interface FormatterContext {
  readonly on: (event: 'message', handler: (envelope: Envelope) => void) => void;
  readonly write: (text: string) => void;
}

const FAILING = new Set(['FAILED', 'AMBIGUOUS', 'UNDEFINED']);

function formatter({ on, write }: FormatterContext): void {
  const features = new Map<string, string>();
  const pickles = new Map<string, { uri: string; name: string }>();
  const testCases = new Map<string, string>();
  const attempts = new Map<string, Attempt>();
  const finished: Attempt[] = [];
  let started: Date | undefined;

  on('message', (envelope) => {
    if (envelope.testRunStarted?.timestamp) started = new Date(envelope.testRunStarted.timestamp.seconds * 1000);
    if (envelope.gherkinDocument?.uri !== undefined) features.set(envelope.gherkinDocument.uri, envelope.gherkinDocument.feature?.name ?? '');
    if (envelope.pickle) pickles.set(envelope.pickle.id, { uri: envelope.pickle.uri, name: envelope.pickle.name });
    if (envelope.testCase) testCases.set(envelope.testCase.id, envelope.testCase.pickleId);
    if (envelope.testCaseStarted) {
      const pickleId = testCases.get(envelope.testCaseStarted.testCaseId);
      if (pickleId !== undefined) attempts.set(envelope.testCaseStarted.id, { pickleId, seconds: 0, status: 'passed' });
    }
    const step = envelope.testStepFinished;
    if (step) {
      const attempt = attempts.get(step.testCaseStartedId);
      if (attempt !== undefined) {
        const result = step.testStepResult;
        attempt.seconds += (result.duration?.seconds ?? 0) + (result.duration?.nanos ?? 0) / 1e9;
        if (FAILING.has(result.status)) {
          attempt.status = 'failed';
          attempt.message ??= result.message ?? `step ${result.status.toLowerCase()}`;
        } else if ((result.status === 'SKIPPED' || result.status === 'PENDING') && attempt.status === 'passed') {
          attempt.status = 'skipped';
        }
      }
    }
    const done = envelope.testCaseFinished;
    // a retried attempt is not the scenario's verdict: the last attempt is
    if (done && !done.willBeRetried) {
      const attempt = attempts.get(done.testCaseStartedId);
      if (attempt !== undefined) finished.push(attempt);
    }
    if (envelope.testRunFinished) write(render(finished, pickles, features, started ?? new Date()));
  });
}

function render(
  attempts: readonly Attempt[],
  pickles: ReadonlyMap<string, { uri: string; name: string }>,
  features: ReadonlyMap<string, string>,
  started: Date,
): string {
  const byFile = new Map<string, Attempt[]>();
  for (const attempt of attempts) {
    const uri = pickles.get(attempt.pickleId)?.uri ?? '';
    byFile.set(uri, [...(byFile.get(uri) ?? []), attempt]);
  }
  const suites = [...byFile].map(([uri, list]) => {
    const feature = features.get(uri) ?? uri;
    const cases = list.map((attempt) => ({
      classname: feature,
      name: pickles.get(attempt.pickleId)?.name ?? '',
      seconds: attempt.seconds,
      status: attempt.status,
      // a skipped scenario carries no message; a failed one its first line, the whole text below
      message: attempt.status === 'failed' ? firstLine(attempt.message ?? '') : undefined,
      detail: attempt.message ?? '',
    }));
    return { name: feature, file: uri.split('\\').join('/'), cases };
  });
  return renderJUnit('cucumber-js', suites, started);
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline === -1 ? text : text.slice(0, newline);
}

export default { type: 'formatter', formatter };
