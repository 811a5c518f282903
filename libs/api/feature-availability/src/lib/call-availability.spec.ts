import type { ConferencesRepository, CurrentParticipant } from '@switchboard/api-data-access-db';
import { CallProgressEvents } from '@switchboard/api-data-access-telephony';
import type { AgentAvailabilityService } from './availability.service';
import { CallAvailability, historyCallOfConference } from './call-availability';

const CUSTOMER = `CA${'1'.repeat(32)}`;
const BOB_LEG = `CA${'b'.repeat(32)}`;
const BOB_REJOIN = `CA${'c'.repeat(32)}`;
const CONFERENCE = `CF${'0'.repeat(32)}`;

describe('CallAvailability', () => {
  let current: CurrentParticipant[];
  let anchor: string | null;
  let calls: string[];
  let progress: CallProgressEvents;
  let listener: CallAvailability;
  const leg = (callSid: string, label: string | null, agentIdentity: string | null): CurrentParticipant =>
    ({ callSid, label, agentIdentity, joinedAt: new Date(), hold: false, muted: false, coaching: false } as CurrentParticipant);
  const notice = (event: string, callSid: string, label: string | null, friendlyName = `sb-${CUSTOMER}`) =>
    progress.publish({ kind: 'conference', conferenceSid: CONFERENCE, friendlyName, event, callSid, label });

  beforeEach(() => {
    current = [];
    anchor = null;
    calls = [];
    progress = new CallProgressEvents();
    const availability = {
      onCallStarted: async (identity: string, callSid: string) => { calls.push(`started ${identity} ${callSid}`); return undefined; },
      onCallEnded: async (identity: string, callSid: string) => { calls.push(`ended ${identity} ${callSid}`); return undefined; },
    } as unknown as AgentAvailabilityService;
    const conferences = {
      currentParticipants: async () => current,
      findConference: async () => ({ conferenceSid: CONFERENCE, anchorCallSid: anchor }),
    } as unknown as ConferencesRepository;
    listener = new CallAvailability(availability, conferences, progress);
    listener.onModuleInit();
  });
  afterEach(() => listener.onModuleDestroy());

  it("reads the history call from an anchored conference's name, inbound or outbound", () => {
    expect(historyCallOfConference(`sb-${CUSTOMER}`)).toBe(CUSTOMER);
    expect(historyCallOfConference('consult-123')).toBeNull();
    expect(historyCallOfConference(`sb-${CUSTOMER}x`)).toBeNull();
  });

  it("puts the agent on the customer's call when their leg joins, and in wrap-up on it when they leave", async () => {
    current = [leg(CUSTOMER, 'customer', null), leg(BOB_LEG, 'client:bob', 'bob')];
    notice('participant-join', BOB_LEG, 'client:bob');
    await listener.settled();
    current = [leg(CUSTOMER, 'customer', null)];
    notice('participant-leave', BOB_LEG, 'client:bob');
    await listener.settled();
    expect(calls).toEqual([`started bob ${CUSTOMER}`, `ended bob ${CUSTOMER}`]);
  });

  it('ignores a join stored after its leave, and a leave while the agent has another leg in (a rejoin)', async () => {
    current = [leg(CUSTOMER, 'customer', null), leg(BOB_REJOIN, 'client:bob', 'bob')];
    notice('participant-join', BOB_LEG, 'client:bob');
    notice('participant-leave', BOB_LEG, 'client:bob');
    await listener.settled();
    expect(calls).toEqual([]);
  });

  it("keys a conference named otherwise by its anchor, the customer's leg", async () => {
    current = [leg(CUSTOMER, 'customer', null), leg(BOB_LEG, 'client:bob', 'bob')];
    anchor = CUSTOMER;
    notice('participant-join', BOB_LEG, 'client:bob', 'call-12ab');
    await listener.settled();
    expect(calls).toEqual([`started bob ${CUSTOMER}`]);
  });

  it('changes nothing for the customer, a monitoring supervisor, conferences without a customer and other events', async () => {
    current = [leg(CUSTOMER, 'customer', null), leg(BOB_LEG, 'monitor:sam', 'sam')];
    notice('participant-join', CUSTOMER, 'customer');
    notice('participant-join', BOB_LEG, 'monitor:sam');
    notice('participant-join', BOB_LEG, 'client:bob', 'consult-room');
    notice('participant-hold', BOB_LEG, 'client:bob');
    await listener.settled();
    expect(calls).toEqual([]);
  });
});
