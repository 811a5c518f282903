import { LiveAnnouncer } from '@angular/cdk/a11y';
import { effect, inject, type Signal } from '@angular/core';
import type { SoftphoneViewModel } from '@switchboard/softphone-data-access-voice';
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
