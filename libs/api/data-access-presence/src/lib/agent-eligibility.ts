import { Injectable } from '@nestjs/common';
import { AvailabilityRepository } from '@switchboard/api-data-access-db';
import type { AvailabilityState, RingOutcome } from '@switchboard/shared-contracts';
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

/**
 * Which members of a route may be rung now (issue 13, item 3): Available in their state and reachable.
 * The state is checked first, so an agent on a break is skipped as `away` whether their tab is open or not.
 * One query for the states and one read of presence per call, whatever the group's size.
 */
@Injectable()
export class AgentEligibility {
  constructor(private readonly availability: AvailabilityRepository, private readonly presence: PresenceStore) {}

  async eligible(identities: readonly string[], now = new Date()): Promise<Eligibility> {
    const members = [...new Set(identities)];
    const [states, reachability] = await Promise.all([
      this.availability.currentMany(members, now), this.presence.reachabilityOf(members, now),
    ]);
    const eligible: EligibleAgent[] = [];
    const skipped: SkippedAgent[] = [];
    for (const identity of members) {
      const state = states.get(identity);
      if (state === undefined || state.state !== 'available') skipped.push({ identity, outcome: (state?.state ?? 'offline') as Exclude<AvailabilityState, 'available'> });
      else if (reachability.get(identity)?.reachable !== true) skipped.push({ identity, outcome: 'unreachable' });
      else eligible.push({ identity, availableSince: state.since });
    }
    // Longest idle first; ties (same instant) in the order asked, as sort is stable.
    eligible.sort((a, b) => a.availableSince.getTime() - b.availableSince.getTime());
    return { eligible, skipped };
  }
}
