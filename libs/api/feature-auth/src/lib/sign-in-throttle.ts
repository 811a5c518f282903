import { Inject, Injectable } from '@nestjs/common';
import { SignInFailuresRepository } from '@switchboard/api-data-access-db';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';

/** An attempt the limits let through; report how it ended. */
export interface SignInAttempt {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
}

/**
 * Limits failed sign-ins per identity and per source address over a sliding window, in the database so
 * every API instance sees the same counts. Identities are counted whether or not they exist, so the
 * 429 tells nothing about which identities are real. A success clears its identity's failures but not
 * its source's: signing in to one's own account must not buy more guesses at another's.
 */
@Injectable()
export class SignInThrottle {
  constructor(private readonly failures: SignInFailuresRepository, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * Records the attempt first, then counts the earlier ones: parallel attempts, on any instance, see
   * each other, so a burst cannot slip past the limit. Refused attempts are forgotten (they do not
   * extend the lockout). Returns the seconds to wait, or the attempt to settle.
   */
  async begin(identity: string, source: string): Promise<{ retryAfterSeconds: number } | SignInAttempt> {
    const { maxFailuresPerIdentity, maxFailuresPerSource, windowSeconds } = this.config.signInLimits;
    const attemptId = await this.failures.record(identity, source);
    const waits = await Promise.all([
      this.failures.secondsUntilAllowed(attemptId, { identity }, { maxFailures: maxFailuresPerIdentity, windowSeconds }),
      this.failures.secondsUntilAllowed(attemptId, { source }, { maxFailures: maxFailuresPerSource, windowSeconds }),
    ]);
    const retryAfterSeconds = Math.max(...waits);
    if (retryAfterSeconds > 0) {
      await this.failures.forget(attemptId);
      return { retryAfterSeconds };
    }
    return {
      succeeded: () => this.failures.clearIdentity(identity),
      // The attempt's row stays as the failure; older rows no longer count and go.
      failed: () => this.failures.prune(windowSeconds),
    };
  }
}
