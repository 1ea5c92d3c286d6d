import type { CommandModule } from 'yargs';
import { UserError } from '../../errors.js';

// Placeholder until its owner lands the real command.
export const mergeCommand: CommandModule = {
  command: 'merge',
  describe: 'merge',
  handler: () => {
    throw new UserError('merge: not implemented yet');
  },
};
