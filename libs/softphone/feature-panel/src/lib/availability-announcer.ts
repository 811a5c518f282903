import { LiveAnnouncer } from '@angular/cdk/a11y';
import { effect, inject, type Signal } from '@angular/core';
import type { AvailabilityActor } from '@switchboard/shared-contracts';
import type { AvailabilityAnnouncementSource, AvailabilityProblem, UnreachableView } from '@switchboard/softphone-data-access-availability';

/** What the availability announcer compares between two moments. */
export interface AvailabilityAnnouncementInput {
  readonly change: AvailabilityAnnouncementSource | null;
  readonly unreachable: UnreachableView | null;
  /** Whether the API has said anything about reachability yet (so "can ring again" is not said at start). */
  readonly reachabilityKnown: boolean;
  readonly problem: AvailabilityProblem | null;
}

/** A supervisor's name from the directory, or their identity. */
export type SupervisorNamer = (identity: string) => string;

function changeSentence(change: AvailabilityAnnouncementSource, nameOf: SupervisorNamer): string {
  const by: AvailabilityActor = change.by;
  if (by.kind === 'supervisor') return `${nameOf(by.identity)} set you to ${change.stateWords}.`;
  if (change.state === 'wrap-up') return 'Wrap-up: choose a disposition, then press Done.';
  if (by.kind === 'system' && change.previous === 'wrap-up') return `Wrap-up time is over. You are ${change.stateWords}.`;
  return `You are ${change.stateWords}.`;
}

/**
 * What a screen-reader user hears when their availability changes: each new state and who set it
 * ("Sam Supervisor set you to Available"), the phone becoming unable to ring (assertive, with what to do)
 * or able again, and a refused change with what to do (assertive).
 */
export function availabilityAnnouncementFor(
  previous: AvailabilityAnnouncementInput | null,
  next: AvailabilityAnnouncementInput,
  nameOf: SupervisorNamer = (identity) => identity,
): { text: string; assertive: boolean } | null {
  const parts: string[] = [];
  let assertive = false;
  if (next.change && next.change.key !== previous?.change?.key) {
    parts.push(changeSentence(next.change, nameOf));
    if (next.change.by.kind === 'supervisor') assertive = true;
  }
  if (next.unreachable && next.unreachable.reason !== previous?.unreachable?.reason) {
    parts.push(`Your phone cannot ring: ${next.unreachable.words}. ${next.unreachable.nextStep}`);
    assertive = true;
  } else if (!next.unreachable && previous?.unreachable && next.reachabilityKnown) {
    parts.push('Your phone can ring again.');
  }
  if (next.problem && next.problem !== previous?.problem) {
    parts.push(`Your status was not changed. ${next.problem.message} ${next.problem.nextStep}`);
    assertive = true;
  }
  return parts.length === 0 ? null : { text: parts.join(' '), assertive };
}

/** Speaks each availability change through the CDK live region. */
export function announceAvailabilityChanges(input: Signal<AvailabilityAnnouncementInput>, nameOf: () => SupervisorNamer): void {
  const announcer = inject(LiveAnnouncer);
  let previous: AvailabilityAnnouncementInput | null = null;
  effect(() => {
    const next = input();
    const message = availabilityAnnouncementFor(previous, next, nameOf());
    previous = next;
    if (message) void announcer.announce(message.text, message.assertive ? 'assertive' : 'polite');
  });
}
