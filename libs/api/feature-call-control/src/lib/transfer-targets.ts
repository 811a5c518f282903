import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, outboundCapLimits, type AppConfig } from '@switchboard/api-data-access-config';
import { AgentsRepository, OutboundCallCaps, RoutingRepository, type CurrentParticipant } from '@switchboard/api-data-access-db';
import { clientAddress, type TransferTarget } from '@switchboard/shared-contracts';
import { evaluateNumberPolicy } from '@switchboard/shared-util-phone';
import { CallControlException } from './call-control-errors';

/** Who a transfer rings: one leg per address, each with its conference label. */
export interface TransferDials {
  readonly targetValue: string;
  readonly targetDisplay: string;
  readonly legs: ReadonlyArray<{ readonly to: string; readonly label: string }>;
  /** The toll-fraud grant taken for a number target (released when its leg ends). */
  readonly capKey: string | null;
}

/** The label of a phone number dialled in by a transfer (agents keep `client:<identity>`, as their softphone legs do). */
export const TRANSFER_NUMBER_LABEL = 'transfer-target';

const unavailable = (message: string) => new CallControlException(HttpStatus.CONFLICT, 'target-unavailable', message, 'target');

/**
 * Resolves a transfer's target into the legs to dial, or refuses it. A phone number passes the same
 * number policy and toll-fraud caps as an agent's outbound call (the caps counted against the agent who
 * transfers), refusals audited in the same table with the same reasons; nothing is dialled then.
 */
@Injectable()
export class TransferTargets {
  private readonly logger = new Logger('TransferTargets');

  constructor(
    private readonly agents: AgentsRepository,
    private readonly routing: RoutingRepository,
    private readonly caps: OutboundCallCaps,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async resolve(identity: string, target: TransferTarget, current: readonly CurrentParticipant[], transferId: string): Promise<TransferDials> {
    const inCall = new Set(current.flatMap((p) => (p.agentIdentity === null ? [] : [p.agentIdentity])));
    switch (target.kind) {
      case 'agent': {
        const agent = await this.agents.findEnabled(target.identity);
        if (!agent) throw unavailable('That colleague does not exist or is not available');
        if (agent.identity === identity) throw unavailable('You cannot transfer a call to yourself');
        if (inCall.has(agent.identity)) throw unavailable('That colleague is already on this call');
        return { targetValue: agent.identity, targetDisplay: agent.displayName, legs: [clientLeg(agent.identity)], capKey: null };
      }
      case 'ring-group': {
        const members = (await this.routing.enabledAgentsOf({ kind: 'group', name: target.id })).filter((member) => member !== identity && !inCall.has(member));
        if (members.length === 0) throw unavailable('Nobody in that ring group can take the call now');
        return { targetValue: target.id, targetDisplay: target.id, legs: members.map(clientLeg), capKey: null };
      }
      case 'number':
        return this.number(identity, target.number, transferId);
    }
  }

  /** Releases a number target's grant: its leg ended, or it was never dialled. Idempotent. */
  async release(capKey: string | null): Promise<void> {
    if (capKey !== null) await this.caps.end(capKey, new Date());
  }

  private async number(identity: string, number: string, transferId: string): Promise<TransferDials> {
    // The grant and any refusal are keyed by the transfer (its leg's CallSid is not known before dialling).
    const capKey = `transfer:${transferId}`;
    const request = { callSid: capKey, agentIdentity: identity, at: new Date() };
    const decision = evaluateNumberPolicy(number, this.config.numberPolicy);
    if (!decision.allowed) {
      this.logger.warn(`Transfer ${transferId} by ${identity} refused: ${decision.reason} (${decision.detail})`);
      await this.caps.recordRefusal({ ...request, to: number.slice(0, 64) }, decision.reason);
      throw new CallControlException(HttpStatus.UNPROCESSABLE_ENTITY, 'number-refused', "Your organisation's calling policy does not allow this number", 'target', decision.reason);
    }
    const grant = await this.caps.grant({ ...request, to: decision.e164 }, outboundCapLimits(this.config));
    if (!grant.granted) {
      this.logger.warn(`Transfer ${transferId} by ${identity} refused: ${grant.cap} cap`);
      throw new CallControlException(HttpStatus.TOO_MANY_REQUESTS, 'call-cap', 'A limit on calls to phone numbers refuses this transfer now', 'target', grant.cap);
    }
    return { targetValue: decision.e164, targetDisplay: decision.e164, legs: [{ to: decision.e164, label: TRANSFER_NUMBER_LABEL }], capKey };
  }
}

const clientLeg = (identity: string) => ({ to: clientAddress(identity), label: clientAddress(identity) });
