import { ConflictException, HttpStatus, Injectable, Logger, Optional, ServiceUnavailableException } from '@nestjs/common';
import { AgentsRepository } from '@switchboard/api-data-access-db';
import { LiveEventPublisher } from '@switchboard/api-data-access-live-events';
import { ConferenceCommandError, ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { badField, FieldException } from '@switchboard/api-http-boundary';
import { FLOOR_EVENTS, MONITOR_MODES, type MonitorMode, type MonitorState } from '@switchboard/shared-contracts';
import { FloorQueries, type MonitoredCall } from './floor-queries';

/** The mode a monitor leg is in, from its flags: muted = listen, coaching = whisper, neither = barge. */
export function modeOf(flags: { readonly muted: boolean; readonly coaching: boolean }): MonitorMode {
  return flags.muted ? 'listen' : flags.coaching ? 'whisper' : 'barge';
}

/**
 * Listen / whisper / barge after the supervisor joined (their softphone joined with MONITOR_PARAMS; the
 * outgoing webhook admitted them): changes the monitor leg's mute and coaching, and tells the supervisor and
 * the agents on the call (`call.monitor`, in every mode: an agent always knows who is listening).
 */
@Injectable()
export class MonitorService {
  private readonly logger = new Logger('Monitor');

  constructor(
    private readonly queries: FloorQueries,
    private readonly commands: ConferenceCommands,
    private readonly agents: AgentsRepository,
    @Optional() private readonly publisher?: LiveEventPublisher,
  ) {}

  /**
   * 400 names `mode`; 404 when no live customer call has this CallSid; 409 when the supervisor is not
   * monitoring it (or, to whisper, no agent is on it); 503 when the provider does not answer.
   */
  async setMode(supervisor: string, customerCallSid: string, mode: string): Promise<MonitorState> {
    if (!(MONITOR_MODES as readonly string[]).includes(mode)) throw badField('mode', `mode must be one of ${MONITOR_MODES.join(', ')}`);
    const wanted = mode as MonitorMode;
    const call = await this.queries.monitoredCall(customerCallSid);
    if (!call) throw new FieldException(HttpStatus.NOT_FOUND, 'No live customer call has this CallSid', 'callSid');
    const leg = call.monitors.find((monitor) => monitor.identity === supervisor);
    if (!leg) throw new ConflictException('You are not monitoring this call; join it from the board first');
    const agentLeg = call.agentLegs[0];
    if (wanted === 'whisper' && !agentLeg) throw new ConflictException('No agent is on this call to whisper to');
    try {
      await this.apply(call.conferenceSid, leg.callSid, wanted, agentLeg?.callSid ?? null);
    } catch (error) {
      if (!(error instanceof ConferenceCommandError)) throw error;
      if (error.retryable) throw new ServiceUnavailableException('The telephony provider is not answering; try again shortly');
      throw new ConflictException('Your monitoring leg or the call has ended');
    }
    await this.publish(call, supervisor, wanted);
    return { customerCallSid: call.customerCallSid, supervisor, callSid: leg.callSid, mode: wanted };
  }

  /**
   * Tells the supervisor and the agents on the call that `supervisor` is now in `mode` (null: left). The
   * change is made; a bus that fails only costs the live update, never the answer.
   */
  async publish(call: MonitoredCall, supervisor: string, mode: MonitorMode | null): Promise<void> {
    if (!this.publisher) return;
    const displayName = (await this.agents.findByIdentity(supervisor))?.displayName ?? supervisor;
    const audience = [...new Set([supervisor, ...call.agentLegs.map((leg) => leg.identity)])];
    try {
      await this.publisher.publish(FLOOR_EVENTS.monitor, {
        customerCallSid: call.customerCallSid, supervisor, supervisorDisplayName: displayName, mode,
      }, { agents: audience });
    } catch (error) {
      this.logger.warn(`call.monitor for ${call.customerCallSid} was not published: ${(error as Error).message}`);
    }
  }

  /**
   * Each step keeps the customer from hearing the supervisor unless barging: to listen, mute before
   * uncoaching; to whisper, coach before unmuting; to barge, uncoach (from whisper: heard by all) then unmute.
   */
  private async apply(conferenceSid: string, legCallSid: string, mode: MonitorMode, agentCallSid: string | null): Promise<void> {
    if (mode === 'listen') {
      await this.commands.setMuted(conferenceSid, legCallSid, true);
      await this.commands.setCoaching(conferenceSid, legCallSid, null);
    } else if (mode === 'whisper') {
      await this.commands.setCoaching(conferenceSid, legCallSid, agentCallSid);
      await this.commands.setMuted(conferenceSid, legCallSid, false);
    } else {
      await this.commands.setCoaching(conferenceSid, legCallSid, null);
      await this.commands.setMuted(conferenceSid, legCallSid, false);
    }
  }
}
