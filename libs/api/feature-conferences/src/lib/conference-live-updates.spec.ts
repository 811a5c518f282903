import { AgentsRepository, CallsRepository, ConferencesRepository, Database, type ConferenceEvent } from '@switchboard/api-data-access-db';
import { InProcessEventBus, LiveEventPublisher, type BusMessage, type EventBus } from '@switchboard/api-data-access-live-events';
import { CallProgressEvents } from '@switchboard/api-data-access-telephony';
import type { CallParticipantsEvent } from '@switchboard/shared-contracts';
import { sql } from 'drizzle-orm';
import { projectConference } from './conference-projection';
import { ConferenceLiveUpdates } from './conference-live-updates';

/** The hook on the embedded engine, with the real publisher on an in-process bus that records what it carries. */
describe('ConferenceLiveUpdates (PGlite)', () => {
  let database: Database;
  let conferences: ConferencesRepository;
  beforeAll(async () => {
    database = await Database.open({ url: null, dataDir: 'memory://' });
    await database.migrate();
    conferences = new ConferencesRepository(database);
    await database.db.execute(sql`INSERT INTO agents (identity, display_name, role, password_hash) VALUES
      ('bob', 'Bob Brown', 'agent', 'x'), ('alice', 'Alice Adams', 'agent', 'x')`);
  }, 120_000);
  afterAll(() => database?.close());

  const cf = (n: number) => `CF${n.toString(16).padStart(32, '0')}`;
  const ca = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
  const at = (second: number) => new Date(Date.UTC(2026, 11, 6, 10, 0, second));

  function setUp(bus: EventBus = new InProcessEventBus()) {
    const progress = new CallProgressEvents();
    const publisher = new LiveEventPublisher(bus, 'test');
    const updates = new ConferenceLiveUpdates(database, conferences, new AgentsRepository(database), new CallsRepository(database), progress, publisher);
    updates.onModuleInit();
    const messages: BusMessage[] = [];
    bus.subscribe((message) => messages.push(message));
    /** Stores the callback as the processor does, then announces it as the processor does. */
    const callback = async (conference: number, sequenceNumber: number, name: string, callSid: string | null, extra: Record<string, string> = {}) => {
      const event: ConferenceEvent = {
        conferenceSid: cf(conference), sequenceNumber, event: name, callSid, at: at(sequenceNumber),
        payload: { ConferenceSid: cf(conference), SequenceNumber: String(sequenceNumber), StatusCallbackEvent: name, FriendlyName: 'room', ...extra },
      };
      await conferences.applyEvent(event, projectConference);
      progress.publish({ kind: 'conference', conferenceSid: cf(conference), friendlyName: 'room', event: name, callSid, label: extra['ParticipantLabel'] ?? null });
      await updates.settled();
      await Promise.resolve(); // the in-process bus delivers on a later microtask
    };
    return { updates, messages, callback };
  }

  it('sends each agent in the conference (or just out of it) the participant view, addressed to that agent only', async () => {
    const { messages, callback, updates } = setUp();
    const customer = ca(0x201);
    const bob = ca(0x202);
    const alice = ca(0x203);
    await database.db.execute(sql`INSERT INTO calls (call_sid, direction, from_number, to_number, status, status_rank, started_at)
      VALUES (${customer}, 'inbound', '+14155550100', '+14155550199', 'in-progress', 3, now())`);
    await callback(1, 1, 'conference-start', null);
    await callback(1, 2, 'participant-join', customer, { ParticipantLabel: 'customer' });
    expect(messages).toEqual([]); // nobody to tell: the customer is no agent

    await callback(1, 3, 'participant-join', bob, { ParticipantLabel: 'client:bob' });
    expect(messages.map((m) => [m.event.type, m.audience])).toEqual([['call.participants', { agents: ['bob'] }]]);
    expect(messages[0].event.data).toEqual({
      callSid: bob,
      controllable: true,
      participants: [
        { participantId: customer, displayName: '+1 ••• ••• 0100', identity: null, maskedNumber: '+1 ••• ••• 0100', role: 'customer', held: false, muted: false, joinedAt: at(2).toISOString() },
        { participantId: bob, displayName: 'Bob Brown', identity: 'bob', maskedNumber: null, role: 'agent', held: false, muted: false, joinedAt: at(3).toISOString() },
      ],
    });

    messages.length = 0;
    await callback(1, 4, 'participant-hold', customer, { ParticipantLabel: 'customer', Hold: 'true' });
    await callback(1, 5, 'participant-join', alice, { ParticipantLabel: 'client:alice' });
    await callback(1, 6, 'participant-leave', alice, { ParticipantLabel: 'client:alice' });
    const byAgent = (identity: string) => messages.filter((m) => m.audience.agents?.includes(identity)).map((m) => m.event.data);
    expect(messages.every((m) => m.audience.agents?.length === 1 && m.audience.supervisors === undefined)).toBe(true);
    expect(byAgent('bob').map((d) => (d as CallParticipantsEvent).participants.map((p) => [p.participantId, p.held])))
      .toEqual([[[customer, true], [bob, false]], [[customer, true], [bob, false], [alice, false]], [[customer, true], [bob, false]]]);
    // alice: the list while she is in, then only that she is out (the route answers her 403 now).
    expect(byAgent('alice')).toEqual([
      expect.objectContaining({ callSid: alice, controllable: true }),
      { callSid: alice, controllable: false, participants: [] },
    ]);

    messages.length = 0;
    await callback(1, 7, 'conference-end', null);
    expect(messages.map((m) => [m.audience.agents, m.event.data])).toEqual([[['bob'], { callSid: bob, controllable: false, participants: [] }]]);
    await updates.publishChange({ conferenceSid: cf(0x999), callSid: null, event: 'conference-end' }); // unknown conference: nothing
    expect(messages).toHaveLength(1);
  });

  it("the agent's own join, stored after their softphone asked for the participants, reaches that agent addressed by their leg", async () => {
    // The order of the consult e2e flake: the route answered bob's leg before this join was stored (as a direct
    // call: not controllable); this event is what turns the softphone's view controllable.
    const { messages, callback } = setUp();
    const customer = ca(0x401);
    const bobLeg = ca(0x402);
    // The leg AgentRinging dialled (to client:bob, from the caller's number), its record stored before its join.
    await database.db.execute(sql`INSERT INTO calls (call_sid, direction, from_number, to_number, status, status_rank, started_at)
      VALUES (${customer}, 'inbound', '+14155550100', '+14155550199', 'in-progress', 3, now()),
             (${bobLeg}, 'outbound', '+14155550100', 'client:bob', 'in-progress', 3, now())`);
    await callback(4, 1, 'conference-start', null);
    await callback(4, 2, 'participant-join', customer, { ParticipantLabel: 'customer' });
    // No label on the join (as a leg that joined through TwiML): the agent is named by the leg's call record.
    await callback(4, 3, 'participant-join', bobLeg);
    expect(messages.map((m) => [m.audience, m.event.data])).toEqual([
      [{ agents: ['bob'] }, expect.objectContaining({ callSid: bobLeg, controllable: true })],
    ]);
    expect((messages[0].event.data as CallParticipantsEvent).participants.map((p) => p.participantId)).toEqual([customer, bobLeg]);
  });

  it('a publish that fails is logged, never thrown to the callback, and the next one still goes out', async () => {
    let failNext = true;
    const inner = new InProcessEventBus();
    const flaky: EventBus = {
      publish: (message) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('bus down'));
        }
        return inner.publish(message);
      },
      subscribe: (listener) => inner.subscribe(listener),
    };
    const { messages, callback } = setUp(flaky);
    const bob = ca(0x302);
    await expect(callback(2, 1, 'participant-join', bob, { ParticipantLabel: 'client:bob' })).resolves.toBeUndefined();
    expect(messages).toEqual([]);
    await callback(2, 2, 'participant-mute', bob, { ParticipantLabel: 'client:bob', Muted: 'true' });
    expect(messages.map((m) => m.event.data)).toEqual([expect.objectContaining({ callSid: bob, controllable: false })]);
  });
});
