import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import type { LegStatus } from '@switchboard/sandbox-model';
import {
  ConferenceRooms, FakeClock, FakeLeg, FakeSpeech, FakeTelephonyCore, FakeWebhooks, LiveCallRegistry, MemoryLogger,
  MemoryRecordingStore, StatusCallbackSender,
} from '@switchboard/sandbox-twiml-engine';
import { createSandboxRestHandler } from './rest-handler';
import { failure } from '../testing/conference-rest-server';

const AC = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const TOKEN = '8c514220389604b8a422ec618db0f784';
const APP = 'http://127.0.0.1:3000';
const EVENTS = `${APP}/conference-events`;

/**
 * Twilio redirects any in-progress call by `POST /Calls/{Sid}.json Url=…`, whatever created it
 * (21220 "Invalid call state" is for a call that is not in progress). A call the Participants
 * resource dialled is such a call: the redirect takes it out of its conference and runs the new TwiML.
 * The whole REST handler with the real conferences, driven by the real twilio client.
 */
describe('Calls update of a call created by the Participants resource', () => {
  let server: Server;
  let client: ReturnType<typeof twilio>;
  let t: ReturnType<typeof setup>;

  function setup() {
    const clock = new FakeClock(Date.UTC(2026, 11, 6, 8, 0, 0));
    const core = new FakeTelephonyCore();
    const webhooks = new FakeWebhooks();
    const log = new MemoryLogger();
    const speech = new FakeSpeech();
    const engine = {
      core, webhooks, clock, speech, audio: { fetch: jest.fn() }, recordings: new MemoryRecordingStore(), log,
      liveCalls: new LiveCallRegistry(), publicOrigin: 'https://127.0.0.1:8443',
    };
    const rooms = new ConferenceRooms(engine);
    const handle = createSandboxRestHandler({
      config: { accounts: [{ accountSid: AC, authToken: TOKEN, apiKeys: [] }], publicOrigin: 'https://127.0.0.1:8443' },
      core, engine: { ...engine, conferences: rooms }, statusCallbacks: new StatusCallbackSender({ webhooks, log }), conferences: rooms,
    });
    return { clock, core, webhooks, speech, rooms, handle };
  }

  beforeEach(async () => {
    t = setup();
    server = createServer(async (req, res) => {
      if (!(await t.handle(req, res))) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = twilio(AC, TOKEN);
    client.api.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** An agent in `support-7` (its leg from TwiML), then a customer the Participants resource dials. */
  async function customerDialled() {
    const agent = new FakeLeg(t.clock, `CA${'a'.repeat(32)}`, AC);
    void t.rooms.joinFromTwiml(agent, {
      name: 'support-7', startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, muted: false, waitMethod: 'POST',
      maxParticipants: 250, statusCallback: { url: EVENTS, method: 'POST', events: ['join', 'leave'] },
    });
    const participant = await client.conferences('support-7').participants.create({
      from: '+14155550100', to: '+14155550111', label: 'customer', endConferenceOnExit: false,
    });
    const { callSid } = participant;
    const status = (value: LegStatus) =>
      t.core.emit({ callSid, status: value, at: t.clock.now(), details: { accountSid: AC, from: '+14155550100', to: '+14155550111', direction: 'outbound-api' } });
    const answer = () => {
      const leg = new FakeLeg(t.clock, callSid, AC, '+14155550100', '+14155550111', 'outbound-api');
      t.core.originated[0].onAnswered(leg);
      status('in-progress');
      return leg;
    };
    return { agent, callSid, conferenceSid: participant.conferenceSid, status, answer };
  }

  const leaveEvents = () =>
    t.webhooks.notifications.filter((n) => n.params['StatusCallbackEvent'] === 'participant-leave').map((n) => n.params['CallSid']);

  it('an in-progress participant call leaves its conference (participant-leave) and runs the new TwiML', async () => {
    t.webhooks.serve(`${APP}/voicemail`, '<Response><Say>Please leave a message</Say><Pause length="60"/></Response>');
    const { agent, callSid, conferenceSid, answer } = await customerDialled();
    const customer = answer();
    expect((await client.conferences(conferenceSid).participants.list()).map((p) => p.callSid).sort()).toEqual([agent.callSid, callSid].sort());

    const updated = await client.calls(callSid).update({ url: `${APP}/voicemail`, method: 'POST' });
    expect(updated).toMatchObject({ sid: callSid, status: 'in-progress' });
    await t.clock.advance(0);

    expect(leaveEvents()).toEqual([callSid]);
    expect((await client.conferences(conferenceSid).participants.list()).map((p) => p.callSid)).toEqual([agent.callSid]);
    const fetched = t.webhooks.requests.find((r) => r.url === `${APP}/voicemail`);
    expect(fetched?.params).toMatchObject({ CallSid: callSid, AccountSid: AC, CallStatus: 'in-progress', Direction: 'outbound-api' });
    expect(t.speech.spoken).toEqual(['Please leave a message']);
    expect(customer.ended.aborted).toBe(false); // the call goes on with its new TwiML, not hung up
    expect((await client.conferences(conferenceSid).fetch()).status).toBe('in-progress'); // the agent is still there

    // Now a TwiML call like any other: a second redirect replaces the running document.
    t.webhooks.serve(`${APP}/bye`, '<Response><Hangup/></Response>');
    await client.calls(callSid).update({ url: `${APP}/bye` });
    await t.clock.advance(0);
    expect(customer.ended.aborted).toBe(true);
  });

  it('without a redirect, the participant call still ends when it leaves the conference', async () => {
    const { callSid, conferenceSid, answer } = await customerDialled();
    const customer = answer();
    await client.conferences(conferenceSid).participants(callSid).remove();
    await t.clock.advance(0);
    expect(customer.ended.aborted).toBe(true);
    expect(t.webhooks.requests).toEqual([]);
  });

  it('answers 21220 while the participant call is queued or ringing, and once it has completed', async () => {
    t.webhooks.serve(`${APP}/voicemail`, '<Response><Pause length="60"/></Response>');
    const { callSid, status, answer } = await customerDialled();
    status('queued');
    expect(await failure(client.calls(callSid).update({ url: `${APP}/voicemail` }))).toEqual({ status: 400, code: 21220 });
    status('ringing');
    expect(await failure(client.calls(callSid).update({ url: `${APP}/voicemail` }))).toEqual({ status: 400, code: 21220 });
    const customer = answer();
    customer.farEndHangsUp();
    status('completed');
    await t.clock.advance(0);
    expect(await failure(client.calls(callSid).update({ url: `${APP}/voicemail` }))).toEqual({ status: 400, code: 21220 });
    expect(await failure(client.calls(`CA${'9'.repeat(32)}`).update({ url: `${APP}/voicemail` }))).toEqual({ status: 404, code: 20404 });
    expect(t.webhooks.requests).toEqual([]);
    expect(leaveEvents()).toEqual([callSid]); // it left when it hung up, not because of a redirect
  });
});
