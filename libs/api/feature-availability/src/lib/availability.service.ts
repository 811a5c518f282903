import { ConflictException, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchboard/api-data-access-config';
import {
  AvailabilityRepository, type AvailabilityChangeRequest, type AvailabilityRecord, type AvailabilityTransition,
} from '@switchboard/api-data-access-db';
import { LiveEventPublisher } from '@switchboard/api-data-access-live-events';
import { badField } from '@switchboard/api-http-boundary';
import {
  AVAILABILITY_EVENTS, CHOSEN_AVAILABILITY_STATES, WRAP_UP_NOTE_MAX_LENGTH, type AgentAvailability, type AvailabilityActor,
  type AvailabilityChange, type AvailabilityResponse, type AvailabilityState, type ChosenAvailabilityState,
} from '@switchboard/shared-contracts';

/** What an agent or a supervisor asks for; validated here against the configured lists. */
export interface AvailabilityChoice {
  readonly state: string;
  readonly reason?: string;
  readonly disposition?: string;
  readonly note?: string;
}

/** Wrap-ups ended per tick at most; the rest wait for the next tick (a second later). */
const WRAP_UP_BATCH = 100;
/** A change whose expected state moved meanwhile is decided again from the new state this many times. */
const ATTEMPTS = 3;

/**
 * Agents' availability: what they and supervisors may choose, and the automatic changes the call flow
 * will make (onCallStarted, onCallEnded, endDueWrapUps). Each change is one conditional statement
 * (AvailabilityRepository.change), so several instances may act on one agent; every change is published
 * as `agent.availability` to the agent and the supervisors.
 */
@Injectable()
export class AgentAvailabilityService {
  private readonly logger = new Logger('AgentAvailability');

  constructor(
    private readonly repository: AvailabilityRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly publisher?: LiveEventPublisher,
  ) {}

  async current(identity: string, now = new Date()): Promise<AgentAvailability> {
    return toView(await this.repository.current(identity, now));
  }

  /** The agent's state with the lists the status menu offers. */
  async ownView(identity: string): Promise<AvailabilityResponse> {
    const { awayReasons, dispositionCodes, wrapUpSeconds } = this.config.availability;
    return { availability: await this.current(identity), awayReasons, dispositionCodes, wrapUpSeconds };
  }

  async history(identity: string, limit: number): Promise<AvailabilityChange[]> {
    return (await this.repository.history(identity, limit)).map((change) => ({ ...change, at: change.at.toISOString() }));
  }

  /**
   * The agent chooses available or away (with a reason). In wrap-up they must give a disposition (and
   * may give a note), stored with the wrap-up's call. 400 names the field; 409 while on a call.
   */
  chooseOwn(identity: string, choice: AvailabilityChoice): Promise<AgentAvailability> {
    return this.choose(identity, choice, { kind: 'self' });
  }

  /** A supervisor sets an agent's state (e.g. ends a forgotten break); ending a wrap-up this way stores no disposition. */
  setBySupervisor(supervisor: string, identity: string, choice: Pick<AvailabilityChoice, 'state' | 'reason'>): Promise<AgentAvailability> {
    return this.choose(identity, choice, { kind: 'supervisor', identity: supervisor });
  }

  /** The agent joined call `callSid`: on-call (from any state). Undefined if they were already on a call. */
  async onCallStarted(identity: string, callSid: string, now = new Date()): Promise<AgentAvailability | undefined> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.repository.current(identity, now);
      if (current.state === 'on-call') return undefined;
      const changed = await this.apply({
        identity, to: 'on-call', reason: null, callSid, wrapUpEndsAt: null, fromStates: [current.state], by: { kind: 'system' }, at: now,
      });
      if (changed) return changed;
    }
    return undefined;
  }

  /**
   * The agent's call `callSid` ended: wrap-up on it, ending by itself WRAP_UP_SECONDS from now (never, if 0).
   * Undefined when the agent was not on that call (another call's end, or already moved on).
   */
  onCallEnded(identity: string, callSid: string, now = new Date()): Promise<AgentAvailability | undefined> {
    const seconds = this.config.availability.wrapUpSeconds;
    return this.apply({
      identity, to: 'wrap-up', reason: null, callSid, wrapUpEndsAt: seconds === 0 ? null : new Date(now.getTime() + seconds * 1000),
      fromStates: ['on-call'], fromCallSid: callSid, by: { kind: 'system' }, at: now,
    });
  }

  /**
   * The agent's phone became reachable: an agent who was offline (signed out, or never in) is now
   * available, by the system ("signing in puts you online"). Any other state is theirs to keep.
   */
  async onReachable(identity: string, now = new Date()): Promise<AgentAvailability | undefined> {
    await this.repository.current(identity, now); // an agent's first row, offline: they may never have been seen
    return this.apply({ identity, to: 'available', reason: null, callSid: null, wrapUpEndsAt: null, fromStates: ['offline'], by: { kind: 'system' }, at: now });
  }

  /**
   * The agent signed out: offline from whatever state (a wrap-up left open records no disposition; a call
   * still up ends without moving them to wrap-up). Undefined if they were offline already.
   */
  onSignedOut(identity: string, now = new Date()): Promise<AgentAvailability | undefined> {
    return this.apply({
      identity, to: 'offline', reason: null, callSid: null, wrapUpEndsAt: null, fromStates: ['available', 'on-call', 'wrap-up', 'away'],
      by: { kind: 'system' }, at: now,
    });
  }

  /** Ends the wrap-ups whose time passed (→ available); each by one instance only. The number ended. */
  async endDueWrapUps(now = new Date()): Promise<number> {
    const ended = await this.repository.endDueWrapUps(now, WRAP_UP_BATCH);
    for (const transition of ended) await this.publish(transition);
    return ended.length;
  }

  private async choose(identity: string, choice: AvailabilityChoice, by: AvailabilityActor): Promise<AgentAvailability> {
    const { state, reason, disposition } = this.checked(choice);
    const note = choice.note === undefined || choice.note.trim() === '' ? null : choice.note;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const now = new Date();
      const current = await this.repository.current(identity, now);
      if (current.state === 'on-call') throw new ConflictException('The agent is on a call; the state changes when the call ends');
      const base = { identity, to: state, reason, callSid: null, wrapUpEndsAt: null, by, at: now } as const;
      let request: AvailabilityChangeRequest;
      if (current.state === 'wrap-up') {
        if (by.kind === 'self' && disposition === undefined) throw badField('disposition', 'disposition: choose a disposition to end wrap-up');
        request = {
          ...base, fromStates: ['wrap-up'], fromCallSid: current.callSid ?? undefined,
          ...(disposition === undefined ? {} : { disposition: { code: disposition, note } }),
        };
      } else {
        if (disposition !== undefined) throw new ConflictException('The wrap-up has already ended; the disposition was not stored');
        if (current.state === state && current.reason === reason) return toView(current);
        request = { ...base, fromStates: [current.state] };
      }
      const changed = await this.apply(request);
      if (changed) return changed;
    }
    throw new ConflictException('The state changed meanwhile; try again');
  }

  /** 400 naming the field for anything outside the configured lists (the DTO has checked the types). */
  private checked(choice: AvailabilityChoice): { state: ChosenAvailabilityState; reason: string | null; disposition: string | undefined } {
    const { awayReasons, dispositionCodes } = this.config.availability;
    if (!(CHOSEN_AVAILABILITY_STATES as readonly string[]).includes(choice.state)) {
      throw badField('state', `state must be one of ${CHOSEN_AVAILABILITY_STATES.join(', ')}`);
    }
    const state = choice.state as ChosenAvailabilityState;
    if (state === 'away' && !awayReasons.some((r) => r.id === choice.reason)) {
      throw badField('reason', `reason must be one of ${awayReasons.map((r) => r.id).join(', ')}`);
    }
    if (state !== 'away' && choice.reason !== undefined) throw badField('reason', 'reason is given only with away');
    if (choice.disposition !== undefined && !dispositionCodes.some((c) => c.id === choice.disposition)) {
      throw badField('disposition', `disposition must be one of ${dispositionCodes.map((c) => c.id).join(', ')}`);
    }
    if (choice.note !== undefined && choice.disposition === undefined) throw badField('note', 'note is given only with a disposition');
    if (choice.note !== undefined && choice.note.length > WRAP_UP_NOTE_MAX_LENGTH) {
      throw badField('note', `note must be at most ${WRAP_UP_NOTE_MAX_LENGTH} characters`);
    }
    return { state, reason: state === 'away' ? (choice.reason as string) : null, disposition: choice.disposition };
  }

  private async apply(request: AvailabilityChangeRequest): Promise<AgentAvailability | undefined> {
    const transition = await this.repository.change(request);
    if (!transition) return undefined;
    await this.publish(transition);
    return toView(transition.current);
  }

  /** The change is made; a bus that fails only costs the live update (clients refetch on resync), never the answer. */
  private async publish(transition: AvailabilityTransition): Promise<void> {
    if (!this.publisher) return;
    const availability = toView(transition.current);
    try {
      await this.publisher.publish(AVAILABILITY_EVENTS.changed, { availability, previous: transition.previous.state, by: transition.by }, {
        agents: [availability.identity], supervisors: true,
      });
    } catch (error) {
      this.logger.warn(`agent.availability for ${availability.identity} was not published: ${(error as Error).message}`);
    }
  }
}

export function toView(record: AvailabilityRecord): AgentAvailability {
  return {
    identity: record.identity, state: record.state as AvailabilityState, reason: record.reason, since: record.since.toISOString(),
    ...(record.state === 'wrap-up' && record.callSid !== null
      ? { wrapUp: { callSid: record.callSid, endsAt: record.wrapUpEndsAt?.toISOString() ?? null } } : {}),
  };
}
