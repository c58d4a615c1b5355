import { FundusError } from '../errors.js';

/**
 * A command line the CLI cannot run: an unknown command or option, a missing or malformed value, a wrong
 * number of arguments. Its message says what to type instead; the CLI prints it and exits with code 2.
 */
export class UsageError extends FundusError {
  /** The command the error is about (`'preprocess'`), or `undefined` for the program itself. */
  readonly command: string | undefined;

  constructor(message: string, command?: string, value?: unknown) {
    super(message, { value });
    this.command = command;
  }
}
