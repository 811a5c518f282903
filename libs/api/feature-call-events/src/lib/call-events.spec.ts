import { HttpStatus } from '@nestjs/common';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import type {
  CallbackInboxRepository, CallsRepository, NewVoicemail, PendingCallback, RoutingRepository, StatusEvent, VoicemailsRepository,
} from '@switchboard/api-data-access-db';
import type { CallFetcher, ProviderCall, RecordingFetcher } from '@switchboard/api-data-access-telephony';
import { FieldException } from '@switchboard/api-http-boundary';
import { CallEventsController } from './call-events.controller';
import { CallbackProcessor } from './callback-processor';
import { CallReconciler } from './call-reconciler';

const sid = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
const REC = `RE${'1'.repeat(32)}`;
const REC_URL = `https://rest.test/2010-04-01/Accounts/AC1/Recordings/${REC}`;
const recordings = { isTrustedUrl: (url: string) => url.startsWith('https://rest.test/') } as RecordingFetcher;

/** Calls, voicemails and routes in memory: +14155550100 routes to the support group. */
function world(knownCalls: Record<string, { voicemailTarget: string | null; from: string }> = {}) {
  const events: StatusEvent[] = [];
  const voicemails: NewVoicemail[] = [];
  const calls = {
    applyStatusEvent: async (event: StatusEvent) => { events.push(event); return 'stored'; },
    findBySid: async (callSid: string) => knownCalls[callSid],
    claimStale: jest.fn(async () => [] as Array<{ callSid: string; direction: 'inbound' | 'outbound' }>),
  };
  const routing = { routeFor: async (number: string) => (number === '+14155550100' ? { kind: 'group', name: 'support' } : undefined) };
  const inbox = { markProcessed: jest.fn(async () => undefined), markFailed: jest.fn(async () => undefined), claimPending: jest.fn(async () => [] as PendingCallback[]) };
  const processor = new CallbackProcessor(
    inbox as unknown as CallbackInboxRepository, calls as unknown as CallsRepository,
    { insertOnce: async (v: NewVoicemail) => { voicemails.push(v); return true; } } as unknown as VoicemailsRepository,
    routing as unknown as RoutingRepository,
  );
  return { events, voicemails, calls, inbox, processor };
}

const recording = (query: Record<string, string>, callSid = sid(1)): PendingCallback => ({
  id: 1, kind: 'recording', query,
  params: { CallSid: callSid, RecordingSid: REC, RecordingUrl: REC_URL, RecordingStatus: 'completed', RecordingDuration: '9' },
});

describe('callbacks on database faults', () => {
  it('answers 503 (Twilio retries) when the inbox cannot be written, and still 400 for a malformed callback', async () => {
    const inbox = { receive: async () => { throw new Error('Connection terminated unexpectedly'); } } as unknown as CallbackInboxRepository;
    const controller = new CallEventsController(inbox, world().processor, recordings);
    const status = controller.status({ CallSid: sid(1), CallStatus: 'completed', SequenceNumber: '3' });
    await expect(status).rejects.toBeInstanceOf(FieldException);
    await expect(status).rejects.toMatchObject({ status: HttpStatus.SERVICE_UNAVAILABLE });
    const recordingCall = controller.recordingStatus({ CallSid: sid(1), RecordingSid: REC, RecordingUrl: REC_URL, RecordingStatus: 'completed' }, {});
    await expect(recordingCall).rejects.toMatchObject({ status: HttpStatus.SERVICE_UNAVAILABLE });
    await expect(controller.status({ CallSid: 'CA1', CallStatus: 'completed' })).rejects.toMatchObject({ status: HttpStatus.BAD_REQUEST });
  });

  it('answers 503 when processing fails after the raw callback was stored, and leaves the row pending', async () => {
    const { processor, inbox } = world();
    const failing = Object.assign(processor, { applyStatus: async () => { throw new Error('canceling statement due to statement timeout'); } });
    const store = { receive: async () => ({ id: 7, alreadyProcessed: false }) } as unknown as CallbackInboxRepository;
    const controller = new CallEventsController(store, failing, recordings);
    await expect(controller.status({ CallSid: sid(2), CallStatus: 'completed' })).rejects.toMatchObject({ status: HttpStatus.SERVICE_UNAVAILABLE });
    expect(inbox.markFailed).toHaveBeenCalledWith(7, expect.stringContaining('statement timeout'));
    expect(inbox.markProcessed).not.toHaveBeenCalled();
  });
});

describe('CallbackProcessor: a recording whose call is unknown', () => {
  it('stores the voicemail for the target the dialled number routes to', async () => {
    const { processor, voicemails } = world();
    await processor.processStored(recording({ to: '+14155550100', from: '+14155550111' }));
    expect(voicemails).toEqual([expect.objectContaining({ recordingSid: REC, calledTarget: 'group:support', from: '+14155550111', durationSeconds: 9 })]);
  });

  it('stores it for the agent an agent-to-agent call dialled', async () => {
    const { processor, voicemails } = world();
    await processor.processStored(recording({ to: 'client:bob', from: 'client:alice' }));
    expect(voicemails).toEqual([expect.objectContaining({ calledTarget: 'agent:bob' })]);
  });

  it('stores it in the unassigned inbox when neither the call nor a route names an owner', async () => {
    const { processor, voicemails } = world({ [sid(3)]: { voicemailTarget: null, from: '+14155550122' } });
    await processor.processStored(recording({}));
    await processor.processStored(recording({ to: '+14155550999' }));
    await processor.processStored(recording({}, sid(3)));
    expect(voicemails.map((v) => [v.calledTarget, v.from])).toEqual([['unassigned', 'anonymous'], ['unassigned', 'anonymous'], ['unassigned', '+14155550122']]);
  });

  it('prefers the call record\'s own target when the call is known', async () => {
    const { processor, voicemails } = world({ [sid(1)]: { voicemailTarget: 'agent:carol', from: '+14155550133' } });
    await processor.processStored(recording({ to: '+14155550100' }));
    expect(voicemails).toEqual([expect.objectContaining({ calledTarget: 'agent:carol', from: '+14155550133' })]);
  });
});

describe('CallReconciler', () => {
  const config = loadAppConfig({ RECONCILE_AFTER_SECONDS: '600', RECONCILE_INTERVAL_SECONDS: '0' });
  const provider = (calls: Record<string, ProviderCall | null>) => ({ fetch: jest.fn(async (callSid: string) => calls[callSid] ?? null) });

  it('closes stale calls the REST API reports ended, as failed one it does not know, and leaves a live one', async () => {
    const { calls, events, inbox, processor } = world();
    calls.claimStale.mockResolvedValueOnce([
      { callSid: sid(1), direction: 'outbound' }, { callSid: sid(2), direction: 'inbound' }, { callSid: sid(3), direction: 'inbound' },
    ]);
    const endedAt = new Date('2026-12-01T10:05:00Z');
    const rest = provider({
      [sid(1)]: { callSid: sid(1), status: 'completed', durationSeconds: 42, endedAt },
      [sid(3)]: { callSid: sid(3), status: 'in-progress', durationSeconds: null, endedAt: null },
    });
    const reconciler = new CallReconciler(inbox as unknown as CallbackInboxRepository, calls as unknown as CallsRepository, processor, rest as CallFetcher, config);
    expect(await reconciler.closeStaleCalls()).toBe(2);
    expect(calls.claimStale).toHaveBeenCalledWith(600, 600, expect.any(Number));
    expect(rest.fetch.mock.calls.map(([s]) => s)).toEqual([sid(1), sid(2), sid(3)]);
    expect(events.map((e) => [e.callSid, e.callStatus, e.sequenceNumber, e.durationSeconds, e.at])).toEqual([
      [sid(1), 'completed', 'reconciler', 42, endedAt],
      [sid(2), 'failed', 'reconciler', null, expect.any(Date)],
    ]);
  });

  it('processes the pending callbacks it claims, and one that fails again stays for the next pass', async () => {
    const { inbox, calls, processor, events } = world();
    inbox.claimPending.mockResolvedValueOnce([
      { id: 1, kind: 'status', params: { CallSid: sid(5), CallStatus: 'completed', CallDuration: '7' }, query: {} },
      { id: 2, kind: 'status', params: { CallSid: sid(6), CallStatus: 'bad', SequenceNumber: 'x' }, query: {} },
    ]);
    const reconciler = new CallReconciler(inbox as unknown as CallbackInboxRepository, calls as unknown as CallsRepository, processor, provider({}) as CallFetcher, config);
    await reconciler.onApplicationBootstrap();
    expect(inbox.claimPending).toHaveBeenCalledWith(0, expect.any(Number), expect.any(Number));
    expect(events.map((e) => [e.callSid, e.callStatus, e.durationSeconds])).toEqual([[sid(5), 'completed', 7]]);
    expect(inbox.markProcessed.mock.calls).toEqual([[1]]);
    expect(inbox.markFailed).toHaveBeenCalledWith(2, expect.stringContaining('SequenceNumber'));
    await reconciler.onModuleDestroy();
  });
});
