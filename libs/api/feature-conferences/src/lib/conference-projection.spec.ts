import type { ConferenceEvent } from '@switchboard/api-data-access-db';
import { projectConference } from './conference-projection';

const CF = `CF${'a'.repeat(32)}`;
const CUSTOMER = `CA${'1'.repeat(32)}`;
const BOB = `CA${'2'.repeat(32)}`;
const START = Date.UTC(2026, 11, 6, 10, 0, 0);

function event(sequenceNumber: number, name: string, callSid: string | null, extra: Record<string, string> = {}): ConferenceEvent {
  const at = new Date(START + sequenceNumber * 1000);
  return {
    conferenceSid: CF, sequenceNumber, event: name, callSid, at,
    payload: { ConferenceSid: CF, FriendlyName: 'call-1', SequenceNumber: String(sequenceNumber), StatusCallbackEvent: name, ...(callSid ? { CallSid: callSid } : {}), ...extra },
  };
}

/** start, customer joins, bob joins, bob held, bob resumed, customer leaves, end: the brief's realistic sequence. */
const REALISTIC = [
  event(1, 'conference-start', null),
  event(2, 'participant-join', CUSTOMER, { ParticipantLabel: 'customer', Hold: 'false', Muted: 'false', EndConferenceOnExit: 'false' }),
  event(3, 'participant-join', BOB, { ParticipantLabel: 'client:bob', Hold: 'false', Muted: 'false', EndConferenceOnExit: 'true' }),
  event(4, 'participant-hold', BOB, { ParticipantLabel: 'client:bob', Hold: 'true', Muted: 'false' }),
  event(5, 'participant-unhold', BOB, { ParticipantLabel: 'client:bob', Hold: 'false', Muted: 'false' }),
  event(6, 'participant-leave', CUSTOMER, { ParticipantLabel: 'customer', Hold: 'false', Muted: 'false' }),
  event(7, 'conference-end', null, { ReasonConferenceEnded: 'last-participant-left', CallSidEndingConference: BOB }),
];

function* permutations<T>(items: readonly T[]): Generator<T[]> {
  if (items.length <= 1) { yield [...items]; return; }
  for (let i = 0; i < items.length; i++) {
    for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) yield [items[i], ...rest];
  }
}

describe('projectConference', () => {
  it('builds the record of the realistic sequence', () => {
    expect(projectConference(REALISTIC)).toEqual({
      conference: {
        friendlyName: 'call-1', anchorCallSid: CUSTOMER, status: 'completed', startedAt: new Date(START + 1000), endedAt: new Date(START + 7000),
        reasonEnded: 'last-participant-left', callSidEndingConference: BOB, lastSequence: 7,
      },
      participants: [
        { callSid: CUSTOMER, label: 'customer', agentIdentity: null, joinedAt: new Date(START + 2000), leftAt: new Date(START + 6000),
          hold: false, muted: false, coaching: false, endConferenceOnExit: false, lastSequence: 6 },
        // Bob never sent a leave: the end is final, so he left then.
        { callSid: BOB, label: 'client:bob', agentIdentity: 'bob', joinedAt: new Date(START + 3000), leftAt: new Date(START + 7000),
          hold: false, muted: false, coaching: false, endConferenceOnExit: true, lastSequence: 5 },
      ],
    });
  });

  it('gives the same record for all 5040 orderings of the seven events', () => {
    const expected = JSON.stringify(projectConference(REALISTIC));
    const differing: string[] = [];
    let orderings = 0;
    for (const order of permutations(REALISTIC)) {
      orderings++;
      if (JSON.stringify(projectConference(order)) !== expected) differing.push(order.map((e) => e.sequenceNumber).join(''));
    }
    expect(orderings).toBe(5040);
    expect(differing).toEqual([]);
  });

  it('takes hold and mute from the highest-numbered event, and the event name over a contradicting flag', () => {
    const held = projectConference([REALISTIC[0], REALISTIC[2], REALISTIC[3]]);
    expect(held.participants[0]).toMatchObject({ callSid: BOB, hold: true, leftAt: null });
    const muted = projectConference([REALISTIC[2], event(9, 'participant-mute', BOB, { Muted: 'false' }), event(8, 'participant-unmute', BOB)]);
    expect(muted.participants[0]).toMatchObject({ muted: true, lastSequence: 9 });
  });

  it('lets a later join start a new stay after a leave, and keeps nobody in after the end', () => {
    const rejoined = projectConference([event(2, 'participant-join', BOB), event(3, 'participant-leave', BOB), event(4, 'participant-join', BOB)]);
    expect(rejoined.participants[0]).toMatchObject({ joinedAt: new Date(START + 4000), leftAt: null });
    const afterEnd = projectConference([event(2, 'conference-end', null), event(3, 'participant-join', BOB), event(1, 'conference-start', null)]);
    expect(afterEnd.conference).toMatchObject({ status: 'completed', startedAt: new Date(START + 1000), endedAt: new Date(START + 2000) });
    expect(afterEnd.participants[0]).toMatchObject({ leftAt: new Date(START + 2000) });
  });

  it('ignores unknown events and unreadable flags, and a malformed CallSidEndingConference', () => {
    const record = projectConference([
      event(1, 'conference-start', null), event(2, 'participant-join', BOB, { Hold: 'true' }),
      event(3, 'participant-speech-start', BOB, { Hold: 'maybe' }), event(4, 'participant-teleport', BOB),
      event(5, 'conference-end', null, { CallSidEndingConference: 'CA1' }),
    ]);
    expect(record.conference).toMatchObject({ status: 'completed', callSidEndingConference: null, lastSequence: 5 });
    expect(record.participants[0]).toMatchObject({ hold: true, joinedAt: new Date(START + 2000) });
  });

  it('names the agent from client: addresses in From/To or the label, and nobody for a phone leg', () => {
    const record = projectConference([
      event(1, 'participant-join', BOB, { From: 'client:bob_2' }),
      event(2, 'participant-join', CUSTOMER, { From: '+14155550100', To: '+14155550111', ParticipantLabel: 'customer' }),
    ]);
    expect(record.participants.map((p) => [p.callSid, p.agentIdentity])).toEqual([[CUSTOMER, null], [BOB, 'bob_2']]);
    expect(record.conference).toMatchObject({ status: 'init', anchorCallSid: CUSTOMER });
  });
});
