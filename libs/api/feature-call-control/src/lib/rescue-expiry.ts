import { Injectable, Optional } from '@nestjs/common';
import { CallProgressEvents } from '@switchboard/api-data-access-telephony';
import { RecurringPass } from '@switchboard/api-util-recurring-pass';
import { CallRescues } from './rescues.service';

/** How often each instance looks for rescues whose window passed: the customer waits at most this much longer. */
export const RESCUE_EXPIRY_INTERVAL_MS = 1000;

/**
 * Sends customers nobody rejoined to voicemail. Every instance ticks; claimExpired hands each expired
 * rescue to one of them only.
 */
@Injectable()
export class RescueExpiry extends RecurringPass {
  constructor(
    private readonly rescues: CallRescues,
    // The same condition as the listeners: a module built without telephony (CallProgressEvents comes with it) runs no timer.
    @Optional() progress?: CallProgressEvents,
  ) {
    super('RescueExpiry', progress ? RESCUE_EXPIRY_INTERVAL_MS : 0);
  }

  protected pass(now?: Date): Promise<unknown> {
    return this.rescues.expireDue(now);
  }
}
