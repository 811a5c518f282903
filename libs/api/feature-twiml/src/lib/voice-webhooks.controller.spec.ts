import type { TwimlPlan, TwimlRenderer } from '@switchboard/api-data-access-telephony';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import type { AgentRinging, AgentRingRequest } from './agent-ringing';
import { SPOKEN, type CallPlanner } from './call-planner';
import { SPOKEN_MISSED, type OutboundDialRequest } from './outbound-anchor';
import type { OutboundDialing } from './outbound-dialing';
import type { CallQueue, QueueRequest } from './queue/call-queue';
import { VoiceWebhooksController } from './voice-webhooks.controller';

const config = loadAppConfig({ PUBLIC_BASE_URL: 'https://switchboard.test', TWIML_DEADLINE_MS: '5000' });
const CALL = { CallSid: `CA${'b'.repeat(32)}` };
const apology: TwimlPlan = { kind: 'say-and-hang-up', message: SPOKEN.error };

/** The renderer's input is what matters here: render to JSON and read the plan back. */
const renderer = { render: (plan: TwimlPlan) => JSON.stringify(plan) } as TwimlRenderer;

/** A controller whose every planner method behaves as `behaviour` says (a database that stalls or fails). */
function controllerWhosePlanner(behaviour: () => Promise<TwimlPlan>) {
  const planner = {
    planAgentCall: async () => ({ plan: await behaviour(), dial: null }), planInbound: async () => ({ plan: await behaviour(), ring: null, queue: null }), planDialComplete: behaviour,
    planVoicemailComplete: () => { throw new Error('database gone'); }, planRingAgentAnswered: behaviour,
  } as unknown as CallPlanner;
  return new VoiceWebhooksController(planner, renderer, config, {} as AgentRinging, {} as OutboundDialing, {} as CallQueue);
}

/** Every route, with the safe plan it must answer when its planner cannot. */
const ROUTES: Array<[string, (c: VoiceWebhooksController) => Promise<string>, TwimlPlan]> = [
  ['outgoing (an agent calls)', (c) => c.outgoing({ ...CALL, From: 'client:alice', To: '+14155550100' }), apology],
  ['incoming (an outside caller)', (c) => c.incoming({ ...CALL, From: '+14155550111', To: '+14155550100' }), {
    kind: 'voicemail',
    greeting: SPOKEN.voicemailGreeting,
    maxLengthSeconds: config.calls.voicemailMaxLengthSeconds,
    actionUrl: `https://switchboard.test${WEBHOOK_ROUTES.voicemailComplete}`,
    recordingStatusCallbackUrl: `https://switchboard.test${WEBHOOK_ROUTES.recordingStatus}?to=%2B14155550100&from=%2B14155550111`,
  }],
  ['dial-complete of an outside caller', (c) => c.dialComplete({ ...CALL, From: '+14155550111', To: '+14155550100', DialCallStatus: 'no-answer' }, {}),
    expect.objectContaining({ kind: 'voicemail', recordingStatusCallbackUrl: expect.stringContaining('to=%2B14155550100') })],
  ['dial-complete of an agent', (c) => c.dialComplete({ ...CALL, From: 'client:alice', To: 'client:bob', DialCallStatus: 'busy' }, {}), apology],
  ['dial-complete of an answered call', (c) => c.dialComplete({ ...CALL, From: '+14155550111', DialCallStatus: 'completed' }, {}), { kind: 'hang-up' }],
  ["dial-complete of a customer leaving its conference", (c) => c.dialComplete({ ...CALL, From: '+14155550111' }, { anchor: 'exit' }), { kind: 'hang-up' }],
  ["dial-complete of an agent leaving their phone call's conference", (c) => c.dialComplete({ ...CALL, From: 'client:alice' }, { anchor: 'outbound-exit' }), { kind: 'hang-up' }],
  ['dial-complete of an agent whose number was busy', (c) => c.dialComplete({ ...CALL, From: 'client:alice' }, { anchor: 'outbound-missed', outcome: 'busy' }),
    { kind: 'say-and-hang-up', message: SPOKEN_MISSED.busy }],
  ['voicemail-complete', (c) => c.voicemailComplete(), { kind: 'say-and-hang-up', message: SPOKEN.thanks }],
  ['ring-agent-answered', (c) => c.ringAgentAnswered({ supervisor: 'sam' }), apology],
];

describe('VoiceWebhooksController deadline and safe TwiML', () => {
  afterEach(() => jest.useRealTimers());

  it.each(ROUTES)('%s: a planner that never answers gets the safe TwiML once the deadline passes', async (_name, call, safe) => {
    jest.useFakeTimers();
    const controller = controllerWhosePlanner(() => new Promise<TwimlPlan>(() => undefined));
    const answer = call(controller);
    await jest.advanceTimersByTimeAsync(config.resilience.twimlDeadlineMs);
    expect(JSON.parse(await answer)).toEqual(safe);
  });

  it.each(ROUTES)('%s: a failing planner gets the same safe TwiML, never an error', async (_name, call, safe) => {
    const controller = controllerWhosePlanner(() => Promise.reject(new Error('connection terminated')));
    expect(JSON.parse(await call(controller))).toEqual(safe);
  });

  it('answers the planner\'s own TwiML when it decides in time, and a late failure is only logged', async () => {
    jest.useFakeTimers();
    const plan: TwimlPlan = { kind: 'hang-up' };
    expect(JSON.parse(await controllerWhosePlanner(async () => plan).outgoing(CALL))).toEqual(plan);
    let fail: (error: Error) => void = () => undefined;
    const late = controllerWhosePlanner(() => new Promise<TwimlPlan>((_resolve, reject) => { fail = reject; })).outgoing(CALL);
    await jest.advanceTimersByTimeAsync(config.resilience.twimlDeadlineMs);
    expect(JSON.parse(await late)).toEqual(apology);
    fail(new Error('statement timeout')); // must not surface as an unhandled rejection
    await Promise.resolve();
  });

  it('rings the agents into the conference only once its TwiML is the answer given (not after the safe TwiML of a missed deadline)', async () => {
    const ring: AgentRingRequest = { customerCallSid: CALL.CallSid, customerNumber: '+14155550111', identities: ['bob'], timeoutSeconds: 20 };
    const conferencePlan: TwimlPlan = { kind: 'hang-up' };
    const started: AgentRingRequest[] = [];
    const ringing = { start: async (request: AgentRingRequest) => void started.push(request) } as unknown as AgentRinging;
    let finish: () => void = () => undefined;
    const planner = {
      planInbound: jest.fn()
        .mockResolvedValueOnce({ plan: conferencePlan, ring, queue: null })
        .mockImplementationOnce(() => new Promise((done) => { finish = () => done({ plan: conferencePlan, ring, queue: null }); })),
    } as unknown as CallPlanner;
    const controller = new VoiceWebhooksController(planner, renderer, config, ringing, {} as OutboundDialing, {} as CallQueue);
    expect(JSON.parse(await controller.incoming(CALL))).toEqual(conferencePlan);
    await new Promise((done) => setImmediate(done));
    expect(started).toEqual([ring]);

    jest.useFakeTimers();
    const late = controller.incoming({ ...CALL, From: '+14155550111', To: '+14155550100' });
    await jest.advanceTimersByTimeAsync(config.resilience.twimlDeadlineMs);
    expect(JSON.parse(await late)).toMatchObject({ kind: 'voicemail' });
    finish();
    await jest.runAllTimersAsync();
    expect(started).toHaveLength(1);
  });

  it("dials an agent's number into their conference only once its TwiML is the answer given", async () => {
    const dial: OutboundDialRequest = { agentCallSid: CALL.CallSid, identity: 'bob', number: '+14155550111', timeoutSeconds: 20 };
    const conferencePlan: TwimlPlan = { kind: 'hang-up' };
    const started: OutboundDialRequest[] = [];
    const dialing = { start: async (request: OutboundDialRequest) => void started.push(request) } as unknown as OutboundDialing;
    let finish: () => void = () => undefined;
    const planner = {
      planAgentCall: jest.fn()
        .mockResolvedValueOnce({ plan: conferencePlan, dial })
        .mockImplementationOnce(() => new Promise((done) => { finish = () => done({ plan: conferencePlan, dial }); })),
    } as unknown as CallPlanner;
    const controller = new VoiceWebhooksController(planner, renderer, config, {} as AgentRinging, dialing, {} as CallQueue);
    expect(JSON.parse(await controller.outgoing(CALL))).toEqual(conferencePlan);
    await new Promise((done) => setImmediate(done));
    expect(started).toEqual([dial]);

    jest.useFakeTimers();
    const late = controller.outgoing({ ...CALL, From: 'client:bob', To: '+14155550111' });
    await jest.advanceTimersByTimeAsync(config.resilience.twimlDeadlineMs);
    expect(JSON.parse(await late)).toEqual(apology);
    finish();
    await jest.runAllTimersAsync();
    expect(started).toHaveLength(1);
  });

  it('hands a caller nobody can take to the queue only once its TwiML is the answer given, and rings nobody', async () => {
    const queue: QueueRequest = { customerCallSid: CALL.CallSid, customerNumber: '+14155550111', target: 'group:support', members: ['alice', 'bob'] };
    const queuedPlan: TwimlPlan = { kind: 'hang-up' };
    const enqueued: QueueRequest[] = [];
    const callQueue = { enqueue: async (request: QueueRequest) => void enqueued.push(request) } as unknown as CallQueue;
    const ringing = { start: jest.fn() } as unknown as AgentRinging;
    let finish: () => void = () => undefined;
    const planner = {
      planInbound: jest.fn()
        .mockResolvedValueOnce({ plan: queuedPlan, ring: null, queue })
        .mockImplementationOnce(() => new Promise((done) => { finish = () => done({ plan: queuedPlan, ring: null, queue }); })),
    } as unknown as CallPlanner;
    const controller = new VoiceWebhooksController(planner, renderer, config, ringing, {} as OutboundDialing, callQueue);
    expect(JSON.parse(await controller.incoming(CALL))).toEqual(queuedPlan);
    await new Promise((done) => setImmediate(done));
    expect(enqueued).toEqual([queue]);
    expect(ringing.start).not.toHaveBeenCalled();

    jest.useFakeTimers();
    const late = controller.incoming({ ...CALL, From: '+14155550111', To: '+14155550100' });
    await jest.advanceTimersByTimeAsync(config.resilience.twimlDeadlineMs);
    expect(JSON.parse(await late)).toMatchObject({ kind: 'voicemail' });
    finish();
    await jest.runAllTimersAsync();
    expect(enqueued).toHaveLength(1);
  });
});
