import type { AppConfig } from '@switchboard/api-data-access-config';
import { rowsOf, type Database } from '@switchboard/api-data-access-db';
import type { ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { TwilioConferenceCommands } from '@switchboard/api-twilio-adapter';
import { API_ROUTES, type AgentAvailability, type AvailabilityResponse, type CallRecord, type Page } from '@switchboard/shared-contracts';
import { sql } from 'drizzle-orm';
import { ENGINES, signIn } from './support';
import { startApiOnSandboxCallbackOrigin, type ApiWithSandbox } from './support/api-on-sandbox-callback-origin';
import { anchoredCallWithBob, eventually } from './support/transfer-call';

/**
 * Availability follows the agent's calls, against the real voice sandbox (the API on the origin it calls
 * back, as the transfer specs run): a scripted customer anchored in a conference and bob's leg (labelled
 * `client:bob`, as a softphone leg is) joining it put bob on the call; his leg leaving starts his wrap-up on
 * the customer's call; ending it with a disposition stores it with that call, and history shows it.
 */
describe.each(ENGINES)('availability follows calls, against the voice sandbox (%s)', (engine) => {
  let stack: ApiWithSandbox;
  let config: AppConfig;
  let database: Database;
  let commands: ConferenceCommands;
  let bob: string;

  const request = (method: 'GET' | 'PUT', path: string, body?: unknown) => fetch(`${stack.url}${path}`, {
    method, headers: { cookie: bob, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const bobsState = async () => ((await (await request('GET', API_ROUTES.availability)).json()) as AvailabilityResponse).availability;

  beforeAll(async () => {
    // WRAP_UP_SECONDS=0: the wrap-up lasts until bob ends it, so no timer races the disposition.
    stack = await startApiOnSandboxCallbackOrigin(engine, { dataDirPrefix: 'availability-calls-', env: { WRAP_UP_SECONDS: '0' } });
    ({ config, database } = stack);
    commands = new TwilioConferenceCommands(config);
    bob = await signIn({ url: stack.url, config } as Parameters<typeof signIn>[0], 'bob');
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("puts bob on the customer's call, in wrap-up when he leaves it, and shows his disposition with the call in history", async () => {
    expect((await request('PUT', API_ROUTES.availability, { state: 'available' })).status).toBe(200);

    const { conferenceSid, customer, bobLeg } = await anchoredCallWithBob(commands, config.twilio.callerId, database);
    const onCall = await eventually(bobsState, (state) => state.state === 'on-call', 'bob on the call');
    expect(onCall).toMatchObject({ identity: 'bob', state: 'on-call', reason: null });
    const [row] = rowsOf(await database.db.execute(sql`SELECT call_sid FROM agent_availability WHERE identity = 'bob'`));
    expect(row).toEqual({ call_sid: customer });

    // Bob hangs up; the customer stays (the conference does not end on his exit).
    await commands.removeParticipant(conferenceSid, bobLeg);
    const wrapUp = await eventually(bobsState, (state) => state.state === 'wrap-up', 'bob in wrap-up');
    expect(wrapUp.wrapUp).toEqual({ callSid: customer, endsAt: null });

    const ended = await request('PUT', API_ROUTES.availability, { state: 'available', disposition: 'resolved', note: 'Refund issued' });
    expect(ended.status).toBe(200);
    expect(await ended.json() as AgentAvailability).toMatchObject({ identity: 'bob', state: 'available' });
    await commands.endCall(customer, 'hang-up');

    const history = await (await request('GET', `${API_ROUTES.calls.list}?pageSize=10`)).json() as Page<CallRecord>;
    const call = history.items.find((item) => item.callSid === customer);
    expect(call?.dispositions).toEqual([{ identity: 'bob', code: 'resolved', label: 'Resolved', note: 'Refund issued', at: expect.any(String) }]);
    // bob's own leg is part of that call, not a call of its own.
    expect(history.items.map((item) => item.callSid)).not.toContain(bobLeg);
  }, 90_000);
});
