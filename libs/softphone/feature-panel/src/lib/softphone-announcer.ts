import { LiveAnnouncer } from '@angular/cdk/a11y';
import { effect, inject, type Signal } from '@angular/core';
import { rejoinSecondsLeft, type CallControlView, type SoftphoneViewModel } from '@switchboard/softphone-data-access-voice';
import { describeParty, partyText, spokenStatus } from '@switchboard/softphone-ui';

/** Who a call is with, in words; without a directory, the bare identity or number. */
export type PartyNamer = (address: string) => string;

const withoutDirectory: PartyNamer = (address) => partyText(describeParty(address, []));

/** What a screen-reader user hears when the phone changes; null when nothing worth saying changed. */
export function announcementFor(
  previous: SoftphoneViewModel | null,
  next: SoftphoneViewModel,
  nameOf: PartyNamer = withoutDirectory,
): { text: string; assertive: boolean } | null {
  const parts: string[] = [];
  let assertive = false;
  const ringing = next.incomingCall ?? next.waitingCall;
  const wasRinging = previous?.incomingCall ?? previous?.waitingCall ?? null;
  if (ringing && ringing.callId !== wasRinging?.callId) {
    parts.push(`${next.waitingCall ? 'Call waiting' : 'Incoming call'} from ${nameOf(ringing.remote)}. Press Alt+A to answer, Alt+D to decline.`);
    assertive = true;
  }
  const call = next.activeCall;
  const was = previous?.activeCall ?? null;
  if (call && (call.callId !== was?.callId || call.phase !== was.phase)) {
    const phaseText: Record<string, string> = { dialing: 'Calling', ringing: 'Ringing', open: 'Connected to', reconnecting: 'Reconnecting the call with', accepting: 'Answering' };
    if (phaseText[call.phase]) parts.push(`${phaseText[call.phase]} ${nameOf(call.remote)}.`);
  }
  if (call && was && call.callId === was.callId && call.isMuted !== was.isMuted) parts.push(call.isMuted ? 'Microphone muted.' : 'Microphone on.');
  if (next.endedCall && next.endedCall.callId !== previous?.endedCall?.callId) {
    parts.push(`${next.endedCall.outcomeText}.${next.endedCall.guidance ? ' ' + next.endedCall.guidance : ''}`);
  }
  if (previous && (next.status.label !== previous.status.label || next.status.guidance !== previous.status.guidance)) {
    // The very sentence the status chip carries, so the two can never disagree.
    parts.push(spokenStatus(next.status));
    if (next.status.tone === 'error') assertive = true;
  }
  return parts.length === 0 ? null : { text: parts.join(' '), assertive };
}

/** Speaks each change of the phone through the CDK live region. */
export function announceSoftphoneChanges(vm: Signal<SoftphoneViewModel>, nameOf: PartyNamer = withoutDirectory): void {
  const announcer = inject(LiveAnnouncer);
  let previous: SoftphoneViewModel | null = null;
  effect(() => {
    const next = vm();
    const message = announcementFor(previous, next, nameOf);
    previous = next;
    if (message) void announcer.announce(message.text, message.assertive ? 'assertive' : 'polite');
  });
}

/**
 * What a screen-reader user hears when call control changes: the phase in words, the transfer's
 * progress, a refusal with its next step, and the rejoin offer with its time and shortcut. Polite,
 * except the rejoin offer and a return of the caller, which need the agent now.
 */
export function callControlAnnouncementFor(
  previous: CallControlView | null,
  next: CallControlView,
  now: number = Date.now(),
): { text: string; assertive: boolean } | null {
  const parts: string[] = [];
  let assertive = false;
  const shown = (view: CallControlView | null) => view !== null && (view.visible || view.rejoin !== null || view.notice !== null);
  const transferChanged = next.transferStatusText !== null && next.transferStatusText !== previous?.transferStatusText;
  if (next.notice === null && next.rejoin === null) {
    // The transfer's own words say more than the phase's ("Transfer to Bob: Ringing…").
    if (transferChanged) parts.push(`${next.transferStatusText}.`);
    else if (shown(next) && next.phase !== previous?.phase) parts.push(`${next.phaseText}.`);
  }
  if (next.notice && next.notice !== previous?.notice) {
    parts.push(next.notice);
    assertive = next.phase === 'returned-to-you' || next.phase === 'expired';
  }
  if (next.rejoin && next.rejoin.callSid !== previous?.rejoin?.callSid) {
    const seconds = rejoinSecondsLeft(next.rejoin.expiresAt, now);
    parts.push(`${next.rejoin.customerDisplay} is waiting on hold. Press Alt+J to rejoin the call within ${seconds} seconds.`);
    assertive = true;
  }
  return parts.length === 0 ? null : { text: parts.join(' '), assertive };
}

/** Speaks each call-control change through the CDK live region. */
export function announceCallControlChanges(view: Signal<CallControlView>): void {
  const announcer = inject(LiveAnnouncer);
  let previous: CallControlView | null = null;
  effect(() => {
    const next = view();
    const message = callControlAnnouncementFor(previous, next);
    previous = next;
    if (message) void announcer.announce(message.text, message.assertive ? 'assertive' : 'polite');
  });
}
