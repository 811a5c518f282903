import { rowsOf, type Database } from '@switchboard/api-data-access-db';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { ENGINES } from './support';
import { startApiOnSandboxCallbackOrigin, type ApiWithSandbox } from './support/api-on-sandbox-callback-origin';
import { eventually as eventuallyWithin } from './support/eventually';
import { placeInboundCall } from './support/sandbox-from-source';

/**
 * CUSTOMER_CALL_ANCHOR=conference over the real voice sandbox started from its own entry point (as
 * call-control.e2e-spec.ts does), the API listening on the origin the sandbox calls back. A scripted PSTN
 * caller dials the support line: the API anchors them in the conference `sb-<CallSid>` and rings the
 * support group's agents into it over REST. No agent has a registered device here, so every leg ends
 * unanswered and the caller is redirected to the group's voicemail, where their tone is recorded.
 * (An agent who answers in a real browser is the softphone e2e's case.)
 */
const DIAL_TIMEOUT_SECONDS = 5;
const UNANSWERED = ['no-answer', 'busy', 'failed', 'canceled'];

/** Polls until `check` holds: the API learns of the sandbox's callbacks asynchronously, and tells nobody. */
const eventually = <T>(read: () => Promise<T>, check: (value: T) => boolean, what: string) => eventuallyWithin(read, check, what, { timeoutMs: 45_000, intervalMs: 100 });

describe.each(ENGINES)('inbound calls anchored in a conference, against the voice sandbox (%s)', (engine) => {
  let stack: ApiWithSandbox;
  let database: Database;
  const rows = async <T>(query: ReturnType<typeof sql>) => rowsOf(await database.db.execute(query)) as T[];

  beforeAll(async () => {
    stack = await startApiOnSandboxCallbackOrigin(engine, {
      dataDirPrefix: 'conference-anchor-',
      env: { CUSTOMER_CALL_ANCHOR: 'conference', DIAL_TIMEOUT_SECONDS: String(DIAL_TIMEOUT_SECONDS) },
    });
    ({ database } = stack);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("rings the support group's agents into the caller's conference; none can answer, so the caller reaches the group's voicemail, and history shows one call", async () => {
    // The caller waits out the ringing, then "speaks" (a tone) through the greeting, the beep and the recording.
    const { callSid } = await placeInboundCall(stack.sandbox.url, {
      from: SANDBOX_NUMBERS.customer, to: SANDBOX_NUMBERS.support,
      script: [{ wait: DIAL_TIMEOUT_SECONDS + 2 }, { tone: { hz: 440, seconds: 12 } }, { hangup: true }],
    });

    // The call was recorded (before answering) for the group, whose members are the agents to ring.
    await eventually(() => rows(sql`SELECT 1 FROM calls WHERE call_sid = ${callSid}`), (found) => found.length === 1, 'the incoming call recorded');
    const members = (await rows<{ agent_identity: string }>(sql`SELECT agent_identity FROM call_participants WHERE call_sid = ${callSid} ORDER BY agent_identity`))
      .map((row) => row.agent_identity);
    expect(members.length).toBeGreaterThan(0);
    expect(await rows(sql`SELECT voicemail_target FROM calls WHERE call_sid = ${callSid}`)).toEqual([{ voicemail_target: 'group:support' }]);

    // The caller was anchored in the conference named after their call, labelled as the customer.
    const [conference] = await eventually(
      () => rows<{ conference_sid: string; anchor_call_sid: string | null }>(sql`SELECT conference_sid, anchor_call_sid FROM conferences WHERE friendly_name = ${`sb-${callSid}`}`),
      (found) => found.length === 1 && found[0].anchor_call_sid === callSid, 'the conference anchoring the caller');
    expect(await rows(sql`SELECT label FROM conference_participants WHERE conference_sid = ${conference.conference_sid} AND call_sid = ${callSid}`))
      .toEqual([{ label: 'customer' }]);

    // Every member was rung over REST, from the caller's number; each leg ended unanswered (nobody has a device).
    const legs = await eventually(
      () => rows<{ call_sid: string; from_number: string; to_number: string; status: string }>(sql`
        SELECT call_sid, from_number, to_number, status FROM calls WHERE to_number LIKE 'client:%' ORDER BY to_number`),
      (found) => found.length === members.length && found.every((leg) => UNANSWERED.includes(leg.status)), 'every agent leg ended unanswered');
    expect(legs.map((leg) => [leg.to_number, leg.from_number])).toEqual(members.map((identity) => [`client:${identity}`, SANDBOX_NUMBERS.customer]));

    // The caller was redirected to the group's voicemail: their message is stored for the support group.
    const [voicemail] = await eventually(
      () => rows<{ called_target: string; from_number: string; duration_seconds: number }>(sql`
        SELECT called_target, from_number, duration_seconds FROM voicemails WHERE call_sid = ${callSid}`),
      (found) => found.length === 1, 'the voicemail stored');
    expect(voicemail).toMatchObject({ called_target: 'group:support', from_number: SANDBOX_NUMBERS.customer });
    expect(Number(voicemail.duration_seconds)).toBeGreaterThan(0);

    // History shows one call: the agent legs belong to nobody's history, the caller's call to the group's members.
    const legSids = legs.map((leg) => leg.call_sid);
    expect(await rows(sql`SELECT 1 FROM call_participants WHERE call_sid IN (${sql.join(legSids.map((sid) => sql`${sid}`), sql`, `)})`)).toEqual([]);
    await eventually(() => rows<{ status: string }>(sql`SELECT status FROM calls WHERE call_sid = ${callSid}`),
      (found) => found[0]?.status === 'completed', 'the caller\'s call completed');
  }, 90_000);
});
