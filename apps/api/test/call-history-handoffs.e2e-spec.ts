import type { AppConfig } from '@switchboard/api-data-access-config';
import { CallStartWriter, rowsOf, type Database } from '@switchboard/api-data-access-db';
import type { ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { TwilioConferenceCommands } from '@switchboard/api-twilio-adapter';
import { API_ROUTES, WEBHOOK_ROUTES, type CallRecord, type Page, type TransferResponse } from '@switchboard/shared-contracts';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { ENGINES, signIn } from './support';
import { dialCustomerAndAgentIntoConference } from './support/customer-and-agent-in-conference';
import { startApiOnSandboxCallbackOrigin, type ApiWithSandbox } from './support/api-on-sandbox-callback-origin';
import { eventually as eventuallyWithin } from './support/eventually';

/**
 * Call history of a transferred customer call (issue 12), over real HTTP against the voice sandbox (as
 * cold-transfer.e2e-spec.ts does): the conference record comes from the sandbox's signed callbacks and the
 * transfer from the real cold-transfer route. A scripted customer is anchored in a conference with bob's
 * leg (labelled `client:bob`, as a softphone leg is) and alice's (`client:alice`, as a transfer target's
 * answered leg is); bob consults a number and cancels, then transfers the call to a number that never
 * answers, then to one that answers. Everyone who was in the call sees it once, with the consult and both
 * transfers; none of the legs is a call of its own.
 */

const eventually = <T>(read: () => Promise<T>, check: (value: T) => boolean, what: string) => eventuallyWithin(read, check, what, { timeoutMs: 30_000 });

describe.each(ENGINES)('call history with handoffs (%s)', (engine) => {
  let stack: ApiWithSandbox;
  let config: AppConfig;
  let apiUrl: string;
  let database: Database;
  let commands: ConferenceCommands;
  let cookies: Record<'alice' | 'bob' | 'sam', string>;

  const history = async (cookie: string): Promise<Page<CallRecord>> => {
    const response = await fetch(`${apiUrl}${API_ROUTES.calls.list}?page=1&pageSize=100`, { headers: { cookie } });
    expect(response.status).toBe(200);
    return await response.json() as Page<CallRecord>;
  };
  const transfer = async (callSid: string, number: string, mode: 'cold' | 'consult' = 'cold'): Promise<TransferResponse> => {
    const response = await fetch(`${apiUrl}${API_ROUTES.calls.transfer(callSid)}`, {
      method: 'POST', headers: { cookie: cookies.bob, 'content-type': 'application/json' }, body: JSON.stringify({ target: { kind: 'number', number }, mode }),
    });
    expect(response.status).toBe(200);
    return await response.json() as TransferResponse;
  };
  const transferStatus = async (transferId: string) =>
    (rowsOf(await database.db.execute(sql`SELECT status FROM transfers WHERE transfer_id = ${transferId}`))[0] as { status: string }).status;
  const inConference = async (conferenceSid: string) => (rowsOf(await database.db.execute(sql`
    SELECT call_sid FROM conference_participants WHERE conference_sid = ${conferenceSid} AND left_at IS NULL`)) as Array<{ call_sid: string }>).map((r) => r.call_sid);

  beforeAll(async () => {
    stack = await startApiOnSandboxCallbackOrigin(engine, { dataDirPrefix: 'call-history-handoffs-', env: { DIAL_TIMEOUT_SECONDS: '5' } });
    ({ config, url: apiUrl, database } = stack);
    commands = new TwilioConferenceCommands(config);
    const api = { url: apiUrl, config } as Parameters<typeof signIn>[0];
    cookies = { alice: await signIn(api, 'alice'), bob: await signIn(api, 'bob'), sam: await signIn(api, 'sam') };
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('shows the customer call once to bob and to alice, with the consult and both transfers oldest first, and no leg as a call of its own', async () => {
    const { conferenceSid, customer, agentLeg: bobLeg } = await dialCustomerAndAgentIntoConference(commands, config.twilio.callerId, 'client:bob');
    const aliceLeg = (await commands.addParticipant({
      conference: { sid: conferenceSid }, to: SANDBOX_NUMBERS.answersWithTone, from: config.twilio.callerId, label: 'client:alice', timeoutSeconds: 20,
      startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, callStatusCallback: { path: WEBHOOK_ROUTES.status },
      conferenceStatusCallback: { path: WEBHOOK_ROUTES.conferenceStatus }, conferenceEvents: ['start', 'end', 'join', 'leave', 'hold', 'mute'],
    })).callSid;
    await eventually(() => inConference(conferenceSid), (sids) => sids.length === 3, 'the customer, bob and alice recorded in the conference');
    // Bob's leg as the softphone's own call would be recorded (a rejoin leg placed through the outgoing webhook is).
    await stack.app.get(CallStartWriter).record({
      callSid: bobLeg, direction: 'outbound', from: 'client:bob', to: 'conference', participants: ['bob'], voicemailTarget: null, status: 'in-progress', at: new Date(),
    });

    const consult = await transfer(bobLeg, SANDBOX_NUMBERS.answersAndEchoes, 'consult');
    await eventually(() => transferStatus(consult.transferId), (status) => status === 'answered', 'the consulted number answered');
    const cancelled = await fetch(`${apiUrl}${API_ROUTES.calls.consult(bobLeg, 'cancel')}`, { method: 'POST', headers: { cookie: cookies.bob } });
    expect(cancelled.status).toBe(200);
    const [{ answered_call_sid: consulted }] = rowsOf(await database.db.execute(sql`
      SELECT answered_call_sid FROM transfers WHERE transfer_id = ${consult.transferId}`)) as Array<{ answered_call_sid: string }>;
    await eventually(async () => rowsOf(await database.db.execute(sql`SELECT 1 FROM conference_participants
      WHERE conference_sid = ${conferenceSid} AND call_sid = ${consulted} AND left_at IS NOT NULL`)), (rows) => rows.length === 1, 'the consulted number removed');
    const missed = await transfer(bobLeg, SANDBOX_NUMBERS.noAnswer);
    await eventually(() => transferStatus(missed.transferId), (status) => status === 'returned-to-you', 'the unanswered transfer came back');
    const answered = await transfer(bobLeg, SANDBOX_NUMBERS.answersAndEchoes);
    await eventually(() => transferStatus(answered.transferId), (status) => status === 'answered', 'the second transfer answered');
    await commands.completeConference(conferenceSid);
    const legs = [bobLeg, aliceLeg];
    await eventually(async () => rowsOf(await database.db.execute(sql`SELECT call_sid FROM calls WHERE call_sid = ANY(${sql.param(legs)}::text[])`)),
      (rows) => rows.length === 2, 'bob\'s and alice\'s legs have call records of their own');

    const expected = {
      total: 1,
      items: [{
        callSid: customer,
        handoffs: [
          { kind: 'consult', byDisplay: 'Bob Agent', targetDisplay: SANDBOX_NUMBERS.answersAndEchoes, outcome: 'cancelled', at: expect.any(String) },
          { kind: 'transfer', byDisplay: 'Bob Agent', targetDisplay: SANDBOX_NUMBERS.noAnswer, outcome: 'no-answer', at: expect.any(String) },
          { kind: 'transfer', byDisplay: 'Bob Agent', targetDisplay: SANDBOX_NUMBERS.answersAndEchoes, outcome: 'transferred', at: expect.any(String) },
        ],
      }],
    };
    for (const agent of ['bob', 'alice'] as const) {
      const page = await history(cookies[agent]);
      expect({ agent, ...page }).toMatchObject({ agent, ...expected });
      expect(page.items).toHaveLength(1);
    }
    const [{ handoffs }] = (await history(cookies.bob)).items;
    expect(handoffs.map((h) => h.at)).toEqual(handoffs.map((h) => h.at).sort());
    expect(await history(cookies.sam)).toMatchObject({ total: 0, items: [] });
  });
});
