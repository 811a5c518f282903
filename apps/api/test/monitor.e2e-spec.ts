import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AppConfig } from '@switchboard/api-data-access-config';
import type { Database } from '@switchboard/api-data-access-db';
import type { ConferenceCommands, ConferenceSummary } from '@switchboard/api-data-access-telephony';
import { TwilioConferenceCommands, twilioRestClient } from '@switchboard/api-twilio-adapter';
import {
  API_ROUTES, FLOOR_EVENTS, MONITOR_PARAMS, WEBHOOK_ROUTES, type ApiErrorBody, type MonitorMode, type MonitorState,
} from '@switchboard/shared-contracts';
import { SANDBOX_NUMBERS } from '@switchboard/shared-sandbox-defaults';
import { getExpectedTwilioSignature } from 'twilio';
import { ENGINES, parseTwiml, postWebhook, signIn, type TestApi } from './support';
import { startApiOnSandboxCallbackOrigin, type ApiWithSandbox } from './support/api-on-sandbox-callback-origin';
import { freePort } from './support/free-port';
import { LiveEventReader } from './support/live-event-reader';
import { eventually, recordedParticipants } from './support/transfer-call';

/**
 * Listen, whisper and barge over real HTTP, against the real voice sandbox (its leg audio meter on:
 * SANDBOX_FAULTS=on), the API listening on the origin the sandbox calls back. Every party is a scripted
 * number that answers with a tone, so the meter says who hears whom:
 * - the customer: a call whose TwiML (served by this spec's relay, as the API's incoming webhook would)
 *   anchors it in `sb-<its CallSid>`, labelled customer;
 * - bob: a leg dialled into that conference labelled `client:bob`, as a softphone leg is;
 * - sam's softphone call: a call from `client:sam` whose TwiML is the API's own answer to the outgoing
 *   webhook carrying MONITOR_PARAMS (the relay adds them as the SDK's custom parameters, signed as Twilio
 *   signs), so the monitor TwiML under test is what the sandbox runs.
 */

interface LegAudio {
  readonly frames: number;
  readonly sources: Readonly<Record<string, { readonly rms: number }>>;
}

/** What the sandbox's meter says `callSid` was sent over the last second; null while it is in no live conference. */
function legAudio(sandboxUrl: string, callSid: string): Promise<LegAudio | null> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${sandboxUrl}/sandbox/calls/${callSid}/audio?windowMs=1000`, { rejectUnauthorized: false }, (res) => {
      let text = '';
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text) as LegAudio) : res.statusCode === 404 ? resolve(null) : reject(new Error(`meter answered ${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

const hears = (audio: LegAudio | null, callSid: string): boolean => (audio?.sources[callSid]?.rms ?? 0) > 0;
/** A full window (50 ticks of 20 ms): the leg has been in the conference for all of the last second. */
const FULL_WINDOW_FRAMES = 50;

/**
 * The TwiML the sandbox fetches for the scripted calls: `/customer` anchors the call as the API's incoming
 * webhook does; `/monitor?customer=…&mode=…` forwards to the API's outgoing webhook what the sandbox sent
 * plus MONITOR_PARAMS, signed as Twilio signs, and answers the API's TwiML.
 */
async function startRelay(api: { url: string; config: AppConfig }): Promise<{ url: string; server: Server }> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const params = Object.fromEntries(new URLSearchParams(body));
    const url = new URL(req.url ?? '/', 'http://relay');
    let twiml: string;
    if (url.pathname === '/customer') {
      const callback = `${api.url}${WEBHOOK_ROUTES.conferenceStatus}`;
      twiml = `<?xml version="1.0" encoding="UTF-8"?><Response><Dial action="${api.url}${WEBHOOK_ROUTES.dialComplete}?anchor=exit" method="POST">`
        + `<Conference participantLabel="customer" startConferenceOnEnter="false" endConferenceOnExit="true" beep="false" waitUrl=""`
        + ` statusCallback="${callback}" statusCallbackMethod="POST" statusCallbackEvent="start end join leave mute hold">sb-${params['CallSid']}</Conference></Dial></Response>`;
    } else {
      const forwarded = {
        ...params, [MONITOR_PARAMS.callSid]: url.searchParams.get('customer') ?? '', [MONITOR_PARAMS.mode]: url.searchParams.get('mode') ?? '',
      };
      const target = `${api.url}${WEBHOOK_ROUTES.outgoing}`;
      const answer = await fetch(target, {
        method: 'POST', body: new URLSearchParams(forwarded),
        headers: { 'X-Twilio-Signature': getExpectedTwilioSignature(api.config.twilio.authToken, target, forwarded) },
      });
      twiml = await answer.text();
    }
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(twiml);
  };
  const server = createServer((req, res) => void handle(req, res).catch((error: unknown) => {
    res.writeHead(500);
    res.end(String(error));
  }));
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, server };
}

describe.each(ENGINES)('listen, whisper and barge against the voice sandbox (%s)', (engine) => {
  let stack: ApiWithSandbox;
  let config: AppConfig;
  let database: Database;
  let commands: ConferenceCommands;
  let relay: { url: string; server: Server };
  let cookies: Record<'bob' | 'sam', string>;

  const putMode = (customerCallSid: string, cookie: string, mode: unknown) => fetch(`${stack.url}${API_ROUTES.monitor(customerCallSid)}`, {
    method: 'PUT', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ mode }),
  });
  /** A scripted call that answers with a tone and then runs the relay's TwiML at `path`. */
  const scriptedCall = async (from: string, path: string): Promise<string> => {
    const call = await twilioRestClient(config).calls.create({ to: SANDBOX_NUMBERS.answersWithTone, from, url: `${relay.url}${path}`, timeout: 20 });
    return call.sid;
  };
  const meter = (callSid: string) => legAudio(stack.sandbox.url, callSid);

  beforeAll(async () => {
    stack = await startApiOnSandboxCallbackOrigin(engine, { dataDirPrefix: 'monitor-', sandboxEnv: { SANDBOX_FAULTS: 'on' } });
    ({ config, database } = stack);
    commands = new TwilioConferenceCommands(config);
    relay = await startRelay(stack);
    const api = { url: stack.url, config } as Parameters<typeof signIn>[0];
    cookies = { bob: await signIn(api, 'bob'), sam: await signIn(api, 'sam') };
  }, 240_000); // a hang guard only: the sandbox and the embedded engine start slowly on a loaded machine

  afterAll(async () => {
    await new Promise((resolve) => relay?.server.close(resolve));
    await stack?.close();
  });

  /** The customer anchored in sb-<its CallSid> and bob's leg in it, both recorded by the API. */
  async function customerWithBob(): Promise<{ customer: string; conferenceSid: string; bobLeg: string }> {
    const customer = await scriptedCall(config.twilio.callerId, '/customer');
    const conference = await eventually(() => commands.findConferenceByName(`sb-${customer}`), (found) => found !== null, "the customer's conference") as ConferenceSummary;
    const bob = await commands.addParticipant({
      conference: { sid: conference.sid }, to: SANDBOX_NUMBERS.answersWithTone, from: config.twilio.callerId, label: 'client:bob',
      timeoutSeconds: 20, startConferenceOnEnter: true, endConferenceOnExit: false, beep: false,
      callStatusCallback: { path: WEBHOOK_ROUTES.status }, conferenceStatusCallback: { path: WEBHOOK_ROUTES.conferenceStatus },
      conferenceEvents: ['start', 'end', 'join', 'leave', 'mute', 'hold'],
    });
    await eventually(() => recordedParticipants(database, conference.sid), (rows) => rows.length === 2, 'the customer and bob recorded');
    return { customer, conferenceSid: conference.sid, bobLeg: bob.callSid };
  }

  it('refuses, spoken, an agent asking to monitor and a call nobody is on; the mode route refuses agents, bad modes, unknown calls and a supervisor not monitoring', async () => {
    const { customer, conferenceSid } = await customerWithBob();
    const asking = (from: string, customerCallSid: string) => postWebhook({ url: stack.url, config } as TestApi, WEBHOOK_ROUTES.outgoing, {
      CallSid: `CA${'e'.repeat(32)}`, From: from, To: '', [MONITOR_PARAMS.callSid]: customerCallSid, [MONITOR_PARAMS.mode]: 'listen',
    }, { signedUrl: `${stack.url}${WEBHOOK_ROUTES.outgoing}` });
    const spoken = async (response: Response) => {
      const twiml = parseTwiml(await response.text());
      expect(twiml['Dial']).toBeUndefined();
      return (twiml['Say'] as string[]).join(' ');
    };
    expect(await spoken(await asking('client:bob', customer))).toMatch(/^Only supervisors/);
    expect(await spoken(await asking('client:sam', `CA${'d'.repeat(32)}`))).toMatch(/no agent is on it/);

    expect((await putMode(customer, cookies.bob, 'listen')).status).toBe(403);
    const badMode = await putMode(customer, cookies.sam, 'shout');
    expect([badMode.status, (await badMode.json() as ApiErrorBody).field]).toEqual([400, 'mode']);
    expect((await putMode(`CA${'d'.repeat(32)}`, cookies.sam, 'listen')).status).toBe(404);
    expect((await putMode(customer, cookies.sam, 'listen')).status).toBe(409); // sam has not joined
    await commands.completeConference(conferenceSid);
  }, 90_000);

  it('listen: sam hears both and nobody hears him; whisper: bob hears him, the customer does not; barge: both do; bob is told each mode', async () => {
    const { customer, conferenceSid, bobLeg } = await customerWithBob();
    const bobStream = await LiveEventReader.open(stack.url, cookies.bob);
    try {
      const samLeg = await scriptedCall('client:sam', `/monitor?customer=${customer}&mode=listen`);

      // Listen: once sam has been in for a whole second, hearing both, neither the customer nor bob heard him in it.
      await eventually(() => meter(samLeg), (audio) => audio !== null && audio.frames === FULL_WINDOW_FRAMES && hears(audio, customer) && hears(audio, bobLeg),
        'sam hears the customer and bob for a whole second');
      const [customerHeard, bobHeard] = [await meter(customer), await meter(bobLeg)];
      expect([hears(customerHeard, bobLeg), hears(customerHeard, samLeg), customerHeard?.sources[samLeg]]).toEqual([true, false, undefined]);
      expect([hears(bobHeard, customer), bobHeard?.sources[samLeg]]).toEqual([true, undefined]);
      const monitored = (mode: MonitorMode) => bobStream.waitFor(FLOOR_EVENTS.monitor, (data) => data.mode === mode);
      expect((await monitored('listen')).data).toEqual({ customerCallSid: customer, supervisor: 'sam', supervisorDisplayName: 'Sam Supervisor', mode: 'listen' });

      // Whisper: bob hears sam; the customer, over the same second, does not.
      const whisper = await putMode(customer, cookies.sam, 'whisper');
      expect(whisper.status).toBe(200);
      expect(await whisper.json() as MonitorState).toEqual({ customerCallSid: customer, supervisor: 'sam', callSid: samLeg, mode: 'whisper' });
      await eventually(() => meter(bobLeg), (audio) => hears(audio, samLeg), 'bob hears sam whisper');
      expect((await meter(customer))?.sources[samLeg]).toBeUndefined();
      await monitored('whisper');

      // Barge: everyone hears everyone.
      expect((await putMode(customer, cookies.sam, 'barge')).status).toBe(200);
      await eventually(() => meter(customer), (audio) => hears(audio, samLeg) && hears(audio, bobLeg), 'the customer hears sam and bob');
      expect(hears(await meter(bobLeg), samLeg)).toBe(true);
      await monitored('barge');
    } finally {
      bobStream.close();
      await commands.completeConference(conferenceSid).catch(() => undefined);
    }
  }, 120_000);
});
