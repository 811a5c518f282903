import { createActionGroup, props } from '@ngrx/store';
import { MONITOR_MODES, MONITOR_PARAMS, type MonitorMode } from '@switchboard/shared-contracts';
import type { CallId } from '@switchboard/shared-voice-model';
import type { OutgoingCallRequest } from '../ports/voice-port';

/**
 * A supervisor's monitor call (listen / whisper / barge, issue 13) is an outgoing call whose custom
 * parameters name the customer call (MONITOR_PARAMS); the outgoing webhook reads those, whatever `To`
 * says, as it does for a rejoin. `To` names the agent being monitored (`monitor:<identity>`), so the
 * softphone can say whose call it is without asking anyone.
 */
export const MONITOR_TO_PREFIX = 'monitor:';

export function monitorCallRequest(customerCallSid: string, agentIdentity: string): Required<OutgoingCallRequest> {
  return {
    to: `${MONITOR_TO_PREFIX}${agentIdentity}`,
    params: { [MONITOR_PARAMS.callSid]: customerCallSid, [MONITOR_PARAMS.mode]: 'listen' },
  };
}

/** What the panel shows of a monitor call. */
export interface MonitorCallView {
  readonly customerCallSid: string;
  /** The agent whose call it is. */
  readonly agentIdentity: string;
  readonly mode: MonitorMode;
}

/** The monitor call a call is, or null for any other call. */
export function monitorCallOf(call: { readonly remote: string; readonly customParameters: Readonly<Record<string, string>> }): MonitorCallView | null {
  const customerCallSid = call.customParameters[MONITOR_PARAMS.callSid];
  if (!customerCallSid || !call.remote.startsWith(MONITOR_TO_PREFIX)) return null;
  const mode = call.customParameters[MONITOR_PARAMS.mode];
  return {
    customerCallSid,
    agentIdentity: call.remote.slice(MONITOR_TO_PREFIX.length),
    mode: MONITOR_MODES.includes(mode as MonitorMode) ? (mode as MonitorMode) : 'listen',
  };
}

/** How the supervisor is in the call, before whose call it is: `Listening to` Bob Brown's call. */
export const MONITOR_MODE_VERB: Readonly<Record<MonitorMode, string>> = {
  listen: 'Listening to',
  whisper: 'Whispering on',
  barge: 'Talking in',
};

/** The API changed how the supervisor is in the monitored call (PUT …/monitor answered, or `call.monitor`). */
export const MonitorEvents = createActionGroup({
  source: 'Supervisor Monitor',
  events: {
    'Mode Changed': props<{ callId: CallId; mode: MonitorMode }>(),
  },
});
