import { throwError, timeout, type MonoTypeOperatorFunction } from 'rxjs';

const REGISTRATION_TIMEOUT = Symbol('registration-timeout');

/**
 * A watchdog for register() and refreshRegistration(), which can stay pending forever
 * (twilio-voice.js#445): past the deadline the stream errors with a marker that
 * {@link isRegistrationTimeout} recognises.
 */
export function withinRegistrationDeadline<T>(deadlineMs: number): MonoTypeOperatorFunction<T> {
  return (source) => source.pipe(timeout({ first: deadlineMs, with: () => throwError(() => REGISTRATION_TIMEOUT) }));
}

export function isRegistrationTimeout(error: unknown): boolean {
  return error === REGISTRATION_TIMEOUT;
}

/** Run a Device command whose failure must not take the effect down with it. */
export function safely(command: () => void): void {
  try {
    command();
  } catch {
    // The SDK throws InvalidStateError for commands on a destroyed Device; nothing to undo.
  }
}
