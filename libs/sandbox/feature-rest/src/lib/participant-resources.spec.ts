import type { ParticipantListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/conference/participant';
import { AC, failure, OTHER_AC, startConferenceRestServer, TOKEN } from '../testing/conference-rest-server';

const CB = 'http://127.0.0.1:9';
const COACHED = `CA${'c'.repeat(32)}`;

describe('Participant resource, driven by the real twilio client', () => {
  let sandbox: Awaited<ReturnType<typeof startConferenceRestServer>>;
  beforeEach(async () => {
    sandbox = await startConferenceRestServer();
  });
  afterEach(async () => {
    await sandbox.stop();
  });

  it('creates a participant in a conference named by its friendly name, passing every parameter on as the port names it', async () => {
    const participant = await sandbox.client.conferences('support call 7').participants.create({
      from: '+14155550100', to: 'client:bob', label: 'agent', timeout: 20, startConferenceOnEnter: true, endConferenceOnExit: false,
      beep: 'onEnter', muted: false, waitUrl: `${CB}/wait.xml`, waitMethod: 'GET', maxParticipants: 10,
      statusCallback: `${CB}/call-status`, statusCallbackMethod: 'GET', statusCallbackEvent: ['initiated', 'answered'],
      conferenceStatusCallback: `${CB}/conference-status`, conferenceStatusCallbackEvent: ['join', 'leave', 'hold'],
    });
    expect(sandbox.control.added).toEqual([{
      accountSid: AC, conference: 'support call 7', from: '+14155550100', to: 'client:bob', label: 'agent', timeoutSeconds: 20,
      startConferenceOnEnter: true, endConferenceOnExit: false, muted: false, beep: 'onEnter', waitUrl: `${CB}/wait.xml`, waitMethod: 'GET',
      coaching: false, callSidToCoach: undefined, maxParticipants: 10, earlyMedia: true,
      statusCallback: { url: `${CB}/conference-status`, method: 'POST', events: ['join', 'leave', 'hold'] },
      callStatusCallback: { url: `${CB}/call-status`, method: 'GET', events: ['initiated', 'answered'] },
    }]);
    const [conference] = await sandbox.client.conferences.list({ friendlyName: 'support call 7' });
    expect(participant).toMatchObject({
      accountSid: AC, conferenceSid: conference.sid, label: 'agent', status: 'queued', hold: false, muted: false, coaching: false,
      callSidToCoach: null, startConferenceOnEnter: true, endConferenceOnExit: false, queueTime: '0',
      uri: `/2010-04-01/Accounts/${AC}/Conferences/${conference.sid}/Participants/${participant.callSid}.json`,
    });
    expect(participant.callSid).toMatch(/^CA[0-9a-f]{32}$/);
  });

  it("applies Twilio's defaults, normalises a phone number, and coaches when CallSidToCoach is given", async () => {
    const { sid } = sandbox.control.seedConference(AC, 'support-1', 'in-progress');
    await sandbox.client.conferences(sid).participants.create({ from: 'client:alice', to: '+1 (415) 555-0101' });
    await sandbox.client.conferences(sid).participants.create({ from: '+14155550100', to: 'client:sup', callSidToCoach: COACHED });
    expect(sandbox.control.added[0]).toEqual({
      accountSid: AC, conference: sid, from: 'client:alice', to: '+14155550101', label: undefined, timeoutSeconds: 60,
      startConferenceOnEnter: true, endConferenceOnExit: false, muted: false, beep: true, waitUrl: undefined, waitMethod: 'POST',
      coaching: false, callSidToCoach: undefined, maxParticipants: undefined, statusCallback: undefined, callStatusCallback: undefined,
      earlyMedia: true, timeLimitSeconds: undefined,
    });
    expect(sandbox.control.added[1]).toMatchObject({ coaching: true, callSidToCoach: COACHED });
  });

  it('passes EarlyMedia and TimeLimit on (one minute to 24 hours)', async () => {
    const { sid } = sandbox.control.seedConference(AC, 'support-1', 'in-progress');
    await sandbox.client.conferences(sid).participants.create({ from: '+14155550100', to: '+14155550101', earlyMedia: false, timeLimit: 3600 });
    await sandbox.client.conferences(sid).participants.create({ from: '+14155550100', to: '+14155550101', timeLimit: 60 });
    await sandbox.client.conferences(sid).participants.create({ from: '+14155550100', to: '+14155550101', timeLimit: 86_400 });
    expect(sandbox.control.added.map(({ earlyMedia, timeLimitSeconds }) => [earlyMedia, timeLimitSeconds])).toEqual([
      [false, 3600], [true, 60], [true, 86_400],
    ]);
  });

  it('lists participants in join order with the Muted, Hold and Coaching filters, paged as the client iterates', async () => {
    const { sid } = sandbox.control.seedConference(AC, 'support-1', 'in-progress');
    const customer = sandbox.control.seedParticipant(sid, { hold: true, label: 'customer' });
    const agent = sandbox.control.seedParticipant(sid, { muted: true, label: 'agent' });
    const coach = sandbox.control.seedParticipant(sid, { coaching: true, callSidToCoach: agent.callSid });
    const list = sandbox.client.conferences(sid).participants;
    expect((await list.list({ pageSize: 2 })).map((p) => p.callSid)).toEqual([customer.callSid, agent.callSid, coach.callSid]);
    expect((await list.list({ hold: true })).map((p) => p.callSid)).toEqual([customer.callSid]);
    expect((await list.list({ muted: true })).map((p) => p.callSid)).toEqual([agent.callSid]);
    expect((await list.list({ coaching: true })).map((p) => p.callSid)).toEqual([coach.callSid]);
    expect((await list.list({ hold: false, muted: false })).map((p) => p.callSid)).toEqual([coach.callSid]);
    const page = await list.page({ pageSize: 2 });
    expect(page.instances).toHaveLength(2);
    expect((await page.nextPage())?.instances.map((p) => p.callSid)).toEqual([coach.callSid]);
  });

  it("fetches by call SID or label with exactly Twilio's fields", async () => {
    const { sid } = sandbox.control.seedConference(AC, 'support-1', 'in-progress');
    const seeded = sandbox.control.seedParticipant(sid, { label: 'customer' });
    expect((await sandbox.client.conferences(sid).participants(seeded.callSid).fetch()).label).toBe('customer');
    expect((await sandbox.client.conferences(sid).participants('customer').fetch()).callSid).toBe(seeded.callSid);
    const response = await fetch(`${sandbox.origin}/2010-04-01/Accounts/${AC}/Conferences/${sid}/Participants/customer.json`, {
      headers: { Authorization: `Basic ${Buffer.from(`${AC}:${TOKEN}`).toString('base64')}` },
    });
    // The keys of twilio's ParticipantResource typing (rest/api/v2010/account/conference/participant.d.ts).
    expect(Object.keys(await response.json()).sort()).toEqual([
      'account_sid', 'call_sid', 'call_sid_to_coach', 'coaching', 'conference_sid', 'date_created', 'date_updated',
      'end_conference_on_exit', 'hold', 'label', 'muted', 'queue_time', 'start_conference_on_enter', 'status', 'uri',
    ]);
  });

  it('holds with a hold URL (HoldMethod defaults to GET), mutes, coaches and announces; passes only what was given', async () => {
    const { sid } = sandbox.control.seedConference(AC, 'support-1', 'in-progress');
    const customer = sandbox.control.seedParticipant(sid, { label: 'customer' });
    const held = await sandbox.client.conferences(sid).participants('customer').update({ hold: true, holdUrl: `${CB}/music.xml` });
    expect(held).toMatchObject({ callSid: customer.callSid, hold: true, muted: false });
    const updated = await sandbox.client.conferences(sid).participants(customer.callSid).update({
      hold: false, muted: true, announceUrl: `${CB}/say.xml`, coaching: true, callSidToCoach: COACHED, endConferenceOnExit: true, beepOnExit: false,
    });
    expect(updated).toMatchObject({ hold: false, muted: true, coaching: true, callSidToCoach: COACHED, endConferenceOnExit: true });
    expect(sandbox.control.updates).toEqual([
      { callSidOrLabel: 'customer', update: { hold: true, holdUrl: `${CB}/music.xml`, holdMethod: 'GET' } },
      {
        callSidOrLabel: customer.callSid,
        update: {
          hold: false, muted: true, announceUrl: `${CB}/say.xml`, announceMethod: 'POST', coaching: true, callSidToCoach: COACHED,
          endConferenceOnExit: true, beepOnExit: false,
        },
      },
    ]);
  });

  it('removes a participant (204), after which it is not found', async () => {
    const { sid } = sandbox.control.seedConference(AC, 'support-1', 'in-progress');
    const seeded = sandbox.control.seedParticipant(sid);
    expect(await sandbox.client.conferences(sid).participants(seeded.callSid).remove()).toBe(true);
    expect(await sandbox.client.conferences(sid).participants.list()).toEqual([]);
    expect(await failure(sandbox.client.conferences(sid).participants(seeded.callSid).remove())).toEqual({ status: 404, code: 20404 });
  });

  const create = (params: Partial<Record<keyof ParticipantListInstanceCreateOptions, unknown>>) =>
    ({ from: '+14155550100', to: 'client:bob', ...params }) as ParticipantListInstanceCreateOptions;

  it.each([
    ['no To', create({ to: '' }), { status: 400, code: 21201 }],
    ['a To that is no number', create({ to: 'bob' }), { status: 400, code: 21211 }],
    ['a SIP To (the sandbox has no SIP)', create({ to: 'sip:bob@example.com' }), { status: 400, code: 21211 }],
    ['no From', create({ from: '' }), { status: 400, code: 21603 }],
    ['a From that is no number or client', create({ from: 'bob' }), { status: 400, code: 21212 }],
    ['a Timeout under 5', create({ timeout: 4 }), { status: 400, code: 20001 }],
    ['a Timeout over 600', create({ timeout: 601 }), { status: 400, code: 20001 }],
    ['a Beep outside true, false, onEnter, onExit', create({ beep: 'loud' }), { status: 400, code: 20001 }],
    ['a StartConferenceOnEnter that is not boolean', create({ startConferenceOnEnter: 'maybe' }), { status: 400, code: 20001 }],
    ['a WaitUrl that is not http(s)', create({ waitUrl: 'ftp://127.0.0.1/x' }), { status: 400, code: 21205 }],
    ['a StatusCallback that is not a URL', create({ statusCallback: 'nope' }), { status: 400, code: 21609 }],
    ['an unknown StatusCallbackEvent', create({ statusCallback: `${CB}/s`, statusCallbackEvent: ['bogus'] }), { status: 400, code: 20001 }],
    ['an unknown ConferenceStatusCallbackEvent', create({ conferenceStatusCallback: `${CB}/s`, conferenceStatusCallbackEvent: ['bogus'] }), { status: 400, code: 20001 }],
    ['Coaching without CallSidToCoach', create({ coaching: true }), { status: 400, code: 20001 }],
    ['a CallSidToCoach that is no call SID', create({ callSidToCoach: 'CA1' }), { status: 400, code: 20001 }],
    ['MaxParticipants under 2', create({ maxParticipants: 1 }), { status: 400, code: 20001 }],
    ['an EarlyMedia that is not boolean', create({ earlyMedia: 'ring' }), { status: 400, code: 20001 }],
    ['a TimeLimit under a minute', create({ timeLimit: 59 }), { status: 400, code: 20001 }],
    ['a TimeLimit over 24 hours', create({ timeLimit: 86_401 }), { status: 400, code: 20001 }],
    ['a TimeLimit that is not a whole number', create({ timeLimit: 90.5 }), { status: 400, code: 20001 }],
  ])('refuses a create with %s and dials nobody', async (_, params, expected) => {
    const { sid } = sandbox.control.seedConference(AC, 'support-1', 'in-progress');
    expect(await failure(sandbox.client.conferences(sid).participants.create(params))).toEqual(expected);
    expect(sandbox.control.added).toEqual([]);
  });

  it.each([
    ['an unknown conference SID', () => sandbox.client.conferences(`CF${'9'.repeat(32)}`).participants.create(create({})), 404, 20404],
    ["another account's conference (create)", (sid: string) => sandbox.otherClient.conferences(sid).participants.create(create({})), 404, 20404],
    ["another account's conference (list)", (sid: string) => sandbox.otherClient.conferences(sid).participants.list(), 404, 20404],
    ["another account's participant (fetch)", (sid: string, call: string) => sandbox.otherClient.conferences(sid).participants(call).fetch(), 404, 20404],
    ["another account's participant (update)", (sid: string, call: string) => sandbox.otherClient.conferences(sid).participants(call).update({ hold: true }), 404, 20404],
    ["another account's participant (remove)", (sid: string, call: string) => sandbox.otherClient.conferences(sid).participants(call).remove(), 404, 20404],
    ['an unknown participant', (sid: string) => sandbox.client.conferences(sid).participants('nobody').update({ muted: true }), 404, 20404],
    ['a friendly name anywhere but create', () => sandbox.client.conferences('support-1').participants.list(), 404, 20404],
    ['a Hold that is not boolean', (sid: string, call: string) => sandbox.client.conferences(sid).participants(call).update({ hold: 'yes' as unknown as boolean }), 400, 20001],
    ['a HoldUrl that is not a URL', (sid: string, call: string) => sandbox.client.conferences(sid).participants(call).update({ hold: true, holdUrl: 'music' }), 400, 21205],
    ['a list Hold filter that is not boolean', (sid: string) => sandbox.client.conferences(sid).participants.list({ hold: 'maybe' as unknown as boolean }), 400, 20001],
    ['hold of a participant still ringing (the port\'s error)', (sid: string) => sandbox.client.conferences(sid).participants('ringing').update({ hold: true }), 400, 21220],
  ])('refuses %s with Twilio\'s code and changes nothing', async (_, request, status, code) => {
    const { sid } = sandbox.control.seedConference(AC, 'support-1', 'in-progress');
    const connected = sandbox.control.seedParticipant(sid);
    sandbox.control.seedParticipant(sid, { status: 'ringing', label: 'ringing' });
    sandbox.control.seedConference(OTHER_AC, 'support-1', 'in-progress');
    expect(await failure(request(sid, connected.callSid))).toEqual({ status, code });
    expect(sandbox.control.added).toEqual([]);
    expect(sandbox.control.updates).toEqual([]);
    expect(sandbox.control.listParticipants(AC, sid)).toHaveLength(2);
  });
});
