import type { AppConfig } from '@switchboard/api-data-access-config';
import { rowsOf, type Database } from '@switchboard/api-data-access-db';
import { EVENT_BUS, type EventBus } from '@switchboard/api-data-access-live-events';
import type { ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { TwilioConferenceCommands } from '@switchboard/api-twilio-adapter';
import {
  API_ROUTES, CALL_CONTROL_EVENTS, type CallControlErrorBody, type CallTransferEvent, type ConsultActionResponse, type TransferResponse,
} from '@switchboard/shared-contracts';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { ENGINES, signIn } from './support';
import { startApiOnSandboxCallbackOrigin, type ApiWithSandbox } from './support/api-on-sandbox-callback-origin';
import { anchoredCallWithBob, eventually, recordedParticipants } from './support/transfer-call';

/**
 * Consult (warm transfer) over real HTTP, against the real voice sandbox started from its own entry point
 * (as cold-transfer.e2e-spec.ts does): the conference record and the target leg's status come from the
 * sandbox's own signed callbacks. A scripted customer is anchored in a conference, bob's leg (a scripted
 * number labelled `client:bob`, as a softphone leg is) joins it, and bob consults a scripted number, then
 * completes, cancels or makes it three-way. The sandbox's participants (who, held or not) are read with the
 * twilio client; the `call.transfer` events are read off the API's event bus.
 */

type SandboxParticipant = { label: string | null; hold: boolean; status: string };
const byLabel = (list: readonly SandboxParticipant[]) => [...list].sort((a, b) => (a.label ?? '').localeCompare(b.label ?? ''));

describe.each(ENGINES)('consult transfer over HTTP against the voice sandbox (%s)', (engine) => {
  let stack: ApiWithSandbox;
  let config: AppConfig;
  let apiUrl: string;
  let database: Database;
  let commands: ConferenceCommands;
  let bob: string;
  let alice: string;
  const events: CallTransferEvent[] = [];

  const anchoredCall = () => anchoredCallWithBob(commands, config.twilio.callerId, database);
  const recorded = (conferenceSid: string) => recordedParticipants(database, conferenceSid);

  /** The sandbox's own view: every participant (ringing ones too) with its label and hold flag. */
  async function atSandbox(conferenceSid: string): Promise<SandboxParticipant[]> {
    return byLabel((await commands.listParticipants(conferenceSid)).map((p) => ({ label: p.label, hold: p.hold, status: p.status })));
  }

  async function transferRecord(transferId: string): Promise<{ mode: string; status: string; miss_reason: string | null; outcome: string | null }> {
    const [row] = rowsOf(await database.db.execute(sql`SELECT mode, status, miss_reason, outcome FROM transfers WHERE transfer_id = ${transferId}`));
    return row as { mode: string; status: string; miss_reason: string | null; outcome: string | null };
  }

  const post = (path: string, cookie: string, body?: unknown) => fetch(`${apiUrl}${path}`, {
    method: 'POST', headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const consult = (callSid: string, cookie: string, number: string) => post(API_ROUTES.calls.transfer(callSid), cookie, { target: { kind: 'number', number }, mode: 'consult' });
  const act = (callSid: string, cookie: string, action: string) => post(API_ROUTES.calls.consult(callSid, action as 'complete'), cookie);
  const refusal = async (response: Response) => [response.status, ((await response.json()) as CallControlErrorBody).code];

  /** bob consults the echoing number; it answers and joins; the agents talk while the customer is held. */
  async function answeredConsult(conferenceSid: string, bobLeg: string): Promise<TransferResponse> {
    const response = await consult(bobLeg, bob, SANDBOX_NUMBERS.answersAndEchoes);
    expect(response.status).toBe(200);
    const answer = await response.json() as TransferResponse;
    expect(answer).toEqual({ callSid: bobLeg, transferId: expect.any(String), mode: 'consult', status: 'ringing-target', targetDisplay: SANDBOX_NUMBERS.answersAndEchoes });
    expect(await eventually(() => transferRecord(answer.transferId), (row) => row.status !== 'ringing-target', 'the consult answered'))
      .toEqual({ mode: 'consult', status: 'answered', miss_reason: null, outcome: null });
    expect(await eventually(() => atSandbox(conferenceSid), (list) => list.length === 3 && list.every((p) => p.status === 'connected'), 'the target connected')).toEqual([
      { label: 'client:bob', hold: false, status: 'connected' },
      { label: 'customer', hold: true, status: 'connected' },
      { label: 'transfer-target', hold: false, status: 'connected' },
    ]);
    return answer;
  }

  /** Ends the call and waits until the number's toll-fraud grant is released (bob may have one phone call at a time). */
  async function hangUpAll(conferenceSid: string): Promise<void> {
    await commands.completeConference(conferenceSid).catch(() => undefined);
    await eventually(async () => rowsOf(await database.db.execute(sql`SELECT 1 FROM outbound_call_grants WHERE agent_identity = 'bob' AND ended_at IS NULL`)).length,
      (open) => open === 0, "the number's grant released");
  }

  beforeAll(async () => {
    stack = await startApiOnSandboxCallbackOrigin(engine, { dataDirPrefix: 'consult-transfer-', env: { DIAL_TIMEOUT_SECONDS: '5' } });
    ({ config, url: apiUrl, database } = stack);
    commands = new TwilioConferenceCommands(config);
    stack.app.get<EventBus>(EVENT_BUS).subscribe(({ event, audience }) => {
      if (event.type === CALL_CONTROL_EVENTS.transfer && audience.agents?.includes('bob')) events.push(event.data as CallTransferEvent);
    });
    const api = { url: apiUrl, config } as Parameters<typeof signIn>[0];
    [bob, alice] = [await signIn(api, 'bob'), await signIn(api, 'alice')];
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('refuses an agent who is not in the call (404) and bad or untimely actions (400, 409); nothing changes', async () => {
    const { conferenceSid, customer, bobLeg } = await anchoredCall();
    const untouched = [{ label: 'client:bob', hold: false, status: 'connected' }, { label: 'customer', hold: false, status: 'connected' }];
    expect(await refusal(await consult(bobLeg, alice, SANDBOX_NUMBERS.answersAndEchoes))).toEqual([404, 'not-a-participant']);
    for (const action of ['complete', 'cancel', 'three-way']) {
      expect(await refusal(await act(bobLeg, alice, action))).toEqual([404, 'not-a-participant']);
      expect(await refusal(await act(customer, alice, action))).toEqual([404, 'not-a-participant']);
      // bob is in the call, but there is nothing to act on.
      expect(await refusal(await act(bobLeg, bob, action))).toEqual([409, 'target-unavailable']);
    }
    expect(await refusal(await act(bobLeg, bob, 'merge'))).toEqual([400, 'invalid-request']);
    expect(await refusal(await act('CA-not-a-sid', bob, 'complete'))).toEqual([400, 'invalid-request']);
    expect(await atSandbox(conferenceSid)).toEqual(untouched);
    expect(rowsOf(await database.db.execute(sql`SELECT 1 FROM transfers WHERE conference_sid = ${conferenceSid}`))).toEqual([]);

    // While bob consults, alice still may not finish it.
    const answer = await answeredConsult(conferenceSid, bobLeg);
    for (const action of ['complete', 'cancel', 'three-way']) expect(await refusal(await act(bobLeg, alice, action))).toEqual([404, 'not-a-participant']);
    expect(await transferRecord(answer.transferId)).toMatchObject({ status: 'answered', outcome: null });
    expect((await atSandbox(conferenceSid)).map((p) => [p.label, p.hold])).toEqual([['client:bob', false], ['customer', true], ['transfer-target', false]]);
    await hangUpAll(conferenceSid);
  });

  it('consult then complete: bob leaves, the customer is resumed with the target; bob was told ringing and answered', async () => {
    const { conferenceSid, customer, bobLeg } = await anchoredCall();
    const answer = await answeredConsult(conferenceSid, bobLeg);
    // A second transfer while the agents talk is refused.
    expect(await refusal(await consult(bobLeg, bob, SANDBOX_NUMBERS.answersWithTone))).toEqual([409, 'target-unavailable']);

    const completed = await act(bobLeg, bob, 'complete');
    expect([completed.status, await completed.json()]).toEqual([200, { callSid: bobLeg, action: 'complete', participants: [] } satisfies ConsultActionResponse]);
    expect(await eventually(() => atSandbox(conferenceSid), (list) => list.length === 2 && list.every((p) => !p.hold), 'bob gone, the customer resumed')).toEqual([
      { label: 'customer', hold: false, status: 'connected' },
      { label: 'transfer-target', hold: false, status: 'connected' },
    ]);
    const rows = await eventually(() => recorded(conferenceSid), (list) => !list.includes(bobLeg) && list.length === 2, 'the record without bob');
    expect(rows).toContain(customer);
    expect(await transferRecord(answer.transferId)).toEqual({ mode: 'consult', status: 'answered', miss_reason: null, outcome: 'completed' });
    // bob has left: he may no longer act on the call.
    expect(await refusal(await act(bobLeg, bob, 'cancel'))).toEqual([403, 'not-a-participant']);
    expect(events.filter((event) => event.transferId === answer.transferId)).toEqual(['ringing-target', 'answered'].map((status) => (
      { callSid: bobLeg, transferId: answer.transferId, mode: 'consult', status, targetDisplay: SANDBOX_NUMBERS.answersAndEchoes })));
    await hangUpAll(conferenceSid);
  });

  it('consult then cancel: the target leaves, the customer is resumed with bob; a ringing consult is withdrawn the same way', async () => {
    const { conferenceSid, bobLeg } = await anchoredCall();
    const answered = await answeredConsult(conferenceSid, bobLeg);
    const cancelled = await act(bobLeg, bob, 'cancel');
    expect(cancelled.status).toBe(200);
    expect((await cancelled.json() as ConsultActionResponse)).toMatchObject({ callSid: bobLeg, action: 'cancel' });
    const back = [{ label: 'client:bob', hold: false, status: 'connected' }, { label: 'customer', hold: false, status: 'connected' }];
    expect(await eventually(() => atSandbox(conferenceSid), (list) => list.length === 2 && list.every((p) => !p.hold), 'the target gone, the customer resumed')).toEqual(back);
    expect(await transferRecord(answered.transferId)).toEqual({ mode: 'consult', status: 'cancelled', miss_reason: null, outcome: 'cancelled' });
    await eventually(async () => events.filter((event) => event.transferId === answered.transferId).map((event) => event.status),
      (statuses) => statuses.length === 3, 'three events').then((statuses) => expect(statuses).toEqual(['ringing-target', 'answered', 'cancelled']));
    expect(await refusal(await act(bobLeg, bob, 'three-way'))).toEqual([409, 'target-unavailable']);
    await eventually(async () => rowsOf(await database.db.execute(sql`SELECT 1 FROM outbound_call_grants WHERE agent_identity = 'bob' AND ended_at IS NULL`)).length,
      (open) => open === 0, "the first number's grant released");

    // A number that never answers: cancelled while it rings, well before the ring timeout.
    const ringing = await consult(bobLeg, bob, SANDBOX_NUMBERS.noAnswer);
    const { transferId } = await ringing.json() as TransferResponse;
    expect((await atSandbox(conferenceSid)).find((p) => p.label === 'customer')?.hold).toBe(true);
    expect((await act(bobLeg, bob, 'cancel')).status).toBe(200);
    expect(await transferRecord(transferId)).toEqual({ mode: 'consult', status: 'cancelled', miss_reason: null, outcome: 'cancelled' });
    expect(await eventually(() => atSandbox(conferenceSid), (list) => list.length === 2 && list.every((p) => !p.hold), 'the ringing leg cancelled, the customer resumed')).toEqual(back);
    await hangUpAll(conferenceSid);
  });

  it('consult then three-way: the customer is resumed and everyone stays; the consult is finished', async () => {
    const { conferenceSid, bobLeg } = await anchoredCall();
    const answer = await answeredConsult(conferenceSid, bobLeg);
    const joined = await act(bobLeg, bob, 'three-way');
    expect(joined.status).toBe(200);
    const body = await joined.json() as ConsultActionResponse;
    expect(body).toMatchObject({ callSid: bobLeg, action: 'three-way' });
    expect(body.participants.map((p) => p.identity)).toContain('bob');
    expect(await eventually(() => atSandbox(conferenceSid), (list) => list.every((p) => !p.hold), 'the customer resumed')).toEqual([
      { label: 'client:bob', hold: false, status: 'connected' },
      { label: 'customer', hold: false, status: 'connected' },
      { label: 'transfer-target', hold: false, status: 'connected' },
    ]);
    expect(await transferRecord(answer.transferId)).toEqual({ mode: 'consult', status: 'answered', miss_reason: null, outcome: 'three-way' });
    expect(await eventually(() => recorded(conferenceSid), (list) => list.length === 3, 'all three recorded')).toContain(bobLeg);
    for (const action of ['complete', 'cancel']) expect(await refusal(await act(bobLeg, bob, action))).toEqual([409, 'target-unavailable']);
    await hangUpAll(conferenceSid);
  });
});
