import type { AppConfig } from '@switchboard/api-data-access-config';
import { rowsOf, type Database } from '@switchboard/api-data-access-db';
import type { ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { TwilioConferenceCommands } from '@switchboard/api-twilio-adapter';
import { API_ROUTES, FLOOR_EVENTS, WEBHOOK_ROUTES, type FloorSnapshot } from '@switchboard/shared-contracts';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { ENGINES, signIn } from './support';
import { startApiOnSandboxCallbackOrigin, type ApiWithSandbox } from './support/api-on-sandbox-callback-origin';
import { eventually as eventuallyWithin } from './support/eventually';
import { LiveEventReader } from './support/live-event-reader';
import { placeInboundCall } from './support/sandbox-from-source';

/**
 * The supervisor's board over real HTTP, against the real voice sandbox started from its own entry point,
 * the API listening on the origin the sandbox calls back (so calls and conferences are recorded from the
 * sandbox's own signed callbacks). A scripted PSTN caller dials the support line and is anchored in
 * `sb-<CallSid>`; bob's leg (a scripted number labelled `client:bob`, as a softphone leg is) joins it, as
 * an answer does. The support group rings alice only (she has no device: her leg rings for the whole dial
 * timeout), so bob's label is free. A second caller finds nobody to ring and leaves a voicemail: missed.
 */
const eventually = <T>(read: () => Promise<T>, check: (value: T) => boolean, what: string) => eventuallyWithin(read, check, what, { timeoutMs: 45_000, intervalMs: 100 });

describe.each(ENGINES)("the supervisor's floor over HTTP against the voice sandbox (%s)", (engine) => {
  let stack: ApiWithSandbox;
  let config: AppConfig;
  let database: Database;
  let commands: ConferenceCommands;
  let cookies: Record<'alice' | 'bob' | 'sam', string>;

  const request = (method: 'GET' | 'PUT', path: string, cookie: string, body?: unknown) => fetch(`${stack.url}${path}`, {
    method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const floor = async (): Promise<FloorSnapshot> => {
    const response = await request('GET', API_ROUTES.floor, cookies.sam);
    expect(response.status).toBe(200);
    return await response.json() as FloorSnapshot;
  };
  const supportRings = async (identities: readonly string[]) => {
    await database.db.execute(sql`DELETE FROM ring_group_members WHERE group_name = 'support'`);
    for (const identity of identities) await database.db.execute(sql`INSERT INTO ring_group_members (group_name, agent_identity) VALUES ('support', ${identity})`);
  };

  beforeAll(async () => {
    stack = await startApiOnSandboxCallbackOrigin(engine, {
      dataDirPrefix: 'floor-',
      // Every member rings whatever their state (no softphone reports presence here); alice rings as long as Twilio allows.
      env: { CUSTOMER_CALL_ANCHOR: 'conference', ROUTE_ONLY_AVAILABLE: 'false', DIAL_TIMEOUT_SECONDS: '60', FLOOR_TIME_ZONE: 'UTC' },
    });
    ({ config, database } = stack);
    commands = new TwilioConferenceCommands(config);
    const api = { url: stack.url, config } as Parameters<typeof signIn>[0];
    cookies = { alice: await signIn(api, 'alice'), bob: await signIn(api, 'bob'), sam: await signIn(api, 'sam') };
  }, 240_000); // a hang guard only: the sandbox and the embedded engine start slowly on a loaded machine

  afterAll(async () => {
    await stack?.close();
  });

  it('is for supervisors only: an agent is answered 403', async () => {
    expect((await request('GET', API_ROUTES.floor, cookies.bob)).status).toBe(403);
    expect((await request('GET', API_ROUTES.floor, cookies.alice)).status).toBe(403);
    const board = await floor();
    expect(board.agents.map((agent) => [agent.identity, agent.role])).toEqual([['alice', 'agent'], ['bob', 'agent'], ['sam', 'supervisor']]);
    expect(board).toMatchObject({ queue: [], longestWaitSeconds: null, counts: { answered: 0, missed: 0, abandoned: 0 } });
  });

  it("shows bob on the caller's call with the caller's number and alice away; sam's stream is told of the call's start and end; today's counts an answered and a missed call", async () => {
    expect((await request('PUT', API_ROUTES.availability, cookies.alice, { state: 'away', reason: 'break' })).status).toBe(200);
    const stream = await LiveEventReader.open(stack.url, cookies.sam);
    try {
      await supportRings(['alice']);
      const { callSid: customer } = await placeInboundCall(stack.sandbox.url, {
        from: SANDBOX_NUMBERS.customer, to: SANDBOX_NUMBERS.support, script: [{ tone: { hz: 440, seconds: 40 } }, { hangup: true }],
      });
      const [conference] = await eventually(
        () => rows<{ conference_sid: string; anchor_call_sid: string | null }>(sql`SELECT conference_sid, anchor_call_sid FROM conferences WHERE friendly_name = ${`sb-${customer}`}`),
        (found) => found.length === 1 && found[0].anchor_call_sid === customer, "the caller's conference recorded");
      // bob answers: his leg joins the caller's conference.
      const bobLeg = await commands.addParticipant({
        conference: { sid: conference.conference_sid }, to: SANDBOX_NUMBERS.answersWithTone, from: config.twilio.callerId, label: 'client:bob',
        timeoutSeconds: 20, startConferenceOnEnter: true, endConferenceOnExit: false, beep: false,
        callStatusCallback: { path: WEBHOOK_ROUTES.status }, conferenceStatusCallback: { path: WEBHOOK_ROUTES.conferenceStatus },
        conferenceEvents: ['start', 'end', 'join', 'leave', 'mute', 'hold'],
      });

      const started = await stream.waitFor(FLOOR_EVENTS.call, (data) => data.identity === 'bob' && data.call !== null);
      const expectedCall = {
        customerCallSid: customer, agentCallSid: bobLeg.callSid, direction: 'inbound', party: SANDBOX_NUMBERS.customer, since: expect.any(String), quality: null,
      };
      expect(started.data.call).toEqual(expectedCall);
      const board = await floor();
      const byIdentity = new Map(board.agents.map((agent) => [agent.identity, agent]));
      expect(byIdentity.get('bob')?.call).toEqual(expectedCall);
      expect(byIdentity.get('alice')).toMatchObject({ availability: { identity: 'alice', state: 'away', reason: 'break' }, call: null });
      expect(byIdentity.get('alice')?.reachability).toMatchObject({ identity: 'alice', reachable: false });
      expect(byIdentity.get('sam')?.call).toBeNull();

      // The call ends: bob is on no call, and the caller's call is answered in today's counts.
      await commands.completeConference(conference.conference_sid);
      await stream.waitFor(FLOOR_EVENTS.call, (data) => data.identity === 'bob' && data.call === null);
      // Counted answered at bob's join (no handle time yet), then again at the call's end, with it.
      const answering = await stream.waitFor(FLOOR_EVENTS.counts, (counts) => counts.answered === 1);
      expect(answering.data).toMatchObject({ answered: 1, missed: 0, abandoned: 0, averageWaitSeconds: expect.any(Number) });
      const ended = await stream.waitFor(FLOOR_EVENTS.counts, (counts) => counts.averageHandleSeconds !== null);
      expect(ended.data).toEqual({
        answered: 1, missed: 0, abandoned: 0, averageWaitSeconds: answering.data.averageWaitSeconds, averageHandleSeconds: expect.any(Number),
      });

      // Nobody to ring: the next caller reaches voicemail and leaves a message.
      await supportRings([]);
      const { callSid: missed } = await placeInboundCall(stack.sandbox.url, {
        from: SANDBOX_NUMBERS.customer, to: SANDBOX_NUMBERS.support, script: [{ tone: { hz: 440, seconds: 15 } }, { hangup: true }],
      });
      await eventually(() => rows(sql`SELECT 1 FROM voicemails WHERE call_sid = ${missed}`), (found) => found.length === 1, 'the voicemail stored');
      const counts = (await eventually(floor, (snapshot) => snapshot.counts.missed === 1, 'the missed call counted')).counts;
      expect(counts).toMatchObject({ answered: 1, missed: 1, abandoned: 0 });
      expect((await floor()).agents.find((agent) => agent.identity === 'bob')?.call).toBeNull();
    } finally {
      stream.close();
    }
  }, 120_000);

  async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
    return rowsOf(await database.db.execute(query)) as T[];
  }
});
