import { ConferencesRepository, Database, rowsOf, type ConferenceEvent } from '@switchboard/api-data-access-db';
import { sql } from 'drizzle-orm';
import { projectConference } from './conference-projection';

/** The repository on the embedded engine (the API's e2e spec runs it on Postgres too). */
describe('ConferencesRepository (PGlite)', () => {
  let database: Database;
  let repository: ConferencesRepository;
  beforeAll(async () => {
    database = await Database.open({ url: null, dataDir: 'memory://' });
    await database.migrate();
    repository = new ConferencesRepository(database);
  }, 120_000);
  afterAll(() => database?.close());

  const cf = (n: number) => `CF${n.toString(16).padStart(32, '0')}`;
  const ca = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
  const at = (second: number) => new Date(Date.UTC(2026, 11, 6, 10, 0, second));
  const event = (conference: number, sequenceNumber: number, name: string, callSid: string | null, extra: Record<string, string> = {}): ConferenceEvent => ({
    conferenceSid: cf(conference), sequenceNumber, event: name, callSid, at: at(sequenceNumber),
    payload: { ConferenceSid: cf(conference), SequenceNumber: String(sequenceNumber), StatusCallbackEvent: name, FriendlyName: `room-${conference}`, ...extra },
  });
  const apply = (e: ConferenceEvent) => repository.applyEvent(e, projectConference);

  it('lists the current participants (not those who left), with the agent named by label or by the call record', async () => {
    const customer = ca(0x101);
    const bob = ca(0x102);
    const alice = ca(0x103);
    const carol = ca(0x104);
    await database.db.execute(sql`INSERT INTO calls (call_sid, direction, from_number, to_number, status, status_rank, started_at)
      VALUES (${alice}, 'outbound', ${'+14155550100'}, ${'client:alice'}, 'in-progress', 3, now())`);
    await apply(event(1, 1, 'conference-start', null));
    await apply(event(1, 2, 'participant-join', customer, { ParticipantLabel: 'customer' }));
    await apply(event(1, 3, 'participant-join', bob, { ParticipantLabel: 'client:bob' }));
    await apply(event(1, 5, 'participant-join', alice, { Muted: 'true' }));
    await apply(event(1, 4, 'participant-hold', customer, { ParticipantLabel: 'customer', Hold: 'true' }));
    await apply(event(1, 6, 'participant-join', carol, { ParticipantLabel: 'client:carol' }));
    await apply(event(1, 7, 'participant-leave', carol, { ParticipantLabel: 'client:carol' }));

    expect(await repository.currentParticipants(cf(1))).toEqual([
      { callSid: customer, label: 'customer', agentIdentity: null, joinedAt: at(2), hold: true, muted: false, coaching: false },
      { callSid: bob, label: 'client:bob', agentIdentity: 'bob', joinedAt: at(3), hold: false, muted: false, coaching: false },
      { callSid: alice, label: null, agentIdentity: 'alice', joinedAt: at(5), hold: false, muted: true, coaching: false },
    ]);
    expect(await repository.findByAnchorCall(customer)).toMatchObject({ conferenceSid: cf(1), status: 'in-progress', friendlyName: 'room-1', lastSequence: 7 });

    expect(await repository.isCurrentParticipant('bob', customer)).toBe(true);
    expect(await repository.isCurrentParticipant('alice', customer)).toBe(true);
    expect(await repository.isCurrentParticipant('carol', customer)).toBe(false); // left
    expect(await repository.isCurrentParticipant('dave', customer)).toBe(false); // never there
    expect(await repository.isCurrentParticipant('bob', bob)).toBe(false); // bob's own leg anchors nothing

    await apply(event(1, 8, 'conference-end', null, { ReasonConferenceEnded: 'conference-ended-via-api' }));
    expect(await repository.currentParticipants(cf(1))).toEqual([]);
    expect(await repository.isCurrentParticipant('bob', customer)).toBe(false);
    expect(await repository.findConference(cf(1))).toMatchObject({ status: 'completed', endedAt: at(8), reasonEnded: 'conference-ended-via-api', anchorCallSid: customer });
  });

  it('stores one row per event under 50 concurrent deliveries of it, and the same record whatever the order', async () => {
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => apply(event(2, 1, 'participant-join', ca(0x201)))));
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1);
    const [{ n }] = rowsOf(await database.db.execute(sql`SELECT count(*)::int AS n FROM conference_events WHERE conference_sid = ${cf(2)}`)) as Array<{ n: number }>;
    expect(n).toBe(1);

    // Two conferences fed the same events in opposite orders, concurrently, each event twice.
    const events = (conference: number) => [
      event(conference, 1, 'conference-start', null), event(conference, 2, 'participant-join', ca(0x301), { ParticipantLabel: 'customer' }),
      event(conference, 3, 'participant-join', ca(0x302), { ParticipantLabel: 'client:bob' }), event(conference, 4, 'participant-hold', ca(0x302), { Hold: 'true' }),
      event(conference, 5, 'participant-unhold', ca(0x302), { Hold: 'false' }), event(conference, 6, 'participant-leave', ca(0x301)),
      event(conference, 7, 'conference-end', null),
    ];
    await Promise.all([...events(3), ...events(3)].map(apply));
    await Promise.all([...events(4).reverse(), ...events(4)].map(apply));
    const record = async (conference: number) => rowsOf(await database.db.execute(sql`
      SELECT c.status, c.anchor_call_sid, c.started_at, c.ended_at, c.last_sequence,
             (SELECT json_agg(json_build_object('call', p.call_sid, 'joined', p.joined_at, 'left', p.left_at, 'hold', p.hold, 'seq', p.last_sequence) ORDER BY p.call_sid)
              FROM conference_participants p WHERE p.conference_sid = c.conference_sid) AS participants
      FROM conferences c WHERE c.conference_sid = ${cf(conference)}`));
    expect(await record(3)).toEqual(await record(4));
    expect(await record(3)).toEqual([expect.objectContaining({ status: 'completed', anchor_call_sid: ca(0x301), last_sequence: 7 })]);
  });
});
