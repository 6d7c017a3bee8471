// Main process (CLI host). A mistake in how the command was called: exit code 2, with help.
import { TodokeError } from '../../shared/errors.js';

export class UsageError extends TodokeError<'CLI_USAGE'> {
  constructor(ja: string, en: string) {
    super('CLI_USAGE', { ja, en });
    this.name = 'UsageError';
  }
}
