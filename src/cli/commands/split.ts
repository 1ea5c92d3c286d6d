import type { CommandModule } from 'yargs';
import { UserError } from '../../errors.js';

// Placeholder until its owner lands the real command.
export const splitCommand: CommandModule = {
  command: '$0',
  describe: 'split',
  handler: () => {
    throw new UserError('split: not implemented yet');
  },
};
