import { computed, inject, Injectable, signal } from '@angular/core';
import { Store } from '@ngrx/store';
import type { FloorAgent, MonitorMode } from '@switchboard/shared-contracts';
import { FloorApi, toApiErrorBody } from '@switchboard/softphone-data-access-api';
import {
  MonitorEvents,
  SoftphonePanelActions,
  monitorCallRequest,
  selectSoftphoneViewModel,
} from '@switchboard/softphone-data-access-voice';
import { firstValueFrom } from 'rxjs';

/**
 * Listen, whisper, barge and leave for the board. Listening places a call through the phone itself (the
 * voice state's dial, custom parameters naming the customer call), so it is the supervisor's one live
 * call, shown and ended like any other; whisper and barge change the supervisor's participant over the
 * API; leave hangs that call up.
 */
@Injectable()
export class FloorMonitor {
  private readonly store = inject(Store);
  private readonly api = inject(FloorApi);
  private readonly phone = this.store.selectSignal(selectSoftphoneViewModel);
  private readonly changing = signal<MonitorMode | null>(null);
  private readonly problem = signal<string | null>(null);

  /** The live monitor call, with its phase; null when not monitoring. */
  readonly call = computed(() => {
    const call = this.phone().activeCall;
    return call?.monitor ? { callId: call.callId, phase: call.phase, connectedAt: call.connectedAt, ...call.monitor } : null;
  });
  /** The mode being asked of the API right now (its button shows progress). */
  readonly pendingMode = this.changing.asReadonly();
  /** Why the last change failed, with what to do; null otherwise. */
  readonly error = this.problem.asReadonly();
  /** Why Listen cannot be pressed now (offline, no microphone, on a call or monitoring one already); null when it can. */
  readonly listenBlocker = computed(() => {
    const phone = this.phone();
    if (phone.activeCall) {
      return phone.activeCall.monitor ? 'Leave the call you are monitoring first.' : 'You are on a call. Hang up to listen to another call.';
    }
    return phone.canDial ? null : phone.dialDisabledReason;
  });

  listen(agent: FloorAgent): void {
    if (!agent.call || this.listenBlocker() !== null) return;
    this.problem.set(null);
    this.store.dispatch(SoftphonePanelActions.dialSubmitted(monitorCallRequest(agent.call.customerCallSid, agent.identity)));
  }

  async setMode(mode: MonitorMode): Promise<void> {
    const call = this.call();
    if (!call || call.mode === mode || this.changing() !== null) return;
    this.changing.set(mode);
    this.problem.set(null);
    try {
      const state = await firstValueFrom(this.api.setMonitorMode(call.customerCallSid, mode));
      this.store.dispatch(MonitorEvents.modeChanged({ callId: call.callId, mode: state.mode }));
    } catch (error: unknown) {
      this.problem.set(`${toApiErrorBody(error).message} The mode is unchanged; try again, or leave the call.`);
    } finally {
      this.changing.set(null);
    }
  }

  leave(): void {
    const call = this.call();
    if (call) this.store.dispatch(SoftphonePanelActions.hangUpClicked({ callId: call.callId }));
  }
}
