import { createActionGroup, emptyProps, props } from '@ngrx/store';
import type {
  CallFarEndEvent,
  CallParticipantsEvent,
  CallParticipantsResponse,
  CallRescueAvailableEvent,
  CallTransferEvent,
  ConsultAction,
  ConsultActionResponse,
  HoldResponse,
  RejoinResponse,
  TransferMode,
  TransferResponse,
  TransferTarget,
} from '@switchboard/shared-contracts';
import type { CallControlProblem } from '../ports/call-control-port';

/** What the agent did with the call-control buttons, the transfer dialog and the rejoin banner. */
export const CallControlPanelActions = createActionGroup({
  source: 'Call Control Panel',
  events: {
    'Hold Clicked': props<{ callSid: string }>(),
    'Resume Clicked': props<{ callSid: string }>(),
    'Transfer Opened': emptyProps(),
    'Transfer Dismissed': emptyProps(),
    /** `targetDisplay`: the target in words, shown while it rings. */
    'Transfer Submitted': props<{ callSid: string; target: TransferTarget; mode: TransferMode; targetDisplay: string }>(),
    /** Complete, cancel or three-way during a consult (cancel also withdraws a ringing transfer). */
    'Consult Action Clicked': props<{ callSid: string; action: ConsultAction }>(),
    'Rejoin Clicked': props<{ callSid: string }>(),
    /** Clears "the caller is back with you", "went to voicemail", a refusal. */
    'Notice Dismissed': emptyProps(),
  },
});

/** What the call-control API answered. */
export const CallControlApiEvents = createActionGroup({
  source: 'Call Control API',
  events: {
    'Participants Loaded': props<{ response: CallParticipantsResponse }>(),
    /** Not controllable as far as we know (today: the route does not exist yet); nothing is shown. */
    'Participants Failed': props<{ callSid: string; problem: CallControlProblem }>(),
    'Hold Changed': props<{ response: HoldResponse }>(),
    'Transfer Started': props<{ response: TransferResponse }>(),
    'Consult Action Done': props<{ response: ConsultActionResponse }>(),
    'Rejoin Admitted': props<{ response: RejoinResponse }>(),
    /** Asking for the calls to rejoin failed: no banner (a later reconnect asks again). */
    'Rejoinable Failed': props<{ problem: CallControlProblem }>(),
    /** `request`: hold, resume, transfer, consult:<action>, rejoin. */
    'Request Failed': props<{ callSid: string; request: string; problem: CallControlProblem }>(),
  },
});

/** Pushed by the API's real-time channel (the SSE client dispatches these). */
export const CallControlLiveEvents = createActionGroup({
  source: 'Call Control Live',
  events: {
    'Live Call Participants': props<{ event: CallParticipantsEvent }>(),
    'Live Transfer Status': props<{ event: CallTransferEvent }>(),
    'Rescue Available': props<{ event: CallRescueAvailableEvent }>(),
    /** The number of an anchored phone call rang, answered or missed; `at`: when the client heard it (the timer's start). */
    'Far End Changed': props<{ event: CallFarEndEvent; at: number }>(),
  },
});

export const CallControlTimerEvents = createActionGroup({
  source: 'Call Control Timer',
  events: {
    /** The rejoin window of this call passed on the client's clock. */
    'Rejoin Expired': props<{ callSid: string }>(),
  },
});
