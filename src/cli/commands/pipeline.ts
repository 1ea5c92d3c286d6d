import type { CommandModule } from 'yargs';
import { UserError } from '../../errors.js';

// Placeholder until its owner lands the real command.
export const pipelineCommand: CommandModule = {
  command: 'pipeline',
  describe: 'pipeline',
  handler: () => {
    throw new UserError('pipeline: not implemented yet');
  },
};
