import { RoutingRepository } from '@switchboard/api-data-access-db';
import { ConferenceCommands, type AddParticipantCommand } from '@switchboard/api-data-access-telephony';
import {
  API_ROUTES, WEBHOOK_ROUTES, type CallRecord, type Page, type PresenceReport, type PresenceResponse, type RingOutcome,
} from '@switchboard/shared-contracts';
import { SANDBOX_CREDENTIALS, SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { callSid, ENGINES, postWebhook, signIn, startApi, type TestApi } from './support';
import { fakeTelephony, type FakeTelephony } from './support/dialled';
import { eventually } from './support/eventually';

/**
 * Routing by availability (issue 13, item 3) over real HTTP and a real database: agents become Available
 * and reachable through their own routes (sign in, PUT /api/availability, PUT /api/presence, as the
 * softphone does); the provider is the fake of support/dialled.ts, so which agents the API rings is what
 * it adds to the customer's conference, and their ringing ends as the provider's callbacks (posted here,
 * signed) say: answered (the agent's participant-join), declined (`busy`, how a client that rejected
 * ends) or no-answer. The outcomes are read back from history (GET /api/calls).
 */
const ACCOUNT = SANDBOX_CREDENTIALS.accountSid;
const CUSTOMER_NUMBER = '+14155550150';
const LONGEST_IDLE_RING_SECONDS = 9;

describe.each(ENGINES)('routing inbound calls to available, reachable agents (%s)', (engine) => {
  let api: TestApi;
  let telephony: FakeTelephony;
  let routing: RoutingRepository;
  let calls = 0x7000;
  const cookies = new Map<string, string>();

  beforeAll(async () => {
    api = await startApi(engine, {
      ROUTE_ONLY_AVAILABLE: 'true',
      CUSTOMER_CALL_ANCHOR: 'conference',
      // Nobody available goes to voicemail here: the queue is its own spec's.
      QUEUE_MAX_WAIT_SECONDS: '0',
      LONGEST_IDLE_RING_SECONDS: String(LONGEST_IDLE_RING_SECONDS),
      // Reports are sent once per test, not every 5 s: they must not expire on a loaded machine.
      PRESENCE_TIMEOUT_SECONDS: '300',
    });
    telephony = fakeTelephony(api);
    routing = api.app.get(RoutingRepository);
    // The demo's support line rings the support group (bob); alice and sam join it.
    await routing.addGroupMember('support', 'alice');
    await routing.addGroupMember('support', 'sam');
    for (const identity of ['alice', 'bob', 'sam']) cookies.set(identity, await signIn(api, identity));
  }, 120_000);
  afterAll(() => api?.close());

  const put = async (route: string, identity: string, body: object): Promise<Response> => fetch(`${api.url}${route}`, {
    method: 'PUT', headers: { 'content-type': 'application/json', cookie: cookies.get(identity) as string }, body: JSON.stringify(body),
  });
  const setAvailability = async (identity: string, body: object) => {
    const response = await put(API_ROUTES.availability, identity, body);
    expect({ identity, status: response.status }).toEqual({ identity, status: 200 });
  };
  const report = async (identity: string, device: PresenceReport['device']): Promise<PresenceResponse> => {
    const response = await put(API_ROUTES.presence, identity, { tabId: `tab-of-${identity}`, device, lifecycle: 'active' } satisfies PresenceReport);
    expect({ identity, status: response.status }).toEqual({ identity, status: 200 });
    return (await response.json()) as PresenceResponse;
  };
  /** Available (since now) and reachable: what the softphone does once signed in with a registered Device. */
  const onTheFloor = async (identity: string) => {
    await setAvailability(identity, { state: 'available' });
    expect(await report(identity, 'registered')).toMatchObject({ identity, reachable: true });
  };

  /** Each agent takes a break, then becomes Available again in the order given (the first has been idle the longest). */
  const inLine = async (...identities: string[]) => {
    for (const identity of identities) await setAvailability(identity, { state: 'away', reason: 'break' });
    for (const identity of identities) await onTheFloor(identity);
  };

  /** A customer calls the support line: the incoming webhook, as Twilio sends it. */
  const customerCalls = async (): Promise<string> => {
    const sid = callSid(++calls);
    const response = await postWebhook(api, WEBHOOK_ROUTES.incoming, { AccountSid: ACCOUNT, CallSid: sid, From: CUSTOMER_NUMBER, To: SANDBOX_NUMBERS.support, CallStatus: 'ringing' });
    expect(response.status).toBe(200);
    return sid;
  };
  const rungFor = (customer: string, count: number): Promise<AddParticipantCommand[]> => telephony.addedTo(`sb-${customer}`, count);
  const identityOf = (command: AddParticipantCommand) => command.to.replace('client:', '');
  /** The leg SID the fake provider answered for that addParticipant. */
  const legOf = async (command: AddParticipantCommand): Promise<string> => {
    const placed = await (api.app.get(ConferenceCommands).addParticipant as jest.Mock).mock.results[telephony.added.indexOf(command)].value;
    return (placed as { callSid: string }).callSid;
  };
  let sequence = 0;
  const legEnded = async (leg: string, identity: string, status: 'busy' | 'no-answer') => {
    const response = await postWebhook(api, WEBHOOK_ROUTES.status, {
      AccountSid: ACCOUNT, CallSid: leg, CallStatus: status, SequenceNumber: String(++sequence), From: CUSTOMER_NUMBER, To: `client:${identity}`,
      Direction: 'outbound-api', CallDuration: '0',
    });
    expect(response.status).toBe(204);
  };
  const inConference = async (event: 'participant-join' | 'participant-leave', customer: string, leg: string, identity: string) => {
    const response = await postWebhook(api, WEBHOOK_ROUTES.conferenceStatus, {
      AccountSid: ACCOUNT, ConferenceSid: `CF${customer.slice(2)}`, FriendlyName: `sb-${customer}`, SequenceNumber: String(++sequence),
      Timestamp: new Date().toUTCString().replace('GMT', '+0000'), StatusCallbackEvent: event, CallSid: leg, ParticipantLabel: `client:${identity}`,
      Muted: 'false', Hold: 'false', Coaching: 'false', EndConferenceOnExit: 'false', StartConferenceOnEnter: 'true',
    });
    expect(response.status).toBe(204);
  };
  const joined = (customer: string, leg: string, identity: string) => inConference('participant-join', customer, leg, identity);
  /** The agent leaves the call (on a call → wrap-up), then ends the wrap-up with a disposition: Available again. */
  const hangsUpAndWrapsUp = async (customer: string, leg: string, identity: string) => {
    await inConference('participant-leave', customer, leg, identity);
    await eventually(async () => (await put(API_ROUTES.availability, identity, { state: 'available', disposition: 'resolved' })).status,
      (status) => status === 200, `${identity} available again after the call`);
  };
  const redirectedToVoicemail = (customer: string) =>
    (api.app.get(ConferenceCommands).redirectCall as jest.Mock).mock.calls.some(([sid]) => sid === customer);

  /** Each agent's outcome for the call, as `identity`'s history shows it. */
  const outcomesInHistory = async (identity: string, customer: string): Promise<Record<string, RingOutcome>> => {
    const response = await fetch(`${api.url}${API_ROUTES.calls.list}?page=1&pageSize=50`, { headers: { cookie: cookies.get(identity) as string } });
    expect(response.status).toBe(200);
    const call = ((await response.json()) as Page<CallRecord>).items.find((item) => item.callSid === customer);
    return sorted(Object.fromEntries((call?.ringOutcomes ?? []).map((entry) => [entry.identity, entry.outcome])));
  };
  const eventuallyOutcomes = (identity: string, customer: string, expected: Record<string, RingOutcome>) =>
    eventually(() => outcomesInHistory(identity, customer), (found) => JSON.stringify(found) === JSON.stringify(sorted(expected)), 'the ring outcomes in history');

  it("an away member is not rung and an unreachable one neither; history says why ('away', 'unreachable'), and who declined", async () => {
    await routing.setGroupStrategy('support', 'ring-all');
    await onTheFloor('bob');
    await setAvailability('alice', { state: 'away', reason: 'break' });
    await report('alice', 'registered');
    await setAvailability('sam', { state: 'available' });
    expect(await report('sam', 'unregistered')).toMatchObject({ identity: 'sam', reachable: false, reason: 'device-unregistered' });

    const customer = await customerCalls();
    const [bobsRing] = await rungFor(customer, 1);
    expect(identityOf(bobsRing)).toBe('bob');
    await legEnded(await legOf(bobsRing), 'bob', 'busy');
    await eventually(async () => redirectedToVoicemail(customer), Boolean, 'the customer redirected to voicemail');
    expect(telephony.added.filter((command) => 'friendlyName' in command.conference && command.conference.friendlyName === `sb-${customer}`).map(identityOf))
      .toEqual(['bob']);
    // The member who was away sees the missed call in her history too, with why she was not rung.
    await eventuallyOutcomes('alice', customer, { alice: 'away', bob: 'declined', sam: 'unreachable' });
    expect(await outcomesInHistory('bob', customer)).toEqual(sorted({ alice: 'away', bob: 'declined', sam: 'unreachable' }));
  });

  it('ring-all rings every available, reachable member at once; the one who answers is recorded, the others (cancelled) are not', async () => {
    await routing.setGroupStrategy('support', 'ring-all');
    for (const identity of ['alice', 'bob', 'sam']) await onTheFloor(identity);
    const customer = await customerCalls();
    const rung = await rungFor(customer, 3);
    expect(rung.map(identityOf).sort()).toEqual(['alice', 'bob', 'sam']);
    const alicesLeg = await legOf(rung.find((command) => identityOf(command) === 'alice') as AddParticipantCommand);
    await joined(customer, alicesLeg, 'alice');
    await eventually(async () => (api.app.get(ConferenceCommands).endCall as jest.Mock).mock.calls.length, (n) => n >= 2, 'the other legs cancelled');
    await eventuallyOutcomes('alice', customer, { alice: 'answered' });
    expect(redirectedToVoicemail(customer)).toBe(false);
    await hangsUpAndWrapsUp(customer, alicesLeg, 'alice');
  });

  it('longest-idle rings one member at a time, longest available first, the next after a no-answer or a decline, then voicemail', async () => {
    await routing.setGroupStrategy('support', 'longest-idle');
    // Available again in this order: sam has been idle the longest, alice the shortest.
    await inLine('sam', 'bob', 'alice');
    const customer = await customerCalls();

    const [first] = await rungFor(customer, 1);
    expect(identityOf(first)).toBe('sam');
    expect(first.timeoutSeconds).toBe(LONGEST_IDLE_RING_SECONDS);
    await legEnded(await legOf(first), 'sam', 'no-answer');
    const second = (await rungFor(customer, 2))[1];
    expect(identityOf(second)).toBe('bob');
    await legEnded(await legOf(second), 'bob', 'busy');
    const third = (await rungFor(customer, 3))[2];
    expect(identityOf(third)).toBe('alice');
    expect(redirectedToVoicemail(customer)).toBe(false);
    await legEnded(await legOf(third), 'alice', 'no-answer');
    await eventually(async () => redirectedToVoicemail(customer), Boolean, 'the customer redirected to voicemail after the last');
    await eventuallyOutcomes('bob', customer, { alice: 'no-answer', bob: 'declined', sam: 'no-answer' });
  });

  it('longest-idle stops at the member who answers', async () => {
    await routing.setGroupStrategy('support', 'longest-idle');
    await inLine('bob', 'alice', 'sam');
    const customer = await customerCalls();
    const [first] = await rungFor(customer, 1);
    expect(identityOf(first)).toBe('bob');
    await joined(customer, await legOf(first), 'bob');
    await eventuallyOutcomes('bob', customer, { bob: 'answered' });
    expect(telephony.added.filter((command) => 'friendlyName' in command.conference && command.conference.friendlyName === `sb-${customer}`)).toHaveLength(1);
  });
});

/** JSON equality with keys in a stable order (history lists outcomes by time, then identity). */
function sorted(outcomes: Record<string, RingOutcome>): Record<string, RingOutcome> {
  return Object.fromEntries(Object.entries(outcomes).sort(([a], [b]) => a.localeCompare(b)));
}
