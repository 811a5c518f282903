import { LiveAnnouncer } from '@angular/cdk/a11y';
import { effect, inject, untracked, type Signal } from '@angular/core';
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

/** Who joined and who left between two lists of the same call (the agent themself is never announced). */
function participantChanges(previous: CallControlView, next: CallControlView, selfIdentity: string | null): string[] {
  const others = (view: CallControlView) => view.participants.filter((p) => !selfIdentity || p.identity !== selfIdentity);
  const before = new Map(others(previous).map((p) => [p.participantId, p]));
  const after = new Map(others(next).map((p) => [p.participantId, p]));
  const joined = [...after.values()].filter((p) => !before.has(p.participantId)).map((p) => `${p.displayName} joined the call.`);
  const left = [...before.values()].filter((p) => !after.has(p.participantId)).map((p) => `${p.displayName} left the call.`);
  return [...joined, ...left];
}

/** What a finished consult action did, said before the phase it leads to. */
const CONSULT_DONE: Readonly<Partial<Record<string, string>>> = {
  'cancelling>idle-in-call': 'Consult cancelled.',
  'joining-three-way>three-way': 'Everyone is together.',
};

/**
 * What a screen-reader user hears when call control changes: the phase in words (hold, resume, consult
 * actions, rejoined), the transfer's progress in the words of TRANSFER_STATUS_WORDS, who joined or left,
 * a refusal with its next step, and the rescue: the offer with its time and shortcut, its expiry. Polite,
 * except the rejoin offer, an expiry and a return of the caller, which need the agent now.
 */
export function callControlAnnouncementFor(
  previous: CallControlView | null,
  next: CallControlView,
  now: number = Date.now(),
  selfIdentity: string | null = null,
): { text: string; assertive: boolean } | null {
  const parts: string[] = [];
  let assertive = false;
  const shown = (view: CallControlView | null) => view !== null && (view.visible || view.rejoin !== null || view.notice !== null);
  const transferChanged = next.transferStatusText !== null && next.transferStatusText !== previous?.transferStatusText;
  if (next.notice === null && next.rejoin === null) {
    // The transfer's own words say more than the phase's ("Transfer to Bob: Ringing…").
    if (transferChanged) parts.push(`${next.transferStatusText}.`);
    else if (shown(next) && next.phase !== previous?.phase) {
      const done = previous ? CONSULT_DONE[`${previous.phase}>${next.phase}`] : undefined;
      parts.push(done ? `${done} ${next.phaseText}.` : `${next.phaseText}.`);
    }
  }
  // Only changes within a call already shown: the first list of a call is not news.
  if (previous?.visible && next.visible && previous.callSid === next.callSid) parts.push(...participantChanges(previous, next, selfIdentity));
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

/** Speaks each call-control change through the CDK live region; `selfIdentity` is the signed-in agent. */
export function announceCallControlChanges(view: Signal<CallControlView>, selfIdentity: () => string | null = () => null): void {
  const announcer = inject(LiveAnnouncer);
  let previous: CallControlView | null = null;
  effect(() => {
    const next = view();
    const message = callControlAnnouncementFor(previous, next, Date.now(), untracked(selfIdentity));
    previous = next;
    if (message) void announcer.announce(message.text, message.assertive ? 'assertive' : 'polite');
  });
}
