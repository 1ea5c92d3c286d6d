import type { CommandModule } from 'yargs';
import { UserError } from '../../errors.js';

// Placeholder until its owner lands the real command.
export const planCommand: CommandModule = {
  command: 'plan',
  describe: 'plan',
  handler: () => {
    throw new UserError('plan: not implemented yet');
  },
};
