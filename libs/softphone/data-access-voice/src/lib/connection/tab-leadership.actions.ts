import { createActionGroup, emptyProps } from '@ngrx/store';

/** The election between this browser's Switchboard tabs for the one phone (ports/tab-leadership.ts). */
export const TabLeadershipEvents = createActionGroup({
  source: 'Tab Leadership',
  events: {
    /** This tab has the phone: get online here. */
    Gained: emptyProps(),
    /** Another tab has the phone: this one lets the Device go (after a call in progress) and waits. */
    Lost: emptyProps(),
  },
});
