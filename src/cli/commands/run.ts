import type { CommandModule } from 'yargs';
import { UserError } from '../../errors.js';

// Placeholder until its owner lands the real command.
export const runCommand: CommandModule = {
  command: 'run',
  describe: 'run',
  handler: () => {
    throw new UserError('run: not implemented yet');
  },
};
