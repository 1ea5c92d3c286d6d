import type { CommandModule } from 'yargs';
import { UserError } from '../../errors.js';

// Placeholder until its owner lands the real command.
export const recordCommand: CommandModule = {
  command: 'record',
  describe: 'record',
  handler: () => {
    throw new UserError('record: not implemented yet');
  },
};
