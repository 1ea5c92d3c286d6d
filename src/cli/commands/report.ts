import type { CommandModule } from 'yargs';
import { UserError } from '../../errors.js';

// Placeholder until its owner lands the real command.
export const reportCommand: CommandModule = {
  command: 'report',
  describe: 'report',
  handler: () => {
    throw new UserError('report: not implemented yet');
  },
};
