/** A command line the admin tool cannot run as written (exit code 2); the message says how to fix it. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A well-formed command that could not be carried out (exit code 1): unknown agent, duplicate, … */
export class AdminFailure extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'AdminFailure';
  }
}
