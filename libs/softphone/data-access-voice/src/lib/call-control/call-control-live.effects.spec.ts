import type { CallFarEndEvent, CallParticipantsEvent, CallRescueAvailableEvent, CallTransferEvent } from '@switchboard/shared-contracts';
import { clockOf, newScheduler } from '../testing-support/spec-helpers';
import { dispatchLiveCallEvents } from './call-control-live.effects';
import { CallControlLiveEvents } from './call-control.actions';
import type { CallLiveEvent, CallLiveEventsPort } from './call-live-events-port';

const participants: CallParticipantsEvent = {
  callSid: 'CA1', controllable: true,
  participants: [{ participantId: 'CA9', displayName: '+1 ••• ••• 0100', identity: null, maskedNumber: '+1 ••• ••• 0100', role: 'customer', held: true, muted: false, joinedAt: '2026-12-06T05:00:00.000Z' }],
};
const transfer: CallTransferEvent = { callSid: 'CA1', transferId: 'T1', mode: 'cold', status: 'no-answer', targetDisplay: 'Alice Adams' };
const farEnd: CallFarEndEvent = { callSid: 'CA1', state: 'answered' };
const clock = clockOf(() => 1234);
const rescue: CallRescueAvailableEvent = { rejoinable: { callSid: 'CA1', customerDisplay: '+1 ••• ••• 0100', expiresAt: '2026-12-06T05:01:00.000Z' } };

describe('dispatchLiveCallEvents', () => {
  it('turns each pushed call-control event into its live action, in order', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const port: CallLiveEventsPort = {
        streamOpened: () => cold('-'),
        callEvents: () => cold<CallLiveEvent>('p-t-r-f', {
          p: { type: 'call.participants', data: participants },
          t: { type: 'call.transfer', data: transfer },
          r: { type: 'call.rescue-available', data: rescue },
          f: { type: 'call.far-end', data: farEnd },
        }),
      };
      expectObservable(dispatchLiveCallEvents(port, clock)).toBe('p-t-r-f', {
        p: CallControlLiveEvents.liveCallParticipants({ event: participants }),
        t: CallControlLiveEvents.liveTransferStatus({ event: transfer }),
        r: CallControlLiveEvents.rescueAvailable({ event: rescue }),
        // With when it was heard of: an answer starts the conversation timer then.
        f: CallControlLiveEvents.farEndChanged({ event: farEnd, at: 1234 }),
      });
    });
  });

  it('stays silent without the port (the API is not wired)', () => {
    newScheduler().run(({ expectObservable }) => {
      expectObservable(dispatchLiveCallEvents(null, clock)).toBe('|');
    });
  });
});
