import { Injectable } from '@nestjs/common';
import { AgentPresenceService } from './agent-presence.service';
import { RecurringPass } from '@switchboard/api-util-recurring-pass';

/** How often each instance looks for reports that went stale: an agent is seen unreachable at most this much late. */
export const PRESENCE_SWEEP_INTERVAL_MS = 1000;

/** Makes agents whose softphone stopped reporting unreachable, and says so; the store answers each change to one instance only. */
@Injectable()
export class PresenceSweep extends RecurringPass {
  constructor(private readonly presence: AgentPresenceService) {
    super('PresenceSweep', PRESENCE_SWEEP_INTERVAL_MS);
  }

  protected pass(now?: Date): Promise<unknown> {
    return this.presence.sweep(now);
  }
}
