import type { ConferenceRecord, ConferencesRepository, CurrentParticipant } from '@switchboard/api-data-access-db';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { MONITOR_PARAMS, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { monitorLabel, monitorRequestOf, planMonitor, SPOKEN_MONITOR } from './monitor-plan';

const ca = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
const CUSTOMER = ca(1);
const BOB_LEG = ca(2);
const ALICE_LEG = ca(3);
const CONFERENCE_SID = `CF${'1'.repeat(32)}`;
const config = loadAppConfig({ PUBLIC_BASE_URL: 'https://switchboard.test' });
const sam = { identity: 'sam', role: 'supervisor' } as const;

const participant = (callSid: string, label: string | null, agentIdentity: string | null): CurrentParticipant => ({
  callSid, label, agentIdentity, joinedAt: new Date(), hold: false, muted: false, coaching: false,
});

/** The conference record of one customer call: `sb-<CUSTOMER>`, live unless told, with these participants. */
function conferencesWith(participants: CurrentParticipant[], status: ConferenceRecord['status'] = 'in-progress') {
  const asked: string[] = [];
  const conference = { conferenceSid: CONFERENCE_SID, friendlyName: `sb-${CUSTOMER}`, anchorCallSid: CUSTOMER, status } as ConferenceRecord;
  const repository: Pick<ConferencesRepository, 'findByAnchorCall' | 'currentParticipants'> = {
    findByAnchorCall: async (callSid: string) => (asked.push(callSid), callSid === CUSTOMER ? conference : undefined),
    currentParticipants: async () => participants,
  };
  return { repository, asked };
}

const onCall = () => conferencesWith([participant(CUSTOMER, 'customer', null), participant(BOB_LEG, 'client:bob', 'bob'), participant(ALICE_LEG, 'client:alice', 'alice')]);

describe('monitorRequestOf', () => {
  it('is undefined for an ordinary call, and a malformed request still counts as monitoring (refused later)', () => {
    expect(monitorRequestOf({ CallSid: ca(9), To: '+14155550111' })).toBeUndefined();
    expect(monitorRequestOf({ [MONITOR_PARAMS.callSid]: CUSTOMER, [MONITOR_PARAMS.mode]: 'whisper' })).toEqual({ customerCallSid: CUSTOMER, mode: 'whisper' });
    expect(monitorRequestOf({ [MONITOR_PARAMS.callSid]: 'CA-nope', [MONITOR_PARAMS.mode]: 'shout' })).toEqual({ customerCallSid: '', mode: undefined });
    expect(monitorRequestOf({ [MONITOR_PARAMS.callSid]: [CUSTOMER, CUSTOMER], [MONITOR_PARAMS.mode]: 'listen' })).toEqual({ customerCallSid: '', mode: 'listen' });
  });
});

describe('planMonitor', () => {
  it('joins a listening supervisor muted into the customer\'s conference as monitor:<identity>, never starting, ending or beeping', async () => {
    const { repository, asked } = onCall();
    expect(await planMonitor(sam, { customerCallSid: CUSTOMER, mode: 'listen' }, repository, config)).toEqual({
      kind: 'dial-conference',
      conferenceName: `sb-${CUSTOMER}`,
      participantLabel: 'monitor:sam',
      startConferenceOnEnter: false,
      endConferenceOnExit: false,
      beep: false,
      muted: true,
      actionUrl: `https://switchboard.test${WEBHOOK_ROUTES.dialComplete}?anchor=exit`,
      statusCallbackUrl: `https://switchboard.test${WEBHOOK_ROUTES.conferenceStatus}`,
      statusCallbackEvents: ['start', 'end', 'join', 'leave', 'mute', 'hold'],
    });
    expect(asked).toEqual([CUSTOMER]);
  });

  it('whispers as a coach of the first agent leg (heard by the agent only), and barges neither muted nor coaching', async () => {
    const whisper = await planMonitor(sam, { customerCallSid: CUSTOMER, mode: 'whisper' }, onCall().repository, config);
    expect(whisper).toMatchObject({ kind: 'dial-conference', coachCallSid: BOB_LEG });
    expect(whisper).not.toHaveProperty('muted');
    const barge = await planMonitor(sam, { customerCallSid: CUSTOMER, mode: 'barge' }, onCall().repository, config);
    expect(barge).toMatchObject({ kind: 'dial-conference', participantLabel: 'monitor:sam' });
    expect(barge).not.toHaveProperty('muted');
    expect(barge).not.toHaveProperty('coachCallSid');
  });

  it('refuses, spoken, an agent, a malformed request, an unknown or ended call, a call no agent is on, and a second join of the same supervisor', async () => {
    const say = (message: string) => ({ kind: 'say-and-hang-up', message });
    const listen = { customerCallSid: CUSTOMER, mode: 'listen' } as const;
    const { repository, asked } = onCall();
    expect(await planMonitor({ identity: 'bob', role: 'agent' }, listen, repository, config)).toEqual(say(SPOKEN_MONITOR.notSupervisor));
    expect(await planMonitor(sam, { customerCallSid: '', mode: 'listen' }, repository, config)).toEqual(say(SPOKEN_MONITOR.badRequest));
    expect(await planMonitor(sam, { customerCallSid: CUSTOMER, mode: undefined }, repository, config)).toEqual(say(SPOKEN_MONITOR.badRequest));
    expect(asked).toEqual([]); // refused before any lookup
    expect(await planMonitor(sam, { customerCallSid: ca(7), mode: 'listen' }, repository, config)).toEqual(say(SPOKEN_MONITOR.noAgentOnCall));
    const ended = conferencesWith([participant(CUSTOMER, 'customer', null), participant(BOB_LEG, 'client:bob', 'bob')], 'completed');
    expect(await planMonitor(sam, listen, ended.repository, config)).toEqual(say(SPOKEN_MONITOR.noAgentOnCall));
    // Only the customer, or another supervisor's monitor leg: nobody to listen to.
    const alone = conferencesWith([participant(CUSTOMER, 'customer', null), participant(ca(8), monitorLabel('tess'), null)]);
    expect(await planMonitor(sam, listen, alone.repository, config)).toEqual(say(SPOKEN_MONITOR.noAgentOnCall));
    const again = conferencesWith([participant(CUSTOMER, 'customer', null), participant(BOB_LEG, 'client:bob', 'bob'), participant(ca(8), 'monitor:sam', null)]);
    expect(await planMonitor(sam, listen, again.repository, config)).toEqual(say(SPOKEN_MONITOR.alreadyMonitoring));
    expect(await planMonitor(sam, listen, undefined, config)).toEqual(say(SPOKEN_MONITOR.noAgentOnCall));
  });
});
