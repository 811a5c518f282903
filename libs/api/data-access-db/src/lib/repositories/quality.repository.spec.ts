import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { QualityBand } from '@switchboard/shared-contracts';
import { CallStartWriter } from '../call-start-writer';
import { Database, rowsOf } from '../database';
import { CallsRepository } from './calls.repository';
import { QualityRepository, type NewQualityRecord } from './quality.repository';
import { SPEC_ENGINES, specDatabase } from '../testing/spec-database';

describe.each(SPEC_ENGINES)('QualityRepository (%s)', (engine) => {
  let database: Database;
  let quality: QualityRepository;
  let calls: CallsRepository;
  let n = 0;
  const sid = () => `CA${(++n).toString(16).padStart(32, '0')}`;
  const t0 = new Date('2026-12-06T08:00:00Z');

  const record = (callSid: string, identity: string, band: QualityBand, avgMos: number, endedAt = t0): NewQualityRecord => ({
    callSid, identity, direction: 'inbound', startedAt: t0.toISOString(), endedAt: endedAt.toISOString(),
    summary: {
      band, sampleCount: 1, mos: { min: avgMos, avg: avgMos, max: avgMos }, rtt: { min: 1, avg: 1, max: 1 }, jitter: { min: 1, avg: 1, max: 1 },
      packetLossPercent: { min: 0, avg: 0, max: 0 }, secondsPast: { mos: 0, rtt: 0, jitter: 0, packetLoss: 0 }, warningNames: ['high-jitter'],
    },
    samples: new Uint8Array([1, 2, 3]), warnings: [{ name: 'high-jitter', startedAt: t0.toISOString(), endedAt: null }], setup: [],
    media: { codec: 'opus', localCandidateType: null, remoteCandidateType: null, networkType: null, edge: null, dscp: false, sdkVersion: '2.18.5', inputDeviceLabel: null, outputDeviceLabel: null },
    platform: { browser: 'Chrome', browserVersion: '131.0', os: 'Linux' },
  });
  const callIdOf = async (callSid: string) => (rowsOf(await database.db.execute(sql`SELECT id::text FROM calls WHERE call_sid = ${callSid}`))[0] as { id: string }).id;

  /** A customer's call anchored in its conference (sb-<CallSid>) with alice's and bob's legs in it; both were rung for it. */
  async function anchoredCall(): Promise<{ customer: string; aliceLeg: string; bobLeg: string }> {
    const customer = sid();
    const [aliceLeg, bobLeg] = [sid(), sid()];
    await new CallStartWriter(database).record({
      callSid: customer, direction: 'inbound', from: '+14155550100', to: '+14155550111', participants: ['alice', 'bob'], voicemailTarget: null, status: 'ringing', at: t0,
    });
    const conferenceSid = `CF${randomBytes(16).toString('hex')}`;
    await database.db.execute(sql`INSERT INTO conferences (conference_sid, friendly_name, anchor_call_sid, status) VALUES (${conferenceSid}, ${`sb-${customer}`}, ${customer}, 'in-progress')`);
    for (const [i, [leg, identity]] of [[customer, null], [aliceLeg, 'alice'], [bobLeg, 'bob']].entries()) {
      await database.db.execute(sql`INSERT INTO conference_participants (conference_sid, call_sid, label, agent_identity, joined_at, last_sequence)
        VALUES (${conferenceSid}, ${leg}, ${identity ?? 'customer'}, ${identity}, ${t0.toISOString()}, ${i + 1})`);
    }
    return { customer, aliceLeg, bobLeg };
  }

  specDatabase(engine, (opened) => {
    database = opened;
    quality = new QualityRepository(database);
    calls = new CallsRepository(database);
  });

  it("knows an agent's conference leg and its history call, a browser's own call, and nothing of an unknown leg", async () => {
    const { customer, aliceLeg } = await anchoredCall();
    expect(await quality.legOwnership(aliceLeg)).toEqual({ identities: ['alice'], callId: await callIdOf(customer) });
    // The customer's own leg is nobody's, though both agents were rung for the call.
    expect(await quality.legOwnership(customer)).toEqual({ identities: [], callId: null });
    const own = sid();
    await new CallStartWriter(database).record({
      callSid: own, direction: 'outbound', from: 'client:carol', to: 'client:dave', participants: ['carol', 'dave'], voicemailTarget: null, status: 'initiated', at: t0,
    });
    expect(await quality.legOwnership(own)).toEqual({ identities: ['carol'], callId: await callIdOf(own) });
    expect(await quality.legOwnership(sid())).toEqual({ identities: [], callId: null });
  });

  it('stores a leg once; the second insert changes nothing and answers the same id', async () => {
    const leg = sid();
    const first = await quality.insertRecord(record(leg, 'alice', 'good', 4.4), null);
    expect(first).toEqual({ id: expect.any(String), created: true });
    expect(await quality.insertRecord(record(leg, 'alice', 'poor', 1.5), null)).toEqual({ id: first.id, created: false });
    expect(rowsOf(await database.db.execute(sql`SELECT band FROM call_quality_records WHERE call_sid = ${leg}`))).toEqual([{ band: 'good' }]);
  });

  it("badges history with the viewer's own leg, or a supervisor's worst leg, linked or not yet linked, in one statement", async () => {
    const { customer, aliceLeg, bobLeg } = await anchoredCall();
    await quality.insertRecord(record(aliceLeg, 'alice', 'poor', 3.1), null); // not linked yet: found through the conference
    await quality.insertRecord(record(bobLeg, 'bob', 'fair', 3.9), await callIdOf(customer));
    const badge = async (identity: string, scope: 'own' | 'worst') =>
      (await calls.pageForAgent(identity, 1, 50, scope)).items.find((call) => call.callSid === customer)?.quality;
    expect(await badge('alice', 'own')).toEqual({ band: 'poor', avgMos: expect.closeTo(3.1, 5), warningCount: 1 });
    expect(await badge('bob', 'own')).toEqual({ band: 'fair', avgMos: expect.closeTo(3.9, 5), warningCount: 1 });
    expect(await badge('bob', 'worst')).toEqual({ band: 'poor', avgMos: expect.closeTo(3.1, 5), warningCount: 1 });
  });

  it("reads a call's legs with their ratings, linking a leg's record on the way, and tells who was on the call", async () => {
    const { customer, aliceLeg, bobLeg } = await anchoredCall();
    await quality.insertRecord(record(aliceLeg, 'alice', 'good', 4.4), null);
    await quality.upsertRating(aliceLeg, 'alice', { score: 2, issues: ['echo'] });
    await quality.upsertRating(aliceLeg, 'bob', { score: 5, issues: [] }); // another agent's rating of alice's leg changes nothing
    const callId = await callIdOf(customer);
    const records = await quality.recordsForCall(callId);
    expect(records).toEqual([expect.objectContaining({
      callSid: aliceLeg, callId, identity: 'alice', samples: expect.anything(), rating: { score: 2, issues: ['echo'], at: expect.any(String) }, twilioSummary: null,
      summary: expect.objectContaining({ band: 'good', warningNames: ['high-jitter'] }), platform: { browser: 'Chrome', browserVersion: '131.0', os: 'Linux' },
    })]);
    expect([...records[0].samples]).toEqual([1, 2, 3]);
    expect(rowsOf(await database.db.execute(sql`SELECT call_id::text FROM call_quality_records WHERE call_sid = ${aliceLeg}`))).toEqual([{ call_id: callId }]);
    expect(await quality.isAgentOnCall(callId, 'bob')).toBe(true);
    expect(await quality.isAgentOnCall(callId, 'carol')).toBe(false);
    expect(bobLeg).toBeDefined();
  });

  it('deletes only rows older than the cut-off, in every quality table', async () => {
    const old = new Date(t0.getTime() - 100 * 86_400_000);
    const [oldLeg, newLeg] = [sid(), sid()];
    await quality.insertRecord(record(oldLeg, 'carol', 'good', 4.4, old), null);
    await quality.insertRecord(record(newLeg, 'carol', 'good', 4.4, t0), null);
    await database.db.execute(sql`INSERT INTO call_quality_ratings (call_sid, identity, score, at) VALUES (${oldLeg}, 'carol', 3, ${old.toISOString()}::timestamptz)`);
    await database.db.execute(sql`INSERT INTO registration_setups (identity, at, setup, sdk_version) VALUES ('carol', ${old.toISOString()}::timestamptz, '[]'::jsonb, 'x')`);
    await quality.insertLineTest('carol', {
      callSid: null, startedAt: old.toISOString(), endedAt: old.toISOString(), callQuality: null, edge: null, mos: { min: null, avg: null, max: null },
      rtt: { min: null, avg: null, max: null }, jitter: { min: null, avg: null, max: null }, packetLossPercent: null,
      timing: { signalingMs: null, iceMs: null, dtlsMs: null, peerConnectionMs: null }, warnings: [], error: null,
    }, 'poor', { browser: null, browserVersion: null, os: null });
    expect(await quality.deleteOlderThan(new Date(t0.getTime() - 90 * 86_400_000))).toEqual({ records: 1, ratings: 1, registrations: 1, lineTests: 1 });
    expect(await quality.recordOwner(newLeg)).toMatchObject({ identity: 'carol' });
    expect(await quality.recordOwner(oldLeg)).toBeUndefined();
  });
});
