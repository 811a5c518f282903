import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { Store, type Action } from '@ngrx/store';
import { describeVoiceError, isValidDtmf, type CallEvent, type CallId, type IncomingCallInfo } from '@switchboard/shared-voice-model';
import { catchError, concat, concatMap, defer, EMPTY, filter, finalize, from, ignoreElements, map, merge, mergeMap, of, take, takeUntil, tap, timeout, timer, type Observable } from 'rxjs';
import { selectAnchoredLeg, type AnchoredLeg } from '../call-control/call-control.selectors';
import { CALL_CONTROL_PORT, type CallControlPort } from '../ports/call-control-port';
import { PAGE_LIFECYCLE } from '../ports/page-lifecycle';
import { isPhoneNumberTarget, NUMBER_POLICY_CHECK, numberCheckFailedError, numberRefusedError } from '../ports/number-policy-check';
import { VOICE_PORT } from '../ports/voice-port';
import { selectDialBlocker } from '../softphone.selectors';
import { SoftphonePanelActions } from '../softphone-panel.actions';
import { toVoiceError } from '../to-voice-error';
import { VOICE_CLOCK, VOICE_STATE_CONFIG, type VoiceClock, type VoiceStateConfig } from '../voice-state.config';
import { CallCommandEvents, CallSdkEvents } from './call-sdk.actions';
import { callFeature } from './call.feature';

/** Each SDK call fact as an action; exhaustive over the union. */
export function toCallAction(event: CallEvent, clock: VoiceClock): Action {
  switch (event.kind) {
    case 'incoming': {
      const call: IncomingCallInfo = {
        callId: event.callId,
        callSid: event.callSid,
        from: event.from,
        to: event.to,
        customParameters: event.customParameters,
        isCallerVerified: event.isCallerVerified,
      };
      return CallSdkEvents.incomingReceived({ call, at: clock.now() });
    }
    case 'ringing':
      return CallSdkEvents.ringing({ callId: event.callId, hasEarlyMedia: event.hasEarlyMedia });
    case 'accepted':
      return CallSdkEvents.accepted({ callId: event.callId, callSid: event.callSid, at: clock.now() });
    case 'reconnecting':
      return CallSdkEvents.reconnecting({ callId: event.callId, error: describeVoiceError(event.code, event.message), at: clock.now() });
    case 'reconnected':
      return CallSdkEvents.reconnected({ callId: event.callId });
    case 'cancelled':
      return CallSdkEvents.cancelled({ callId: event.callId, at: clock.now() });
    case 'rejected':
      return CallSdkEvents.rejected({ callId: event.callId, at: clock.now() });
    case 'disconnected':
      return CallSdkEvents.disconnected({ callId: event.callId, callSid: event.callSid, at: clock.now() });
    case 'error':
      return CallSdkEvents.failed({ callId: event.callId, error: describeVoiceError(event.code, event.message) });
    case 'muted':
      return CallSdkEvents.muteChanged({ callId: event.callId, isMuted: event.isMuted });
    case 'message-received':
      return CallSdkEvents.messageReceived({ callId: event.callId, message: event.message });
    case 'message-sent':
      return CallSdkEvents.messageSent({ callId: event.callId, voiceEventSid: event.voiceEventSid });
  }
}

export const callEventsToActions = createEffect(
  (voice = inject(VOICE_PORT), clock = inject(VOICE_CLOCK)) => {
    return voice.callEvents$.pipe(map((event) => toCallAction(event, clock)));
  },
  { functional: true },
);

/** Run a port command; a throw becomes a Command Failed action instead of killing the effect. */
function command(callId: CallId, name: string, run: () => void, after: Action[] = []): Observable<Action> {
  return defer(() => {
    try {
      run();
      return of(...after);
    } catch (error: unknown) {
      return of(CallCommandEvents.commandFailed({ callId, command: name, error: toVoiceError(error, 'DeviceSetupFailed') }));
    }
  });
}

export const dialOutgoing = createEffect(
  (
    actions$ = inject(Actions),
    store = inject(Store),
    voice = inject(VOICE_PORT),
    clock = inject(VOICE_CLOCK),
    numberPolicy = inject(NUMBER_POLICY_CHECK),
  ) => {
    const place = (to: string, params: Readonly<Record<string, string>> | undefined): Action => {
      try {
        const callId = voice.connect(params ? { to, params } : { to });
        return CallCommandEvents.outgoingStarted(params ? { callId, to, at: clock.now(), params } : { callId, to, at: clock.now() });
      } catch (error: unknown) {
        return CallCommandEvents.outgoingFailed({ to, at: clock.now(), error: toVoiceError(error, 'DeviceSetupFailed') });
      }
    };
    return actions$.pipe(
      ofType(SoftphonePanelActions.dialSubmitted),
      concatLatestFrom(() => store.select(selectDialBlocker)),
      concatMap(([{ to, params }, blocker]) => {
        // The UI disables the button too; this guards keyboard shortcuts and races.
        if (blocker !== null) return of(CallCommandEvents.outgoingFailed({ to, at: clock.now(), error: blocker }));
        if (!isPhoneNumberTarget(to)) return defer(() => of(place(to, params)));
        // Ask the policy first: a refused number is explained, and never reaches the SDK.
        return defer(() => numberPolicy.check(to)).pipe(
          take(1),
          map((answer) =>
            answer.allowed ? place(to, params) : CallCommandEvents.outgoingFailed({ to, at: clock.now(), error: numberRefusedError(answer.message) }),
          ),
          catchError(() => of(CallCommandEvents.outgoingFailed({ to, at: clock.now(), error: numberCheckFailedError() }))),
        );
      }),
    );
  },
  { functional: true },
);

/**
 * Answer; on call waiting, the call in progress is hung up first (the SDK has no hold). A call the API
 * anchors is left as a hang-up click leaves it (`leaveRequested`: through the API, so the API opens no
 * rescue for a leg the agent meant to leave), and the waiting call is accepted once that leg has ended
 * (the hang-up effect ends it here at the latest after its bound), or not at all if its caller gave up meanwhile.
 */
export const answerIncoming = createEffect(
  (
    actions$ = inject(Actions),
    store = inject(Store),
    voice = inject(VOICE_PORT),
    port: CallControlPort | null = inject(CALL_CONTROL_PORT, { optional: true }),
  ) => {
    return actions$.pipe(
      ofType(SoftphonePanelActions.answerClicked),
      concatLatestFrom(() => [store.select(callFeature.selectLiveCalls), store.select(selectAnchoredLeg)] as const),
      mergeMap(([{ callId }, live, anchored]) => {
        const others = live.filter((c) => c.callId !== callId && c.phase !== 'pending');
        const leaving = port && anchored && others.some((c) => c.callId === anchored.callId) ? anchored.callId : null;
        const accept = command(callId, 'accept', () => {
          for (const other of others) if (other.callId !== leaving) voice.hangUp(other.callId);
          voice.accept(callId);
        });
        if (leaving === null) return accept;
        // The leg ended; or even its local disconnect failed (commandFailed), and answering still goes ahead.
        const left$ = actions$.pipe(
          ofType(CallSdkEvents.disconnected, CallCommandEvents.commandFailed),
          filter((ended) => ended.callId === leaving),
          take(1),
        );
        const callerGone$ = actions$.pipe(
          ofType(CallSdkEvents.cancelled, CallSdkEvents.rejected, CallSdkEvents.disconnected),
          filter((ended) => ended.callId === callId),
        );
        // Subscribed to the leg's end before the leave is asked for, so a quick end is not missed.
        return merge(
          left$.pipe(mergeMap(() => accept), takeUntil(callerGone$)),
          of(CallCommandEvents.leaveRequested({ callId: leaving, cause: 'answering-another' })),
        );
      }),
    );
  },
  { functional: true },
);

export const declineIncoming = createEffect(
  (actions$ = inject(Actions), voice = inject(VOICE_PORT)) => {
    return actions$.pipe(
      ofType(SoftphonePanelActions.declineClicked),
      mergeMap(({ callId }) => command(callId, 'reject', () => voice.reject(callId))),
    );
  },
  { functional: true },
);

/** The SDK's ignore() stops the ringing without telling the caller and emits no event. */
export const ignoreIncoming = createEffect(
  (actions$ = inject(Actions), voice = inject(VOICE_PORT), clock = inject(VOICE_CLOCK)) => {
    return actions$.pipe(
      ofType(SoftphonePanelActions.ignoreClicked),
      mergeMap(({ callId }) => command(callId, 'ignore', () => voice.ignore(callId), [CallCommandEvents.ignored({ callId, at: clock.now() })])),
    );
  },
  { functional: true },
);

/**
 * Hang-up. A call the API anchors in a conference is left through the API first (`POST …/hang-up`), so
 * the API knows the leg's end was intended and holds no rescue for it; the API takes the leg out and
 * the SDK call ends by itself. If the API fails, or the call has not ended `hangUpApiTimeoutMs` after
 * the click, it is disconnected here as any other call (the agent is never left on a call they ended).
 * A second press while the API is asked ends the call here at once. Answering a waiting call and signing
 * out leave the same way (`leaveRequested`). A reload or crash never gets here, which is what makes it a rescue.
 */
export const hangUp = createEffect(
  (
    actions$ = inject(Actions),
    voice = inject(VOICE_PORT),
    anchored$: Observable<AnchoredLeg | null> = inject(Store).select(selectAnchoredLeg),
    port: CallControlPort | null = inject(CALL_CONTROL_PORT, { optional: true }),
    config: Pick<VoiceStateConfig, 'hangUpApiTimeoutMs'> = inject(VOICE_STATE_CONFIG),
  ) => {
    const asking = new Set<CallId>();
    const local = (callId: CallId) => command(callId, 'hang-up', () => voice.hangUp(callId));
    return actions$.pipe(
      ofType(SoftphonePanelActions.hangUpClicked, CallCommandEvents.leaveRequested),
      concatLatestFrom(() => anchored$),
      mergeMap(([{ callId }, anchored]) => {
        if (!port || anchored?.callId !== callId || asking.has(callId)) return local(callId);
        asking.add(callId);
        const bound = config.hangUpApiTimeoutMs;
        const ended$ = actions$.pipe(ofType(CallSdkEvents.disconnected), filter((ended) => ended.callId === callId), take(1));
        const viaApi$ = defer(() => port.hangUp(anchored.callSid)).pipe(take(1), timeout({ first: bound }), ignoreElements());
        // Answered but the leg lingers (a lost callback, a slow conference): end it here after the same bound.
        return concat(viaApi$, timer(bound).pipe(ignoreElements()), defer(() => local(callId))).pipe(
          catchError(() => local(callId)),
          takeUntil(ended$),
          finalize(() => asking.delete(callId)),
        );
      }),
    );
  },
  { functional: true },
);

export const toggleMute = createEffect(
  (actions$ = inject(Actions), voice = inject(VOICE_PORT)) => {
    return actions$.pipe(
      ofType(SoftphonePanelActions.muteClicked, SoftphonePanelActions.unmuteClicked),
      mergeMap((action) =>
        action.type === SoftphonePanelActions.muteClicked.type
          ? command(action.callId, 'mute', () => voice.mute(action.callId))
          : command(action.callId, 'unmute', () => voice.unmute(action.callId)),
      ),
    );
  },
  { functional: true },
);

/**
 * Each digit gets its own tone slot before the next is sent: the SDK hands digits to the browser's
 * RTCDTMFSender.insertDTMF, which REPLACES tones still waiting in its buffer, so a key pressed while the
 * previous tone plays (100 ms tone + 70 ms gap, started on the next packet) silently dropped the one
 * before it. Chromium was seen to need more than 250 ms per tone; 400 ms is still quicker than people type.
 */
export const DTMF_TONE_SLOT_MS = 400;

export const sendDigits = createEffect(
  (actions$ = inject(Actions), voice = inject(VOICE_PORT)) => {
    const pressed$ = actions$.pipe(ofType(SoftphonePanelActions.digitsPressed));
    const sent$ = pressed$.pipe(
      filter(({ digits }) => isValidDtmf(digits)),
      concatMap(({ callId, digits }) =>
        from(digits).pipe(
          concatMap((digit, index) =>
            concat(
              index === 0 ? EMPTY : timer(DTMF_TONE_SLOT_MS).pipe(ignoreElements()),
              command(callId, 'send-digits', () => voice.sendDigits(callId, digit)),
            ),
          ),
          (sends) => concat(sends, timer(DTMF_TONE_SLOT_MS).pipe(ignoreElements())),
        ),
      ),
    );
    const refused$ = pressed$.pipe(
      filter(({ digits }) => !isValidDtmf(digits)),
      map(({ callId, digits }) =>
        CallCommandEvents.commandFailed({
          callId,
          command: 'send-digits',
          error: { ...describeVoiceError(31000), name: 'InvalidDigits', category: 'request', message: `“${digits.slice(0, 20)}” cannot be sent as tones.`, nextStep: 'Use only 0–9, * and #.' },
        }),
      ),
    );
    return merge(sent$, refused$);
  },
  { functional: true },
);

export const sendMessage = createEffect(
  (actions$ = inject(Actions), voice = inject(VOICE_PORT)) => {
    return actions$.pipe(
      ofType(SoftphonePanelActions.messageSubmitted),
      mergeMap(({ callId, content, contentType }) => command(callId, 'send-message', () => void voice.sendMessage(callId, content, contentType))),
    );
  },
  { functional: true },
);

/**
 * Closing or reloading the page while a call rings leaves the caller ringing with nobody to answer.
 * The SDK's closeProtection guards only a call in progress, so a ringing one is guarded here.
 */
export const confirmLeavingWhileRinging = createEffect(
  (lifecycle = inject(PAGE_LIFECYCLE), store = inject(Store)) => {
    return lifecycle.unloadAttempts$.pipe(
      concatLatestFrom(() => store.select(callFeature.selectCallList)),
      tap(([attempt, calls]) => {
        if (calls.some((call) => call.phase === 'pending')) attempt.confirmLeaving();
      }),
    );
  },
  { functional: true, dispatch: false },
);

export const callEffects = {
  callEventsToActions,
  dialOutgoing,
  answerIncoming,
  declineIncoming,
  ignoreIncoming,
  hangUp,
  toggleMute,
  sendDigits,
  sendMessage,
  confirmLeavingWhileRinging,
};

