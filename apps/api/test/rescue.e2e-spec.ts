import type { AppConfig } from '@switchboard/api-data-access-config';
import { RescuesRepository, rowsOf, type Database } from '@switchboard/api-data-access-db';
import { ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { TwilioConferenceCommands } from '@switchboard/api-twilio-adapter';
import {
  API_ROUTES, REJOIN_PARAM, WEBHOOK_ROUTES, type HangUpResponse, type RejoinableCallsResponse, type RejoinResponse,
} from '@switchboard/shared-contracts';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { ENGINES, signIn } from './support';
import { startApiOnSandboxCallbackOrigin, type ApiWithSandbox } from './support/api-on-sandbox-callback-origin';
import { dialCustomerAndAgentIntoConference } from './support/customer-and-agent-in-conference';
import { eventually } from './support/eventually';
import { placeInboundCall } from './support/sandbox-from-source';

/** Short, so the expiry test waits for the real window; the rejoin test moves its rescue's expiry out instead of racing it. */
const RESCUE_WINDOW_SECONDS = 5;

/**
 * Rescue over real HTTP against the real voice sandbox (as call-control.e2e-spec.ts): a scripted customer and
 * bob's leg (labelled `client:bob`) in a conference whose record the sandbox's signed callbacks build. bob's
 * leg is dropped with a REST hang-up of its call (Status=completed), as a reload or a crash looks to Twilio.
 */
describe.each(ENGINES)('rescue of a caller whose agent dropped out, over HTTP against the voice sandbox (%s)', (engine) => {
  let stack: ApiWithSandbox;
  let config: AppConfig;
  let apiUrl: string;
  let database: Database;
  /** The test's own REST client of the sandbox (drops legs, reads the sandbox's participant state). */
  let commands: ConferenceCommands;
  /** The API's own commands, watched: which hold music and which redirect it asked for. */
  let apiCommands: ConferenceCommands;
  let bob: string;
  let alice: string;

  async function anchoredCall(): Promise<{ conferenceSid: string; customer: string; bobLeg: string }> {
    const { conferenceSid, customer, agentLeg: bobLeg } = await dialCustomerAndAgentIntoConference(commands, config.twilio.callerId, 'client:bob');
    await eventually(() => current(conferenceSid), (rows) => rows.length === 2, 'both participants recorded');
    await eventually(async () => rowsOf(await database.db.execute(sql`SELECT 1 FROM calls WHERE call_sid = ${customer}`)).length,
      (found) => found === 1, 'the customer call recorded');
    return { conferenceSid, customer, bobLeg };
  }
  /** The API's record: who is in the conference now. */
  const current = async (conferenceSid: string) => rowsOf(await database.db.execute(sql`SELECT call_sid, hold FROM conference_participants
    WHERE conference_sid = ${conferenceSid} AND left_at IS NULL ORDER BY call_sid`)) as Array<{ call_sid: string; hold: boolean }>;
  const rescuesOf = async (conferenceSid: string) => rowsOf(await database.db.execute(sql`SELECT rescue_id, identity, dropped_call_sid, state
    FROM rescues WHERE conference_sid = ${conferenceSid}`)) as Array<{ rescue_id: string; identity: string; dropped_call_sid: string; state: string }>;
  const call = (method: 'GET' | 'POST', path: string, cookie: string) => fetch(`${apiUrl}${path}`, { method, headers: { cookie } });
  const sandboxHold = async (conferenceSid: string, callSid: string) => (await commands.listParticipants(conferenceSid)).find((p) => p.callSid === callSid)?.hold;
  const dropped = async (callSid: string) => { await commands.endCall(callSid, 'hang-up'); };
  const received = (name: 'setHold' | 'redirectCall') => (jest.mocked(apiCommands[name]).mock.calls as unknown[][]);

  beforeAll(async () => {
    stack = await startApiOnSandboxCallbackOrigin(engine, { dataDirPrefix: 'rescue-', env: {
      RESCUE_WINDOW_SECONDS: String(RESCUE_WINDOW_SECONDS), CUSTOMER_CALL_ANCHOR: 'conference', DIAL_TIMEOUT_SECONDS: '60',
    } });
    ({ config, url: apiUrl, database } = stack);
    commands = new TwilioConferenceCommands(config);
    apiCommands = stack.app.get(ConferenceCommands);
    jest.spyOn(apiCommands, 'setHold');
    jest.spyOn(apiCommands, 'redirectCall');
    const api = { url: apiUrl, config } as Parameters<typeof signIn>[0];
    [bob, alice] = [await signIn(api, 'bob'), await signIn(api, 'alice')];
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await stack?.close();
  });

  it("holds the caller with the rescue message when bob's leg drops, lists and admits his rejoin (only his), and resumes the caller when his new leg joins", async () => {
    const { conferenceSid, customer, bobLeg } = await anchoredCall();
    await dropped(bobLeg);
    const [rescue] = await eventually(() => rescuesOf(conferenceSid), (rows) => rows.length === 1, 'a rescue opened');
    expect(rescue).toMatchObject({ identity: 'bob', dropped_call_sid: bobLeg, state: 'open' });
    // Moved out of reach of the short window: this test is about rejoining, the next one about expiry.
    await database.db.execute(sql`UPDATE rescues SET expires_at = now() + interval '10 minutes' WHERE rescue_id = ${rescue.rescue_id}`);
    await eventually(() => sandboxHold(conferenceSid, customer), (held) => held === true, 'the caller held at the sandbox');
    expect(received('setHold')).toContainEqual([conferenceSid, customer, true, { webhook: { path: WEBHOOK_ROUTES.rescueHold } }]);
    await eventually(() => current(conferenceSid), (rows) => rows.length === 1 && rows[0].call_sid === customer && rows[0].hold, 'the hold recorded: only the caller is in, held');

    const listed = await call('GET', API_ROUTES.calls.rejoinable, bob);
    expect(listed.status).toBe(200);
    expect(await listed.json() as RejoinableCallsResponse).toEqual({ calls: [{ callSid: bobLeg, customerDisplay: '+1 ••• ••• 0111', expiresAt: expect.any(String) }] });

    // Alice may neither see, rejoin nor hang up bob's call; bob (no longer in it) may not hang it up: nothing changes.
    expect(await (await call('GET', API_ROUTES.calls.rejoinable, alice)).json()).toEqual({ calls: [] });
    const refusals: Array<[string, Response, number]> = [
      ['alice rejoins', await call('POST', API_ROUTES.calls.rejoin(bobLeg), alice), 404],
      ['alice hangs up', await call('POST', API_ROUTES.calls.hangUp(bobLeg), alice), 404],
      ['bob rejoins by the caller', await call('POST', API_ROUTES.calls.rejoin(customer), bob), 404],
      ['bob hangs up his dropped leg', await call('POST', API_ROUTES.calls.hangUp(bobLeg), bob), 403],
    ];
    for (const [what, response, status] of refusals) {
      expect({ what, status: response.status, code: ((await response.json()) as { code?: string }).code }).toEqual({ what, status, code: 'not-a-participant' });
    }
    expect(await rescuesOf(conferenceSid)).toEqual([{ ...rescue, state: 'open' }]);
    expect(await sandboxHold(conferenceSid, customer)).toBe(true);

    const admitted = await call('POST', API_ROUTES.calls.rejoin(bobLeg), bob);
    expect(admitted.status).toBe(200);
    expect(await admitted.json() as RejoinResponse).toEqual({ callSid: bobLeg, to: 'rejoin', params: { [REJOIN_PARAM]: rescue.rescue_id } });
    // What the outgoing webhook asks before it puts the rejoin call into the conference: bob's, not alice's.
    const rescues = stack.app.get(RescuesRepository);
    expect(await rescues.admitRejoin('bob', rescue.rescue_id, new Date())).toEqual({ conferenceSid, conferenceName: expect.stringMatching(/^call-/), customerCallSid: customer });
    expect(await rescues.admitRejoin('alice', rescue.rescue_id, new Date())).toBeUndefined();

    // bob's new leg joins (as the rejoin call would): the rescue closes as rejoined and the caller is resumed.
    const rejoined = await commands.addParticipant({
      conference: { sid: conferenceSid }, to: SANDBOX_NUMBERS.answersWithTone, from: config.twilio.callerId, label: 'client:bob', timeoutSeconds: 20,
      startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, callStatusCallback: { path: WEBHOOK_ROUTES.status },
      conferenceStatusCallback: { path: WEBHOOK_ROUTES.conferenceStatus }, conferenceEvents: ['start', 'end', 'join', 'leave', 'hold', 'mute'],
    });
    await eventually(() => rescuesOf(conferenceSid), (rows) => rows[0]?.state === 'rejoined', 'the rescue closed as rejoined');
    await eventually(() => sandboxHold(conferenceSid, customer), (held) => held === false, 'the caller resumed at the sandbox');
    expect(await eventually(() => current(conferenceSid), (rows) => rows.length === 2 && rows.every((r) => !r.hold), 'the resume recorded'))
      .toEqual([{ call_sid: customer, hold: false }, { call_sid: rejoined.callSid, hold: false }].sort((a, b) => a.call_sid.localeCompare(b.call_sid)));
    const again = await call('POST', API_ROUTES.calls.rejoin(bobLeg), bob);
    expect([again.status, ((await again.json()) as { code: string }).code]).toEqual([410, 'call-gone']);
    await commands.completeConference(conferenceSid);
  });

  it('sends the caller to voicemail once the rescue window passes, and the rejoin then answers 410', async () => {
    // Only a call driven by TwiML can be redirected (the sandbox refuses a REST-dialled participant, as Twilio
    // does a call with no TwiML): the caller here is an inbound call the API anchored, while the support group
    // (bob, no device) rings for DIAL_TIMEOUT_SECONDS. Alice's scripted leg joins and drops.
    const { callSid: customer } = await placeInboundCall(stack.sandbox.url, {
      from: SANDBOX_NUMBERS.customer, to: SANDBOX_NUMBERS.support, script: [{ wait: 50 }, { hangup: true }],
    });
    const [{ conference_sid: conferenceSid }] = await eventually(
      async () => rowsOf(await database.db.execute(sql`SELECT conference_sid FROM conferences WHERE anchor_call_sid = ${customer}`)) as Array<{ conference_sid: string }>,
      (rows) => rows.length === 1, 'the caller anchored');
    const aliceLeg = (await commands.addParticipant({
      conference: { sid: conferenceSid }, to: SANDBOX_NUMBERS.answersWithTone, from: config.twilio.callerId, label: 'client:alice', timeoutSeconds: 20,
      startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, callStatusCallback: { path: WEBHOOK_ROUTES.status },
      conferenceStatusCallback: { path: WEBHOOK_ROUTES.conferenceStatus }, conferenceEvents: ['start', 'end', 'join', 'leave', 'hold', 'mute'],
    })).callSid;
    await eventually(() => current(conferenceSid), (rows) => rows.length === 2, 'alice in the call');
    await dropped(aliceLeg);
    await eventually(() => rescuesOf(conferenceSid), (rows) => rows[0]?.state === 'open', 'a rescue opened');
    expect(await (await call('GET', API_ROUTES.calls.rejoinable, alice)).json()).toEqual({
      calls: [{ callSid: aliceLeg, customerDisplay: '+1 ••• ••• 0150', expiresAt: expect.any(String) }],
    });
    const [closed] = await eventually(() => rescuesOf(conferenceSid), (rows) => rows[0]?.state !== 'open', 'the rescue window passed',
      { timeoutMs: (RESCUE_WINDOW_SECONDS + 20) * 1000 });
    expect(closed.state).toBe('voicemail');
    const redirects = jest.mocked(apiCommands.redirectCall).mock.calls.flatMap((args, i) => (args[0] === customer ? [{ args, result: jest.mocked(apiCommands.redirectCall).mock.results[i] }] : []));
    expect(redirects.map((r) => r.args)).toEqual([[customer, { path: WEBHOOK_ROUTES.dialComplete, query: { anchor: 'unanswered' } }]]);
    await expect(redirects[0].result.value).resolves.toBeUndefined();
    await eventually(() => current(conferenceSid), (rows) => rows.length === 0, 'the caller left the conference for voicemail');
    const late = await call('POST', API_ROUTES.calls.rejoin(aliceLeg), alice);
    expect([late.status, ((await late.json()) as { code: string }).code]).toEqual([410, 'call-gone']);
    expect(await (await call('GET', API_ROUTES.calls.rejoinable, alice)).json()).toEqual({ calls: [] });
  }, 90_000);

  it('ends the call without a rescue when bob hangs up through the API; alice may not hang it up', async () => {
    const { conferenceSid, customer, bobLeg } = await anchoredCall();
    const refused = await call('POST', API_ROUTES.calls.hangUp(bobLeg), alice);
    expect(refused.status).toBe(404);
    expect(await current(conferenceSid)).toHaveLength(2);

    const hungUp = await call('POST', API_ROUTES.calls.hangUp(bobLeg), bob);
    expect([hungUp.status, await hungUp.json() as HangUpResponse]).toEqual([200, { callSid: bobLeg, customerCallEnded: true }]);
    await eventually(() => current(conferenceSid), (rows) => rows.length === 0, 'the conference ended');
    await eventually(async () => rowsOf(await database.db.execute(sql`SELECT status FROM conferences WHERE conference_sid = ${conferenceSid}`)),
      (rows) => (rows[0] as { status: string } | undefined)?.status === 'completed', 'the conference recorded as completed');
    expect(await rescuesOf(conferenceSid)).toEqual([]);
    expect(received('setHold').filter(([, callSid]) => callSid === customer)).toEqual([]);
    const again = await call('POST', API_ROUTES.calls.hangUp(bobLeg), bob);
    expect([again.status, ((await again.json()) as { code: string }).code]).toEqual([410, 'call-gone']);
  });
});
