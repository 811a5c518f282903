import type { AppConfig } from '@switchboard/api-data-access-config';
import { rowsOf, type Database } from '@switchboard/api-data-access-db';
import type { ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { TwilioConferenceCommands } from '@switchboard/api-twilio-adapter';
import { API_ROUTES, type CallControlErrorBody, type TransferResponse } from '@switchboard/shared-contracts';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { ENGINES, signIn } from './support';
import { startApiOnSandboxCallbackOrigin, type ApiWithSandbox } from './support/api-on-sandbox-callback-origin';
import { anchoredCallWithBob, eventually, recordedParticipants } from './support/transfer-call';

/**
 * Cold transfer over real HTTP, against the real voice sandbox started from its own entry point (as
 * call-control.e2e-spec.ts does). The API listens on the origin the sandbox calls back, so the conference
 * record and the transfer target's call status come from the sandbox's own signed callbacks. A scripted
 * customer is anchored in a conference and bob's leg (a scripted number labelled `client:bob`, as a
 * softphone leg is) joins it; bob transfers to scripted numbers. The real SDK answering as an agent is a
 * later step.
 */

describe.each(ENGINES)('cold transfer over HTTP against the voice sandbox (%s)', (engine) => {
  let stack: ApiWithSandbox;
  let config: AppConfig;
  let apiUrl: string;
  let database: Database;
  let commands: ConferenceCommands;
  let bob: string;
  let alice: string;

  const anchoredCall = () => anchoredCallWithBob(commands, config.twilio.callerId, database);
  const recorded = (conferenceSid: string) => recordedParticipants(database, conferenceSid);

  /** The sandbox's own view: every participant (ringing ones too) with its label and hold flag. */
  async function atSandbox(conferenceSid: string): Promise<Array<{ callSid: string; label: string | null; hold: boolean; status: string }>> {
    const list = await commands.listParticipants(conferenceSid);
    return list.map((p) => ({ callSid: p.callSid, label: p.label, hold: p.hold, status: p.status })).sort((a, b) => a.callSid.localeCompare(b.callSid));
  }

  async function transferRecord(transferId: string): Promise<{ status: string; miss_reason: string | null; outcome: string | null }> {
    const [row] = rowsOf(await database.db.execute(sql`SELECT status, miss_reason, outcome FROM transfers WHERE transfer_id = ${transferId}`));
    return row as { status: string; miss_reason: string | null; outcome: string | null };
  }

  const transfer = (callSid: string, cookie: string, target: unknown) => fetch(`${apiUrl}${API_ROUTES.calls.transfer(callSid)}`, {
    method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ target, mode: 'cold' }),
  });

  beforeAll(async () => {
    stack = await startApiOnSandboxCallbackOrigin(engine, {
      dataDirPrefix: 'cold-transfer-',
      // The shortest ring Twilio allows, so the unanswered transfer comes back quickly.
      env: { DIAL_TIMEOUT_SECONDS: '5' },
    });
    ({ config, url: apiUrl, database } = stack);
    commands = new TwilioConferenceCommands(config);
    const api = { url: apiUrl, config } as Parameters<typeof signIn>[0];
    [bob, alice] = [await signIn(api, 'bob'), await signIn(api, 'alice')];
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('transfers to a number that answers: bob is removed, the customer (resumed) and the number remain', async () => {
    const { conferenceSid, customer, bobLeg } = await anchoredCall();
    // Alice is not in the call: 404, nothing dialled.
    const refused = await transfer(bobLeg, alice, { kind: 'number', number: SANDBOX_NUMBERS.answersAndEchoes });
    expect([refused.status, ((await refused.json()) as CallControlErrorBody).code]).toEqual([404, 'not-a-participant']);
    expect((await atSandbox(conferenceSid)).map((p) => p.callSid)).toEqual([customer, bobLeg].sort());

    const response = await transfer(bobLeg, bob, { kind: 'number', number: SANDBOX_NUMBERS.answersAndEchoes });
    expect(response.status).toBe(200);
    const answer = await response.json() as TransferResponse;
    expect(answer).toEqual({ callSid: bobLeg, transferId: expect.any(String), mode: 'cold', status: 'ringing-target', targetDisplay: SANDBOX_NUMBERS.answersAndEchoes });

    await eventually(() => transferRecord(answer.transferId), (row) => row.status === 'answered', 'the transfer answered');
    const [target] = await eventually(async () => (await atSandbox(conferenceSid)).filter((p) => p.label === 'transfer-target'),
      (found) => found.length === 1 && found[0].status === 'connected', 'the number connected');
    const remaining = await eventually(() => atSandbox(conferenceSid), (list) => list.length === 2 && list.every((p) => !p.hold), 'bob removed, the customer resumed');
    expect(remaining).toEqual([
      { callSid: customer, label: 'customer', hold: false, status: 'connected' },
      { callSid: target.callSid, label: 'transfer-target', hold: false, status: 'connected' },
    ].sort((a, b) => a.callSid.localeCompare(b.callSid)));
    expect(await eventually(() => recorded(conferenceSid), (rows) => !rows.includes(bobLeg) && rows.length === 2, 'the record without bob'))
      .toEqual([customer, target.callSid].sort());
    expect(await transferRecord(answer.transferId)).toEqual({ status: 'answered', miss_reason: null, outcome: 'transferred' });
    await commands.completeConference(conferenceSid);
  });

  it('transfers to a number that never answers: the customer is held while it rings, a second transfer is refused, then the call returns to bob with no-answer', async () => {
    const { conferenceSid, customer, bobLeg } = await anchoredCall();
    const response = await transfer(bobLeg, bob, { kind: 'number', number: SANDBOX_NUMBERS.noAnswer });
    expect(response.status).toBe(200);
    const answer = await response.json() as TransferResponse;
    expect(answer.status).toBe('ringing-target');
    expect((await atSandbox(conferenceSid)).find((p) => p.callSid === customer)?.hold).toBe(true);
    // One transfer rings at a time.
    const second = await transfer(bobLeg, bob, { kind: 'number', number: SANDBOX_NUMBERS.answersAndEchoes });
    expect([second.status, ((await second.json()) as CallControlErrorBody).code]).toEqual([409, 'target-unavailable']);

    expect(await eventually(() => transferRecord(answer.transferId), (row) => row.status !== 'ringing-target', 'the transfer settled'))
      .toEqual({ status: 'returned-to-you', miss_reason: 'no-answer', outcome: 'returned' });
    const back = await eventually(() => atSandbox(conferenceSid), (list) => list.length === 2 && list.every((p) => !p.hold), 'the customer resumed with bob');
    expect(back.map((p) => [p.callSid, p.label])).toEqual([[customer, 'customer'], [bobLeg, 'client:bob']].sort((a, b) => a[0].localeCompare(b[0])));
    await commands.completeConference(conferenceSid);
  });

  it('refuses a premium number with 422 number-refused (blocked-prefix), audited, and malformed requests with 400; nothing dialled or held', async () => {
    const { conferenceSid, customer, bobLeg } = await anchoredCall();
    const premium = '+19005550100';
    const response = await transfer(bobLeg, bob, { kind: 'number', number: premium });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ statusCode: 422, code: 'number-refused', reason: 'blocked-prefix' });
    expect(await atSandbox(conferenceSid)).toEqual([
      { callSid: customer, label: 'customer', hold: false, status: 'connected' },
      { callSid: bobLeg, label: 'client:bob', hold: false, status: 'connected' },
    ].sort((a, b) => a.callSid.localeCompare(b.callSid)));
    // A number not in E.164 and an unknown mode are malformed requests: 400, not audited, nothing dialled.
    for (const body of [{ target: { kind: 'number', number: '9005550100' }, mode: 'cold' }, { target: { kind: 'agent', identity: 'alice' }, mode: 'blind' }]) {
      const malformed = await fetch(`${apiUrl}${API_ROUTES.calls.transfer(bobLeg)}`, { method: 'POST', headers: { cookie: bob, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect([malformed.status, ((await malformed.json()) as CallControlErrorBody).code]).toEqual([400, 'invalid-request']);
    }
    const audit = rowsOf(await database.db.execute(sql`SELECT agent_identity, reason FROM outbound_call_refusals WHERE to_number = ${premium}`));
    expect(audit).toEqual([{ agent_identity: 'bob', reason: 'blocked-prefix' }]);
    expect(rowsOf(await database.db.execute(sql`SELECT 1 FROM transfers WHERE conference_sid = ${conferenceSid}`))).toEqual([]);
    await commands.completeConference(conferenceSid);
  });
});
