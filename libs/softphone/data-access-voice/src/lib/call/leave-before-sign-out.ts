import { Injectable, inject } from '@angular/core';
import { Store } from '@ngrx/store';
import { filter, firstValueFrom, of, take, timeout } from 'rxjs';
import { selectAnchoredLeg } from '../call-control/call-control.selectors';
import { VOICE_STATE_CONFIG } from '../voice-state.config';
import { CallCommandEvents } from './call-sdk.actions';

/**
 * Sign-out ends the session (its cookie) and then destroys the Device, which would end an anchored call's
 * leg without a word to the API: the API would hold the customer and open a rescue for an agent who meant
 * to go. So the sign-out button calls `leave()` first: an anchored call is left as a hang-up click leaves
 * it (`leaveRequested`: through the API while the session still stands), and sign-out waits until the leg
 * is gone. The hang-up effect ends the leg here at the latest twice its bound after; past that and a second
 * more (the SDK never told of the end) sign-out goes on, and the Device's destroy ends the leg.
 */
@Injectable({ providedIn: 'root' })
export class LeaveCallsBeforeSignOut {
  private readonly store = inject(Store);
  private readonly config = inject(VOICE_STATE_CONFIG);

  async leave(): Promise<void> {
    const anchored = await firstValueFrom(this.store.select(selectAnchoredLeg));
    if (anchored === null) return;
    const bound = 2 * this.config.hangUpApiTimeoutMs + 1000;
    const gone = firstValueFrom(
      this.store.select(selectAnchoredLeg).pipe(
        filter((leg) => leg?.callId !== anchored.callId),
        take(1),
        timeout({ first: bound, with: () => of(null) }),
      ),
    );
    this.store.dispatch(CallCommandEvents.leaveRequested({ callId: anchored.callId, cause: 'signing-out' }));
    await gone;
  }
}
