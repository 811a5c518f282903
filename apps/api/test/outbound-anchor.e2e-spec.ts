import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rowsOf, type Database } from '@switchboard/api-data-access-db';
import type { ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { TwilioConferenceCommands, TwilioRestDialer } from '@switchboard/api-twilio-adapter';
import { API_ROUTES, WEBHOOK_ROUTES, type HoldResponse } from '@switchboard/shared-contracts';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { sql } from 'drizzle-orm';
import { getExpectedTwilioSignature } from 'twilio';
import { ENGINES, signIn } from './support';
import { startApiOnSandboxCallbackOrigin, type ApiWithSandbox } from './support/api-on-sandbox-callback-origin';
import { eventually as eventuallyWithin } from './support/eventually';

/**
 * An agent's phone call with CUSTOMER_CALL_ANCHOR=conference, over real HTTP against the real voice sandbox
 * (started from its own entry point) and the API on the origin it calls back. Bob's softphone leg is played
 * by a sandbox call from `client:bob` to a scripted number that answers with a tone; its TwiML and status
 * callbacks go through a TwiML App stand-in that, as Twilio's TwiML App does with the SDK's connect params,
 * hands the API's outgoing and status webhooks From=client:bob and To=<the number bob dialled> (signed with
 * the account's token). The API then anchors bob's leg in `sb-<bob's CallSid>` and dials the number into it.
 */
const DIAL_TIMEOUT_SECONDS = 5;
const eventually = <T>(read: () => Promise<T>, check: (value: T) => boolean, what: string) => eventuallyWithin(read, check, what, { timeoutMs: 45_000, intervalMs: 100 });

interface TwimlAppStandIn { readonly origin: string; close(): Promise<void> }

/** The stand-in's routes: the API webhook each forwards to. */
const STAND_IN_ROUTES: Readonly<Record<string, string>> = { '/voice': WEBHOOK_ROUTES.outgoing, '/status': WEBHOOK_ROUTES.status };

/** `POST /voice|/status?to=<number>`: forwards the sandbox's request to the API's webhook as From=client:bob, To=<number>. */
async function startTwimlApp(stack: ApiWithSandbox): Promise<TwimlAppStandIn> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const form = Object.fromEntries(new URLSearchParams(await bodyOf(req)));
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const route = STAND_IN_ROUTES[url.pathname];
      if (!route) throw new Error(`no stand-in route ${url.pathname}`);
      const params = { ...form, From: 'client:bob', To: url.searchParams.get('to') ?? '' };
      const signature = getExpectedTwilioSignature(stack.config.twilio.authToken, `${stack.url}${route}`, params);
      const answer = await fetch(`${stack.url}${route}`, { method: 'POST', body: new URLSearchParams(params), headers: { 'X-Twilio-Signature': signature } });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/xml' });
      res.end(await answer.text());
    })().catch((error: unknown) => { res.writeHead(500); res.end(String(error)); });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((closed) => server.close(() => closed())) };
}

function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let text = '';
    req.on('data', (chunk) => { text += chunk; });
    req.on('end', () => resolveBody(text));
    req.on('error', reject);
  });
}

describe.each(ENGINES)("an agent's phone call anchored in a conference, against the voice sandbox (%s)", (engine) => {
  let stack: ApiWithSandbox;
  let database: Database;
  let commands: ConferenceCommands;
  let twimlApp: TwimlAppStandIn;
  let bob: string;
  const rows = async <T>(query: ReturnType<typeof sql>) => rowsOf(await database.db.execute(query)) as T[];
  const callRow = (callSid: string) => rows<{ from_number: string; to_number: string; status: string }>(sql`
    SELECT from_number, to_number, status FROM calls WHERE call_sid = ${callSid}`);
  const historyOfBob = async () => ((await (await fetch(`${stack.url}${API_ROUTES.calls.list}`, { headers: { cookie: bob } })).json()) as {
    items: Array<{ callSid: string; to: string; status: string }>;
  }).items;

  /** Bob "dials" `number` from his softphone: his leg (a sandbox call that answers) runs the API's TwiML. */
  async function bobDials(number: string): Promise<string> {
    const dialer = new TwilioRestDialer(stack.config);
    const { callSid } = await dialer.ring({
      to: SANDBOX_NUMBERS.answersWithTone, from: 'client:bob', url: `${twimlApp.origin}/voice?to=${encodeURIComponent(number)}`, timeoutSeconds: 10,
      statusCallbackUrl: `${twimlApp.origin}/status?to=${encodeURIComponent(number)}`,
    });
    return callSid;
  }

  beforeAll(async () => {
    stack = await startApiOnSandboxCallbackOrigin(engine, {
      dataDirPrefix: 'outbound-anchor-',
      env: { CUSTOMER_CALL_ANCHOR: 'conference', DIAL_TIMEOUT_SECONDS: String(DIAL_TIMEOUT_SECONDS) },
    });
    ({ database } = stack);
    commands = new TwilioConferenceCommands(stack.config);
    twimlApp = await startTwimlApp(stack);
    bob = await signIn({ url: stack.url, config: stack.config } as Parameters<typeof signIn>[0], 'bob');
  }, 120_000);

  afterAll(async () => {
    await twimlApp?.close();
    await stack?.close();
  });

  it("puts bob's leg in his conference and adds the number as the customer; bob holds and resumes it; history shows one call", async () => {
    const bobLeg = await bobDials(SANDBOX_NUMBERS.answersAndEchoes);

    // The conference is named after bob's call; the number's leg, labelled customer, is what it anchors.
    const [conference] = await eventually(
      () => rows<{ conference_sid: string; anchor_call_sid: string | null }>(sql`SELECT conference_sid, anchor_call_sid FROM conferences WHERE friendly_name = ${`sb-${bobLeg}`}`),
      (found) => found.length === 1 && found[0].anchor_call_sid !== null, 'the conference anchoring the number');
    const customer = conference.anchor_call_sid as string;
    expect(customer).not.toBe(bobLeg);
    await eventually(
      () => rows<{ call_sid: string; label: string }>(sql`SELECT call_sid, label FROM conference_participants WHERE conference_sid = ${conference.conference_sid} AND left_at IS NULL ORDER BY label`),
      (found) => found.length === 2, 'both legs in the conference');
    expect(await rows(sql`SELECT call_sid, label FROM conference_participants WHERE conference_sid = ${conference.conference_sid} ORDER BY label`))
      .toEqual([{ call_sid: bobLeg, label: 'client:bob' }, { call_sid: customer, label: 'customer' }]);
    // Bob's call is the one call: to the number, bob its participant; the number's leg is dialled from the caller ID and belongs to nobody.
    expect(await callRow(bobLeg)).toEqual([expect.objectContaining({ from_number: 'client:bob', to_number: SANDBOX_NUMBERS.answersAndEchoes })]);
    await eventually(() => callRow(customer), (found) => found.length === 1, 'the number\'s leg recorded');
    expect(await callRow(customer)).toEqual([expect.objectContaining({ from_number: stack.config.twilio.callerId, to_number: SANDBOX_NUMBERS.answersAndEchoes })]);
    expect(await rows(sql`SELECT agent_identity FROM call_participants WHERE call_sid IN (${bobLeg}, ${customer}) ORDER BY call_sid = ${bobLeg} DESC`))
      .toEqual([{ agent_identity: 'bob' }]);

    // Call control finds the conference by bob's leg: hold and resume reach the number's leg at the provider.
    const hold = (held: boolean) => fetch(`${stack.url}${API_ROUTES.calls.hold(bobLeg)}`, {
      method: 'POST', headers: { cookie: bob, 'content-type': 'application/json' }, body: JSON.stringify({ hold: held }),
    });
    const sandboxHold = async () => (await commands.listParticipants(conference.conference_sid)).find((p) => p.callSid === customer)?.hold;
    const held = await hold(true);
    expect([held.status, await held.json() as HoldResponse]).toEqual([200, expect.objectContaining({ callSid: bobLeg, held: true })]);
    expect(await sandboxHold()).toBe(true);
    const resumed = await hold(false);
    expect([resumed.status, await resumed.json() as HoldResponse]).toEqual([200, expect.objectContaining({ callSid: bobLeg, held: false })]);
    expect(await sandboxHold()).toBe(false);

    // The number hangs up: the conference ends (it was joined with endConferenceOnExit), bob's leg leaves it and
    // completes, and his cap grant ends.
    await commands.endCall(customer, 'hang-up');
    await eventually(() => callRow(bobLeg), (found) => found[0]?.status === 'completed', "bob's call completed");
    await eventually(() => rows<{ ended: boolean }>(sql`SELECT ended_at IS NOT NULL AS ended FROM outbound_call_grants WHERE call_sid = ${bobLeg}`),
      (found) => found[0]?.ended === true, "bob's cap grant ended");
    const history = await historyOfBob();
    expect(history.filter((item) => item.callSid === bobLeg || item.callSid === customer))
      .toEqual([expect.objectContaining({ callSid: bobLeg, to: SANDBOX_NUMBERS.answersAndEchoes, status: 'completed' })]);
  }, 90_000);

  it.each([
    ['no-answer', SANDBOX_NUMBERS.noAnswer],
    ['busy', SANDBOX_NUMBERS.busy],
  ])('a number that ends %s: bob hears why, his leg ends, and his one call in history keeps that outcome', async (outcome, number) => {
    const bobLeg = await bobDials(number);

    // Bob's call is ended by the API (redirected to a spoken reason, then hung up), with the number's outcome recorded.
    const [bobCall] = await eventually(() => callRow(bobLeg), (found) => found[0]?.status === outcome, `bob's call recorded as ${outcome}`);
    expect(bobCall).toMatchObject({ from_number: 'client:bob', to_number: number });
    const numberLeg = await eventually(
      () => rows<{ call_sid: string; status: string }>(sql`SELECT call_sid, status FROM calls WHERE to_number = ${number} AND from_number = ${stack.config.twilio.callerId}`),
      (found) => found.length === 1 && found[0].status === outcome, `the number's leg ended ${outcome}`);
    // Bob's leg had joined his conference alone (the number never did), then was redirected out of it and is over;
    // its own `completed` does not replace the outcome.
    const participants = await rows<{ call_sid: string; label: string }>(sql`
      SELECT p.call_sid, p.label FROM conference_participants p JOIN conferences f ON f.conference_sid = p.conference_sid
      WHERE f.friendly_name = ${`sb-${bobLeg}`}`);
    expect(participants).toEqual([{ call_sid: bobLeg, label: 'client:bob' }]);
    await eventually(() => rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM call_events WHERE call_sid = ${bobLeg} AND call_status = 'completed'`),
      (found) => Number(found[0]?.n) === 1, "bob's leg completed at the provider");
    expect((await callRow(bobLeg))[0].status).toBe(outcome);
    await eventually(() => rows<{ ended: boolean }>(sql`SELECT ended_at IS NOT NULL AS ended FROM outbound_call_grants WHERE call_sid = ${bobLeg}`),
      (found) => found[0]?.ended === true, "bob's cap grant ended");
    // One call in bob's history: his, to the number, with the outcome; the number's leg is nobody's.
    const history = await historyOfBob();
    expect(history.filter((item) => item.callSid === bobLeg || item.callSid === numberLeg[0].call_sid))
      .toEqual([expect.objectContaining({ callSid: bobLeg, to: number, status: outcome })]);
  }, 90_000);
});
