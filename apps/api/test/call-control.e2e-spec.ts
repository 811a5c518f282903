import type { AppConfig } from '@switchboard/api-data-access-config';
import { rowsOf, type Database } from '@switchboard/api-data-access-db';
import type { ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { TwilioConferenceCommands } from '@switchboard/api-twilio-adapter';
import { API_ROUTES, type CallParticipantsResponse, type HoldResponse } from '@switchboard/shared-contracts';
import { sql } from 'drizzle-orm';
import { ENGINES, signIn } from './support';
import { dialCustomerAndAgentIntoConference } from './support/customer-and-agent-in-conference';
import { startApiOnSandboxCallbackOrigin, type ApiWithSandbox } from './support/api-on-sandbox-callback-origin';
import { eventually } from './support/eventually';
import { stopSandbox, type SandboxProcess } from './support/sandbox-from-source';

/**
 * The call-control routes over real HTTP, against the real voice sandbox started from its own entry point
 * (as conference-commands.e2e-spec.ts does). The API listens on the origin the sandbox calls back
 * (PUBLIC_BASE_URL = SANDBOX_API_BASE_URL), so the conference record is built from the sandbox's own signed
 * conference callbacks. A scripted customer is anchored in a conference and bob's leg joins it (labelled
 * `client:bob`, as a softphone leg is); the sandbox's participant state is read with the twilio client.
 */
const byId = <T extends { participantId: string }>(list: readonly T[]) => [...list].sort((a, b) => a.participantId.localeCompare(b.participantId));
const byCall = <T extends { call_sid: string }>(list: readonly T[]) => [...list].sort((a, b) => a.call_sid.localeCompare(b.call_sid));

describe.each(ENGINES)('call control over HTTP against the voice sandbox (%s)', (engine) => {
  let stack: ApiWithSandbox;
  let sandbox: SandboxProcess;
  let config: AppConfig;
  let apiUrl: string;
  let database: Database;
  let commands: ConferenceCommands;
  let bob: string;
  let alice: string;

  /** A customer (scripted, echoing) anchored in a new conference, and bob's leg in it, both recorded by the API. */
  async function anchoredCall(): Promise<{ conferenceSid: string; customer: string; bobLeg: string }> {
    const { conferenceSid, customer, agentLeg: bobLeg } = await dialCustomerAndAgentIntoConference(commands, config.twilio.callerId, 'client:bob');
    await eventually(() => participantsOf(conferenceSid), (rows) => rows.length === 2, 'both participants recorded');
    // The customer's number is shown from its call record, which the call status callbacks create.
    await eventually(async () => rowsOf(await database.db.execute(sql`SELECT 1 FROM calls WHERE call_sid = ${customer}`)).length,
      (found) => found === 1, 'the customer call recorded');
    return { conferenceSid, customer, bobLeg };
  }

  /** The API's record: current participants of the conference and their hold flag. */
  async function participantsOf(conferenceSid: string): Promise<Array<{ call_sid: string; hold: boolean }>> {
    return rowsOf(await database.db.execute(sql`SELECT call_sid, hold FROM conference_participants
      WHERE conference_sid = ${conferenceSid} AND left_at IS NULL ORDER BY call_sid`)) as Array<{ call_sid: string; hold: boolean }>;
  }

  const call = (method: 'GET' | 'POST', path: string, cookie: string | null, body?: unknown, headers: Record<string, string> = {}) => fetch(`${apiUrl}${path}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const sandboxHold = async (conferenceSid: string, callSid: string) => (await commands.listParticipants(conferenceSid)).find((p) => p.callSid === callSid)?.hold;

  beforeAll(async () => {
    stack = await startApiOnSandboxCallbackOrigin(engine, { dataDirPrefix: 'call-control-' });
    ({ sandbox, config, url: apiUrl, database } = stack);
    commands = new TwilioConferenceCommands(config);
    const api = { url: apiUrl, config } as Parameters<typeof signIn>[0];
    [bob, alice] = [await signIn(api, 'bob'), await signIn(api, 'alice')];
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('lets bob, in the call, see its participants and hold and resume the customer; refuses alice, strangers, cross-site pages and bad input', async () => {
    const { conferenceSid, customer, bobLeg } = await anchoredCall();
    const hold = API_ROUTES.calls.hold(bobLeg);
    const participants = API_ROUTES.calls.participants(bobLeg);

    const listed = await call('GET', participants, bob);
    expect(listed.status).toBe(200);
    // Listed in order of joining, which the two scripted answers do not fix: compared by participant.
    const list = await listed.json() as CallParticipantsResponse;
    expect({ ...list, participants: byId(list.participants) }).toMatchObject({
      callSid: bobLeg, controllable: true,
      participants: byId([
        { participantId: customer, role: 'customer', identity: null, maskedNumber: '+1 ••• ••• 0111', held: false },
        { participantId: bobLeg, role: 'agent', identity: 'bob', displayName: 'Bob Agent', maskedNumber: null, held: false },
      ]),
    });

    // Refusals first: none of them may change anything at the sandbox or in the record.
    const refusals: Array<[string, Response, number, string | undefined]> = [
      ['alice holds', await call('POST', hold, alice, { hold: true }), 404, 'not-a-participant'],
      ['alice holds via the customer call', await call('POST', API_ROUTES.calls.hold(customer), alice, { hold: true }), 404, 'not-a-participant'],
      ['alice lists', await call('GET', participants, alice), 404, 'not-a-participant'],
      ['nobody signed in holds', await call('POST', hold, null, { hold: true }), 401, undefined],
      ['nobody signed in lists', await call('GET', participants, null), 401, undefined],
      ['a cross-site page holds', await call('POST', hold, bob, { hold: true }, { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' }), 403, undefined],
      ['hold is a string', await call('POST', hold, bob, { hold: 'yes' }), 400, 'invalid-request'],
      ['hold is missing', await call('POST', hold, bob, {}), 400, 'invalid-request'],
      ['an unknown field', await call('POST', hold, bob, { hold: true, who: 'alice' }), 400, 'invalid-request'],
      ['no body', await call('POST', hold, bob), 400, 'invalid-request'],
      // Fastify refuses unparseable JSON before any route runs: the house 400 body, without a call-control code.
      ['malformed JSON', await call('POST', hold, bob, '{"hold":'), 400, undefined],
      ['a JSON array', await call('POST', hold, bob, '[true]'), 400, 'invalid-request'],
      ['a malformed CallSid', await call('POST', API_ROUTES.calls.hold('CA-not-a-sid'), bob, { hold: true }), 400, 'invalid-request'],
      ['an unknown call', await call('POST', API_ROUTES.calls.hold(`CA${'0'.repeat(32)}`), bob, { hold: true }), 404, 'not-a-participant'],
    ];
    for (const [what, response, status, code] of refusals) {
      const body = await response.json() as { statusCode: number; code?: string };
      expect({ what, status: response.status, statusCode: body.statusCode, code: body.code }).toEqual({ what, status, statusCode: status, code });
    }
    expect(await sandboxHold(conferenceSid, customer)).toBe(false);
    expect(await participantsOf(conferenceSid)).toEqual(byCall([{ call_sid: customer, hold: false }, { call_sid: bobLeg, hold: false }]));

    const held = await call('POST', hold, bob, { hold: true });
    expect(held.status).toBe(200);
    expect(await held.json() as HoldResponse).toMatchObject({ callSid: bobLeg, held: true, heldSince: expect.any(String) });
    expect(await sandboxHold(conferenceSid, customer)).toBe(true);
    expect(await sandboxHold(conferenceSid, bobLeg)).toBe(false);
    await eventually(() => participantsOf(conferenceSid), (rows) => rows.find((r) => r.call_sid === customer)?.hold === true, 'the hold recorded');
    const [recordedHold] = rowsOf(await database.db.execute(sql`SELECT event_at FROM conference_events
      WHERE conference_sid = ${conferenceSid} AND call_sid = ${customer} AND event = 'participant-hold'`)) as Array<{ event_at: Date | string }>;
    const heldAt = new Date(recordedHold.event_at).toISOString();

    // Holding a held customer: 200, the same state, the hold's recorded start; the participant list shows it.
    const again = await call('POST', hold, bob, { hold: true });
    expect([again.status, await again.json()]).toEqual([200, { callSid: bobLeg, held: true, heldSince: heldAt }]);
    expect(byId(((await (await call('GET', participants, bob)).json()) as CallParticipantsResponse).participants).map((p) => [p.participantId, p.held]))
      .toEqual(byId([{ participantId: customer, held: true }, { participantId: bobLeg, held: false }]).map((p) => [p.participantId, p.held]));
    // Alice still cannot resume it.
    expect((await call('POST', hold, alice, { hold: false })).status).toBe(404);
    expect(await sandboxHold(conferenceSid, customer)).toBe(true);

    const resumed = await call('POST', hold, bob, { hold: false });
    expect([resumed.status, await resumed.json()]).toEqual([200, { callSid: bobLeg, held: false, heldSince: null }]);
    expect(await sandboxHold(conferenceSid, customer)).toBe(false);
    await eventually(() => participantsOf(conferenceSid), (rows) => rows.find((r) => r.call_sid === customer)?.hold === false, 'the resume recorded');

    // Bob hangs up through the API (an intended leave, so no rescue follows). Only the customer was left, so the
    // API ends the conference, and bob's requests on it answer 410.
    const hungUp = await call('POST', API_ROUTES.calls.hangUp(bobLeg), bob);
    expect([hungUp.status, await hungUp.json()]).toEqual([200, { callSid: bobLeg, customerCallEnded: true }]);
    await eventually(() => participantsOf(conferenceSid), (rows) => rows.length === 0, 'the API ended the conference when only the customer was left');
    // Both legs' leaves can be stored before conference-end; until it is, bob is a participant who left (403).
    await eventually(async () => rowsOf(await database.db.execute(sql`SELECT status FROM conferences WHERE conference_sid = ${conferenceSid}`)) as Array<{ status: string }>,
      (rows) => rows[0]?.status === 'completed', 'the conference recorded as ended');
    const left = await call('POST', hold, bob, { hold: true });
    expect([left.status, ((await left.json()) as { code: string }).code]).toEqual([410, 'call-gone']);
    const ended = await call('GET', participants, bob);
    expect([ended.status, ((await ended.json()) as { code: string }).code]).toEqual([410, 'call-gone']);
  });

  it('answers 503 with Retry-After when telephony is unavailable, and nothing is recorded as held', async () => {
    const { conferenceSid, customer, bobLeg } = await anchoredCall();
    await stopSandbox(sandbox);
    const response = await call('POST', API_ROUTES.calls.hold(bobLeg), bob, { hold: true });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.json()).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(await participantsOf(conferenceSid)).toEqual(byCall([{ call_sid: customer, hold: false }, { call_sid: bobLeg, hold: false }]));
  });
});
