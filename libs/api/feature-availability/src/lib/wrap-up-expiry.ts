import { Injectable } from '@nestjs/common';
import { AgentAvailabilityService } from './availability.service';
import { RecurringPass } from '@switchboard/api-util-recurring-pass';

/** How often each instance looks for wrap-ups whose time passed: an agent stays in wrap-up at most this much longer. */
export const WRAP_UP_EXPIRY_INTERVAL_MS = 1000;

/** Ends wrap-ups after WRAP_UP_SECONDS; the repository hands each due wrap-up to one instance only, so the agent is told once. */
@Injectable()
export class WrapUpExpiry extends RecurringPass {
  constructor(private readonly availability: AgentAvailabilityService) {
    super('WrapUpExpiry', WRAP_UP_EXPIRY_INTERVAL_MS);
  }

  protected pass(now?: Date): Promise<unknown> {
    return this.availability.endDueWrapUps(now);
  }
}
