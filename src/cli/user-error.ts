/** A mistake on the command line: printed as is (no stack), exit code 1. */
export class UserError extends Error {
  constructor(readonly userMessage: string) {
    super(userMessage);
    this.name = 'UserError';
  }
}
