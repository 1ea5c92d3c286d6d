/**
 * The history file as the pipeline planner needs it: the stage times and shard wall times of
 * earlier runs. Missing means no history yet (the first run), not an error.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../../errors.js';
import type { History } from '../../timings/history-types.js';
import { validateHistory } from '../../timings/history-shape.js';

export async function readPipelineHistory(path: string, label: string): Promise<History | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UserError(`${label}: cannot read the history file (${code ?? String(error)})`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new UserError(`${label}: not JSON (${error instanceof Error ? error.message : String(error)})`, {
      hint: 'the history file is a cache: delete it and run again',
    });
  }
  return validateHistory(value, label);
}
