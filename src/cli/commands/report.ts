import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { timelineFromStages } from '../../ci/pipeline/timeline.js';
import { DEFAULT_HISTORY_PATH } from '../../config/types.js';
import { UserError } from '../../errors.js';
import { computeTrends, renderHtmlReport, renderJson, renderText } from '../../report/index.js';
import { writeError } from '../../fs/write-error.js';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import { readHistory } from '../../timings/history.js';
import { loadConfig } from '../config.js';
import { note } from '../warn.js';

const FORMATS = ['text', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];

interface ReportArgs {
  history?: string;
  format?: string;
  output?: string;
  last?: number;
  config?: string;
}

/** `split-tests report`: the timing trends of the history file, as text, JSON or one HTML page. */
export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report',
  describe: 'Timing trends from the history file: text summary, JSON, or a self-contained HTML page',
  builder: (y: Argv<object>) =>
    y
      .option('history', {
        type: 'string',
        requiresArg: true,
        describe: `History file (default: "history" in the config, else ${DEFAULT_HISTORY_PATH})`,
      })
      // checked in the handler, not with yargs' `choices`, whose message spans three lines
      .option('format', { type: 'string', default: 'text', requiresArg: true, describe: `Output format: ${FORMATS.join(', ')}` })
      .option('output', { type: 'string', requiresArg: true, describe: "Write the report to FILE ('-' for stdout); required for html" })
      .option('last', { type: 'number', requiresArg: true, describe: 'Only the last N runs' })
      .option('config', { type: 'string', requiresArg: true, describe: 'Config file (default: split-tests.config.json)' }) as unknown as Argv<ReportArgs>,
  handler: async (args) => {
    const cwd = process.cwd();
    const format = formatOf(args.format);
    if (args.last !== undefined && (!Number.isInteger(args.last) || args.last < 1)) {
      const given = Number.isNaN(args.last) ? 'not a number' : `got ${String(args.last)}`;
      throw new UserError(`--last: expected a whole number of runs >= 1, ${given}`, { hint: 'e.g. --last 20' });
    }
    if (args.output !== undefined && args.output.trim() === '') {
      throw new UserError('--output: empty file name', { hint: "name a file, or '-' for stdout" });
    }
    if (format === 'html' && args.output === undefined) {
      throw new UserError('--format html needs --output', { hint: "e.g. --output report.html, or '--output -' for stdout" });
    }
    // The config is only consulted for its history path; a flag skips it entirely.
    let historyPath: string;
    let shown: string;
    if (args.history !== undefined) {
      historyPath = resolve(cwd, args.history);
      shown = args.history;
    } else {
      const config = await loadConfig({ cwd, path: args.config });
      historyPath = resolve(config.root, config.config.history ?? DEFAULT_HISTORY_PATH);
      shown = config.config.history ?? DEFAULT_HISTORY_PATH;
    }
    const history = await readHistory(historyPath, shown);
    if (history === undefined) {
      if (args.history !== undefined) {
        throw new UserError(`--history ${args.history}: no such file`, {
          hint: 'check the path; a history is written by `split-tests record <junit reports...>` or `split-tests pipeline run`',
        });
      }
      throw new UserError(`${shown}: no history file yet`, {
        hint: 'record one after a test run (`split-tests record <junit reports...>`, or `split-tests pipeline run`), or pass --history FILE',
      });
    }
    const trends = computeTrends(history, { last: args.last });
    const latestRun = history.runs.at(-1);
    const timeline = latestRun ? timelineFromStages(latestRun.stages, latestRun.predictedStages) : [];

    if (trends.runCount === 0 && format === 'text') {
      note(`${shown} has no runs yet: record one with \`split-tests record <junit reports...>\``);
      return;
    }
    let content: string;
    if (format === 'json') content = renderJson(trends, { timeline });
    else if (format === 'html') content = renderHtmlReport(trends, { timeline });
    else {
      const toFile = args.output !== undefined && args.output !== '-';
      const color = !toFile && process.stdout.isTTY === true && !noColor(process.env);
      content = renderText(trends, { color, width: toFile ? 100 : process.stdout.columns || 100, timeline });
    }
    if (!content.endsWith('\n')) content += '\n';
    if (args.output === undefined || args.output === '-') {
      process.stdout.write(content);
      return;
    }
    const target = resolve(cwd, args.output);
    try {
      await writeFileAtomic(target, content);
    } catch (error) {
      throw await writeError(`--output ${args.output}`, target, error);
    }
    note(`wrote ${args.output}`);
  },
};

function formatOf(value: string | undefined): Format {
  const format = value ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UserError(`--format ${format}: expected text, json or html`, { hint: 'e.g. --format html --output report.html' });
  }
  return format as Format;
}

/** https://no-color.org: any non-empty NO_COLOR turns colour off. */
function noColor(env: NodeJS.ProcessEnv): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}
