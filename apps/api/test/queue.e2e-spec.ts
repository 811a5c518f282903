import { randomBytes } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { rowsOf, type Database } from '@switchboard/api-data-access-db';
import { PresenceStore } from '@switchboard/api-data-access-presence';
import { ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { API_ROUTES, FLOOR_EVENTS, WEBHOOK_ROUTES, type PresenceReport } from '@switchboard/shared-contracts';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { ENGINES } from './support';
import { startApiOnSandboxCallbackOrigin, type ApiWithSandbox } from './support/api-on-sandbox-callback-origin';
import { eventually as eventuallyWithin } from './support/eventually';
import { LiveEventReader } from './support/live-event-reader';
import { placeInboundCall } from './support/sandbox-from-source';

/**
 * The queue (issue 13, item 3) over the real voice sandbox started from its own entry point, routing by
 * availability (ROUTE_ONLY_AVAILABLE=true) with callers anchored in conferences. Nobody of the support group
 * is Available and reachable at first (agents start offline), so a caller is queued: their conference's wait
 * document is the queue-wait webhook, and the sandbox's `heardSpeech` (GET /sandbox/calls) shows what each
 * caller was told, round after round. An API e2e has no softphone: bob "answers" as the other API specs have an
 * agent answer, a scripted leg labelled `client:bob` joining the caller's conference (the REST leg the queue
 * rings to client:bob has no device to ring and ends unanswered).
 */
const DIAL_TIMEOUT_SECONDS = 5;
/** Long enough for two rounds of "caller number N" (speech, then the sandbox's 6.4 s hold music). */
const QUEUE_MAX_WAIT_SECONDS = 40;
/** A hang guard only: each step awaits its own condition. */
const TEST_TIMEOUT_MS = 240_000;
const UNANSWERED = ['no-answer', 'busy', 'failed', 'canceled'];
const position = (n: number) => `You are caller number ${n} in the queue. Please hold: the next available agent will take your call.`;

/** Polls until `check` holds: the API learns of the sandbox's callbacks asynchronously. */
const eventually = <T>(read: () => Promise<T>, check: (value: T) => boolean, what: string) =>
  eventuallyWithin(read, check, what, { timeoutMs: QUEUE_MAX_WAIT_SECONDS * 1000 + 20_000, intervalMs: 200 });

interface SandboxLeg { readonly callSid: string; readonly status: string; readonly heardSpeech: readonly string[] }
interface QueueRow { state: string; offered_to: string | null; tried: string[]; answered_by: string | null; answered_at: unknown; ended_at: unknown }

describe.each(ENGINES)('the queue, against the voice sandbox (%s)', (engine) => {
  let stack: ApiWithSandbox;
  let database: Database;
  let presenceTimer: ReturnType<typeof setInterval> | null = null;
  let sam: LiveEventReader | null = null;
  const rows = async <T>(query: ReturnType<typeof sql>) => rowsOf(await database.db.execute(query)) as T[];
  const queued = async (callSid: string) =>
    (await rows<QueueRow>(sql`SELECT state, offered_to, tried, answered_by, answered_at, ended_at FROM call_queue WHERE customer_call_sid = ${callSid}`))[0];

  beforeAll(async () => {
    stack = await startApiOnSandboxCallbackOrigin(engine, {
      dataDirPrefix: 'queue-',
      env: {
        CUSTOMER_CALL_ANCHOR: 'conference', ROUTE_ONLY_AVAILABLE: 'true', DIAL_TIMEOUT_SECONDS: String(DIAL_TIMEOUT_SECONDS),
        QUEUE_MAX_WAIT_SECONDS: String(QUEUE_MAX_WAIT_SECONDS),
      },
    });
    ({ database } = stack);
    sam = await LiveEventReader.open(stack.url, await signIn('sam'));
  }, 120_000);

  afterAll(async () => {
    if (presenceTimer) clearInterval(presenceTimer);
    sam?.close();
    await stack?.close();
  });

  async function signIn(identity: string): Promise<string> {
    const response = await fetch(`${stack.url}${API_ROUTES.auth.login}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity, password: 'switchboard-demo' }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${stack.config.sessions.cookieName}=`));
    return (cookie as string).split(';')[0];
  }

  const put = (path: string, cookie: string, body: unknown) =>
    fetch(`${stack.url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });

  /** The sandbox's view of one leg: its status and the `<Say>`s it heard in its conference's wait document. */
  function sandboxLeg(callSid: string): Promise<SandboxLeg | undefined> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(`${stack.sandbox.url}/sandbox/calls`, { rejectUnauthorized: false }, (res) => {
        let text = '';
        res.on('data', (chunk) => { text += chunk; });
        res.on('end', () => resolve((JSON.parse(text) as { legs: SandboxLeg[] }).legs.find((leg) => leg.callSid === callSid)));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Bob Available, and reachable as a softphone makes him: a registered Device reporting every 2 s. */
  const bobTab = `tab_${randomBytes(6).toString('hex')}`;
  async function bobBecomesAvailable(cookie: string): Promise<void> {
    const report: PresenceReport = { tabId: bobTab, device: 'registered', lifecycle: 'active' };
    const reportPresence = async () => {
      const answer = await put(API_ROUTES.presence, cookie, report);
      // PUT /api/presence is helper A's route; until it is served, the store it writes to is written directly.
      if (answer.status === 404) await stack.app.get(PresenceStore).report('bob', report, new Date());
      else expect(answer.status).toBe(200);
    };
    await reportPresence();
    presenceTimer = setInterval(() => void reportPresence().catch(() => undefined), 2000);
    expect((await put(API_ROUTES.availability, cookie, { state: 'available' })).status).toBe(200);
  }

  it("queues a caller nobody can take, who hears their position again each round; bob becomes available, is offered the call and answers", async () => {
    const { callSid } = await placeInboundCall(stack.sandbox.url, {
      from: SANDBOX_NUMBERS.customer, to: SANDBOX_NUMBERS.support, script: [{ wait: 300 }, { hangup: true }],
    });

    // Queued (every member offline), on the board: position 1.
    expect(await eventually(() => queued(callSid), (row) => row !== undefined, 'the caller queued')).toMatchObject({ state: 'waiting', tried: [] });
    const onBoard = await sam?.waitFor(FLOOR_EVENTS.queue, (data) => data.queue.some((call) => call.callSid === callSid));
    expect(onBoard?.data.queue).toEqual([expect.objectContaining({ callSid, position: 1, from: SANDBOX_NUMBERS.customer, target: 'group:support' })]);
    // Told their position, and again once the wait document ended and was fetched again.
    const told = await eventually(() => sandboxLeg(callSid), (leg) => (leg?.heardSpeech.length ?? 0) >= 2, 'the position said twice');
    expect(told?.heardSpeech.slice(0, 2)).toEqual([position(1), position(1)]);
    expect((await queued(callSid)).state).toBe('waiting');

    // Bob becomes Available and reachable: the queue offers him the call, ringing his softphone from the caller's number.
    const bob = await signIn('bob');
    await bobBecomesAvailable(bob);
    try {
      await bobOfferedAndAnswers(callSid);
    } finally {
      // Bob's tab closes: unreachable, so no later call is offered to him (whatever his state: on a call now).
      if (presenceTimer) clearInterval(presenceTimer);
      presenceTimer = null;
      await stack.app.get(PresenceStore).report('bob', { tabId: bobTab, device: 'destroyed', lifecycle: 'terminated' }, new Date());
      await stack.app.get(ConferenceCommands).endCall(callSid, 'hang-up').catch(() => undefined);
    }
  }, TEST_TIMEOUT_MS);

  async function bobOfferedAndAnswers(callSid: string): Promise<void> {
    // Offered to bob (tried is written by the offer only; the offer itself may already have ended, see below).
    expect(await eventually(() => queued(callSid), (row) => row.tried.includes('bob'), 'the call offered to bob')).toMatchObject({ tried: ['bob'] });
    // His softphone is rung from the caller's number. With no device to ring here, that leg ends unanswered
    // and the call goes back to waiting (bob tried), until bob's leg joins the caller's conference.
    const legs = await eventually(
      () => rows<{ from_number: string; status: string }>(sql`SELECT from_number, status FROM calls WHERE to_number = 'client:bob'`),
      (found) => found.length === 1 && UNANSWERED.includes(found[0].status), "bob's softphone rung, unanswered");
    expect(legs[0].from_number).toBe(SANDBOX_NUMBERS.customer);
    expect(await eventually(() => queued(callSid), (row) => row.state === 'waiting', 'back to waiting')).toMatchObject({ offered_to: null, tried: ['bob'] });

    // Bob's leg joins the caller's conference (as his softphone's would on answering): answered by bob.
    const commands = stack.app.get(ConferenceCommands);
    await commands.addParticipant({
      conference: { friendlyName: `sb-${callSid}` }, to: SANDBOX_NUMBERS.answersWithTone, from: stack.config.twilio.callerId, label: 'client:bob',
      timeoutSeconds: 20, startConferenceOnEnter: true, endConferenceOnExit: false, beep: false,
      callStatusCallback: { path: WEBHOOK_ROUTES.status }, conferenceStatusCallback: { path: WEBHOOK_ROUTES.conferenceStatus },
      conferenceEvents: ['start', 'end', 'join', 'leave'],
    });
    const answered = await eventually(() => queued(callSid), (row) => row.state === 'answered', 'the call answered');
    expect(answered).toMatchObject({ answered_by: 'bob', tried: ['bob'] });
    expect(answered.answered_at).not.toBeNull();
    await sam?.waitFor(FLOOR_EVENTS.queue, (data) => data.queue.length === 0);
  }

  it('gives two callers positions 1 and 2; the first hangs up (abandoned), the second moves up and reaches voicemail after QUEUE_MAX_WAIT_SECONDS', async () => {
    const first = await placeInboundCall(stack.sandbox.url, { from: SANDBOX_NUMBERS.customer, to: SANDBOX_NUMBERS.support, script: [{ wait: 300 }, { hangup: true }] });
    await eventually(() => queued(first.callSid), (row) => row !== undefined, 'the first caller queued');
    // The second "speaks" (a tone) all along: heard by nobody while queued, recorded once at the voicemail.
    const second = await placeInboundCall(stack.sandbox.url, {
      from: SANDBOX_NUMBERS.customer, to: SANDBOX_NUMBERS.support,
      script: [{ tone: { hz: 440, seconds: QUEUE_MAX_WAIT_SECONDS + 30 } }, { hangup: true }],
    });
    await eventually(() => queued(second.callSid), (row) => row !== undefined, 'the second caller queued');

    expect((await eventually(() => sandboxLeg(first.callSid), (leg) => (leg?.heardSpeech.length ?? 0) >= 1, 'the first told'))?.heardSpeech[0]).toBe(position(1));
    expect((await eventually(() => sandboxLeg(second.callSid), (leg) => (leg?.heardSpeech.length ?? 0) >= 1, 'the second told'))?.heardSpeech[0]).toBe(position(2));

    // The first hangs up while queued: abandoned, and the second is next.
    await stack.app.get(ConferenceCommands).endCall(first.callSid, 'hang-up');
    const abandoned = await eventually(() => queued(first.callSid), (row) => row.state === 'abandoned', 'the first abandoned');
    expect(abandoned.ended_at).not.toBeNull();
    expect(abandoned.answered_at).toBeNull();
    await sam?.waitFor(FLOOR_EVENTS.queue, (data) => data.queue.length === 1 && data.queue[0].callSid === second.callSid && data.queue[0].position === 1);
    await eventually(() => sandboxLeg(second.callSid), (leg) => leg?.heardSpeech.at(-1) === position(1), 'the second told they are next');

    // Nobody became available: after QUEUE_MAX_WAIT_SECONDS the second caller is sent to the group's voicemail.
    const voicemail = await eventually(() => queued(second.callSid), (row) => row.state === 'voicemail', 'the second sent to voicemail');
    expect(voicemail).toMatchObject({ tried: [], answered_at: null });
    const [message] = await eventually(
      () => rows<{ called_target: string }>(sql`SELECT called_target FROM voicemails WHERE call_sid = ${second.callSid}`),
      (found) => found.length === 1, "the second caller's voicemail stored");
    expect(message.called_target).toBe('group:support');
  }, TEST_TIMEOUT_MS);
});
