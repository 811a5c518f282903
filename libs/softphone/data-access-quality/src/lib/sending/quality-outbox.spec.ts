import { TestBed } from '@angular/core/testing';
import { API_ROUTES, type QualityRecordInput } from '@switchboard/shared-contracts';
import { FakeQualityBrowser } from '../testing/fake-quality-browser';
import { KEEPALIVE_MAX_BYTES, OUTBOX_CAPACITY, OUTBOX_STORAGE_KEY, QualityOutbox } from './quality-outbox';
import { QUALITY_BROWSER } from './quality-browser';

function record(callSid: string, samples = 1): QualityRecordInput {
  const column = Array.from({ length: samples }, () => 4.3);
  return {
    callSid,
    direction: 'inbound',
    startedAt: '2026-12-06T09:00:00.000Z',
    endedAt: '2026-12-06T09:01:00.000Z',
    samples: { firstSampleAt: 0, intervalMs: 1000, mos: column, rtt: column, jitter: column, packetLossPercent: column, inputLevel: column, outputLevel: column },
    warnings: [],
    setup: [],
    media: { codec: 'opus', localCandidateType: null, remoteCandidateType: null, networkType: null, edge: null, dscp: true, sdkVersion: '2.18.5', inputDeviceLabel: null, outputDeviceLabel: null },
  };
}

function setUp(browser = new FakeQualityBrowser()) {
  TestBed.resetTestingModule();
  TestBed.configureTestingModule({ providers: [{ provide: QUALITY_BROWSER, useValue: browser }] });
  return { outbox: TestBed.inject(QualityOutbox), browser };
}

const stored = (browser: FakeQualityBrowser) => JSON.parse(browser.storage.getItem(OUTBOX_STORAGE_KEY) ?? '[]') as { callSid: string }[];

describe('QualityOutbox', () => {
  it('keeps a record until the API took it, posting small records with keepalive', async () => {
    const { outbox, browser } = setUp();
    browser.status = 0; // network down
    await outbox.submit('alice', record('CA1'));
    expect(browser.posts).toEqual([{ url: API_ROUTES.quality.records, json: JSON.stringify(record('CA1')), keepalive: true }]);
    expect(stored(browser).map((e) => e.callSid)).toEqual(['CA1']);
    browser.status = 201;
    await outbox.flush('alice');
    expect(browser.posts).toHaveLength(2);
    expect(outbox.pending).toEqual([]);
    expect(stored(browser)).toEqual([]);
  });

  it('retries at the next load from localStorage (a new outbox on the same storage), only for the agent who recorded it', async () => {
    const first = setUp();
    first.browser.status = 503;
    await first.outbox.submit('alice', record('CA1'));
    const { outbox, browser } = setUp(first.browser);
    browser.status = 200;
    await outbox.flush('bob');
    expect(browser.posts).toHaveLength(1);
    await outbox.flush('alice');
    expect(browser.posts).toHaveLength(2);
    expect(outbox.pending).toEqual([]);
  });

  it('drops a record the API refused as invalid (400): retrying would never succeed', async () => {
    const { outbox, browser } = setUp();
    browser.status = 400;
    await outbox.submit('alice', record('CA1'));
    expect(outbox.pending).toEqual([]);
  });

  it(`holds at most ${OUTBOX_CAPACITY} records, dropping the oldest`, async () => {
    const { outbox, browser } = setUp();
    browser.status = 0;
    for (let i = 1; i <= OUTBOX_CAPACITY + 3; i += 1) await outbox.submit('alice', record(`CA${i}`));
    expect(outbox.pending).toHaveLength(OUTBOX_CAPACITY);
    expect(outbox.pending[0].callSid).toBe('CA4');
    expect(stored(browser)).toHaveLength(OUTBOX_CAPACITY);
  });

  it('over the storage quota drops the oldest stored records, keeping the rest in memory', async () => {
    const browser = new FakeQualityBrowser();
    browser.status = 0;
    const oneEntry = JSON.stringify({ identity: 'alice', callSid: 'CA1', json: JSON.stringify(record('CA1')) }).length;
    browser.storage.quota = oneEntry * 2 + 10;
    const { outbox } = setUp(browser);
    for (const sid of ['CA1', 'CA2', 'CA3']) await outbox.submit('alice', record(sid));
    expect(stored(browser).map((e) => e.callSid)).toEqual(['CA2', 'CA3']);
    expect(outbox.pending.map((e) => e.callSid)).toEqual(['CA1', 'CA2', 'CA3']);
  });

  it('a long call goes without keepalive, and at page close only what fits in the 64 KiB beacon budget is beaconed', async () => {
    const { outbox, browser } = setUp();
    browser.status = 0;
    const long = record('CA-long', 4000);
    expect(JSON.stringify(long).length).toBeGreaterThan(KEEPALIVE_MAX_BYTES);
    await outbox.submit('alice', long);
    expect(browser.posts[0].keepalive).toBe(false);
    outbox.keep('alice', record('CA-short'));
    expect(outbox.beaconAll('alice')).toBe(1);
    expect(browser.beacons.map((b) => JSON.parse(b.json).callSid)).toEqual(['CA-short']);
    expect(browser.beacons[0].url).toBe(API_ROUTES.quality.records);
    // Beaconed is not confirmed: both wait for the next load.
    expect(outbox.pending.map((e) => e.callSid)).toEqual(['CA-long', 'CA-short']);
  });
});
