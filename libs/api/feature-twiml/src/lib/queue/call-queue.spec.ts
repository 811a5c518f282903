import { loadAppConfig } from '@switchboard/api-data-access-config';
import type { QueueEntry, QueueRepository, SettledFromRecords } from '@switchboard/api-data-access-db';
import type { LiveEventPublisher } from '@switchboard/api-data-access-live-events';
import type { AgentEligibility, Eligibility } from '@switchboard/api-data-access-presence';
import { CallProgressEvents } from '@switchboard/api-data-access-telephony';
import { FakeConferenceCommands } from '@switchboard/api-data-access-telephony/testing';
import { FLOOR_EVENTS, WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import type { AgentRingRequest, AgentRinging } from '../agent-ringing';
import { ANCHOR_UNANSWERED_QUERY } from '../conference-anchor';
import { CallQueue } from './call-queue';

const sid = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
// Now: the passes an unanswered offer starts run at the real time.
const t0 = new Date();
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

/** The repository's rules in miniature (its own spec runs them on both engines): enough to drive the dispatcher. */
class InMemoryQueue {
  readonly entries = new Map<string, QueueEntry>();
  settled: SettledFromRecords = { answered: [], abandoned: [] };
  async enqueue(call: Omit<QueueEntry, 'state' | 'offeredTo' | 'offeredAt' | 'tried' | 'answeredBy' | 'answeredAt' | 'endedAt'>): Promise<boolean> {
    if (this.entries.has(call.customerCallSid)) return false;
    this.entries.set(call.customerCallSid, { ...call, state: 'waiting', offeredTo: null, offeredAt: null, tried: [], answeredBy: null, answeredAt: null, endedAt: null });
    return true;
  }
  async listOpen(): Promise<QueueEntry[]> {
    return [...this.entries.values()].filter((e) => e.state === 'waiting' || e.state === 'offered').sort((a, b) => a.enqueuedAt.getTime() - b.enqueuedAt.getTime());
  }
  async waiting() {
    return (await this.listOpen()).map((e, i) => ({ callSid: e.customerCallSid, from: e.customerNumber, target: e.target, position: i + 1, enqueuedAt: e.enqueuedAt.toISOString() }));
  }
  async offer(callSid: string, identity: string, now: Date): Promise<QueueEntry | undefined> {
    const entry = this.entries.get(callSid);
    if (!entry || entry.state !== 'waiting' || entry.tried.includes(identity)) return undefined;
    if ([...this.entries.values()].some((e) => e.state === 'offered' && e.offeredTo === identity)) return undefined;
    return this.set({ ...entry, state: 'offered', offeredTo: identity, offeredAt: now, tried: [...entry.tried, identity] });
  }
  async returnToWaiting(callSid: string, identity: string): Promise<QueueEntry | undefined> {
    const entry = this.entries.get(callSid);
    return entry?.state === 'offered' && entry.offeredTo === identity ? this.set({ ...entry, state: 'waiting', offeredTo: null }) : undefined;
  }
  async returnStaleOffers(): Promise<QueueEntry[]> {
    return [];
  }
  async settleFromRecords(): Promise<SettledFromRecords> {
    const settled = this.settled;
    this.settled = { answered: [], abandoned: [] };
    return settled;
  }
  async claimExpired(enqueuedBefore: Date, now: Date): Promise<QueueEntry[]> {
    return (await this.listOpen()).filter((e) => e.enqueuedAt <= enqueuedBefore).map((e) => this.set({ ...e, state: 'voicemail', endedAt: now }));
  }
  async abandonClaimed(callSid: string, now: Date): Promise<boolean> {
    const entry = this.entries.get(callSid);
    if (entry?.state !== 'voicemail') return false;
    this.set({ ...entry, state: 'abandoned', endedAt: now });
    return true;
  }
  async reopenClaimed(): Promise<boolean> {
    return false;
  }
  private set(entry: QueueEntry): QueueEntry {
    this.entries.set(entry.customerCallSid, entry);
    return entry;
  }
}

describe('CallQueue', () => {
  const config = loadAppConfig({ SWITCHBOARD_MODE: 'sandbox', QUEUE_MAX_WAIT_SECONDS: '60', DIAL_TIMEOUT_SECONDS: '15' });
  let queue: InMemoryQueue;
  let commands: FakeConferenceCommands;
  let rung: AgentRingRequest[];
  let available: string[];
  let published: unknown[];
  let callQueue: CallQueue;

  beforeEach(() => {
    queue = new InMemoryQueue();
    commands = new FakeConferenceCommands();
    rung = [];
    available = [];
    published = [];
    const ringing = { start: jest.fn(async (request: AgentRingRequest) => void rung.push(request)) } as unknown as AgentRinging;
    // Eligible: the identities asked that are available, in the order `available` lists them (longest idle first).
    const eligibility = {
      eligible: jest.fn(async (identities: readonly string[]): Promise<Eligibility> => ({
        eligible: available.filter((identity) => identities.includes(identity)).map((identity) => ({ identity, availableSince: t0 })),
        skipped: identities.filter((identity) => !available.includes(identity)).map((identity) => ({ identity, outcome: 'away' })),
      })),
    } as unknown as AgentEligibility;
    const publisher = { publish: jest.fn(async (type: string, data: unknown, audience: unknown) => void published.push({ type, data, audience })) } as unknown as LiveEventPublisher;
    callQueue = new CallQueue(queue as unknown as QueueRepository, ringing, commands, config, new CallProgressEvents(), eligibility, publisher);
  });

  const enqueue = (n: number, seconds: number, members = ['alice', 'bob']) =>
    callQueue.enqueue({ customerCallSid: sid(n), customerNumber: '+14155550150', target: 'group:support', members }, at(seconds));

  it('queues a call once, tells the supervisors, and offers it to nobody while no member is eligible', async () => {
    await enqueue(1, 0);
    await enqueue(1, 1);
    await callQueue.tick(at(2));
    expect(rung).toEqual([]);
    expect(published).toEqual([{
      type: FLOOR_EVENTS.queue, audience: { supervisors: true },
      data: { queue: [expect.objectContaining({ callSid: sid(1), position: 1 })], longestWaitSeconds: 0 },
    }]);
  });

  it('offers the oldest call first, to its first eligible member, one call per agent; unanswered: back to waiting, then the next member', async () => {
    await enqueue(2, 5);
    await enqueue(1, 0);
    await callQueue.tick(at(6));
    available = ['bob', 'alice'];
    await callQueue.tick(at(7));
    expect(rung.map((request) => [request.customerCallSid, request.identities])).toEqual([[sid(1), ['bob']], [sid(2), ['alice']]]);
    expect(rung[0]).toMatchObject({ customerNumber: '+14155550150', timeoutSeconds: 15 });
    expect(queue.entries.get(sid(1))).toMatchObject({ state: 'offered', offeredTo: 'bob', tried: ['bob'] });

    // Bob did not answer: the call waits again, bob tried; alice is busy with the other offer, so nobody is rung.
    await rung[0].onUnanswered?.();
    expect(queue.entries.get(sid(1))).toMatchObject({ state: 'waiting', offeredTo: null, tried: ['bob'] });
    await callQueue.tick(at(8));
    expect(rung).toHaveLength(2);
    // Alice's offer ends unanswered too: the oldest call is offered to her next, the other to bob, now free.
    await rung[1].onUnanswered?.();
    await callQueue.tick(at(9));
    expect(rung.map((request) => [request.customerCallSid, request.identities])).toEqual([
      [sid(1), ['bob']], [sid(2), ['alice']], [sid(1), ['alice']], [sid(2), ['bob']],
    ]);
    expect(published.at(-1)).toMatchObject({ data: { queue: [{ callSid: sid(1), position: 1 }, { callSid: sid(2), position: 2 }] } });
  });

  it('sends a call to voicemail once after QUEUE_MAX_WAIT_SECONDS; a caller already gone is abandoned instead', async () => {
    commands.calls.set(sid(2), 'in-progress');
    await enqueue(1, 0);
    await enqueue(2, 30);
    await callQueue.tick(at(59));
    expect(commands.received.filter((command) => command.name === 'redirectCall')).toEqual([]);
    commands.failNext('call-gone');
    await callQueue.tick(at(60));
    expect(queue.entries.get(sid(1))).toMatchObject({ state: 'abandoned', endedAt: at(60) });
    await callQueue.tick(at(90));
    expect(commands.received.filter((command) => command.name === 'redirectCall')).toEqual([
      { name: 'redirectCall', callSid: sid(1), twiml: { path: WEBHOOK_ROUTES.dialComplete, query: ANCHOR_UNANSWERED_QUERY } },
      { name: 'redirectCall', callSid: sid(2), twiml: { path: WEBHOOK_ROUTES.dialComplete, query: ANCHOR_UNANSWERED_QUERY } },
    ]);
    expect(queue.entries.get(sid(2))).toMatchObject({ state: 'voicemail', endedAt: at(90) });
    expect(published.at(-1)).toMatchObject({ data: { queue: [], longestWaitSeconds: null } });
  });
});
