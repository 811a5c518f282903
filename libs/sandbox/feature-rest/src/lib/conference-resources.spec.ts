import { AC, failure, OTHER_AC, startConferenceRestServer, TOKEN } from '../testing/conference-rest-server';

const DAY = 24 * 60 * 60 * 1000;

describe('Conference resource, driven by the real twilio client', () => {
  let sandbox: Awaited<ReturnType<typeof startConferenceRestServer>>;
  beforeEach(async () => {
    sandbox = await startConferenceRestServer();
  });
  afterEach(async () => {
    await sandbox.stop();
  });

  it('lists live conferences newest first without Status, and completed ones only with Status=completed; never another account\'s', async () => {
    const now = sandbox.clock.now();
    const older = sandbox.control.seedConference(AC, 'support-1', 'in-progress', now - 2000);
    const newer = sandbox.control.seedConference(AC, 'support-2', 'init', now - 1000);
    const ended = sandbox.control.seedConference(AC, 'support-0', 'completed', now - 3000);
    sandbox.control.seedConference(OTHER_AC, 'support-1', 'in-progress', now);

    expect((await sandbox.client.conferences.list()).map((c) => c.sid)).toEqual([newer.sid, older.sid]);
    expect((await sandbox.client.conferences.list({ status: 'completed' })).map((c) => c.sid)).toEqual([ended.sid]);
    expect((await sandbox.client.conferences.list({ status: 'init' })).map((c) => c.sid)).toEqual([newer.sid]);
    expect((await sandbox.client.conferences.list({ friendlyName: 'support-1', status: 'in-progress' })).map((c) => c.sid)).toEqual([older.sid]);
    expect(await sandbox.client.conferences.list({ friendlyName: 'nobody' })).toEqual([]);
  });

  it('pages as the client iterates: every conference once across pages of PageSize, next_page_uri carrying the filters', async () => {
    const seeded = Array.from({ length: 7 }, (_, i) => sandbox.control.seedConference(AC, `room-${i}`, 'in-progress', sandbox.clock.now() + i));
    sandbox.control.seedConference(AC, 'room-ended', 'completed');
    const all = await sandbox.client.conferences.list({ pageSize: 3, status: 'in-progress' });
    expect(all.map((c) => c.friendlyName)).toEqual(seeded.map((c) => c.friendlyName).reverse());
    expect((await sandbox.client.conferences.list({ pageSize: 3, limit: 4 })).map((c) => c.friendlyName)).toEqual(['room-6', 'room-5', 'room-4', 'room-3']);

    const first = await sandbox.client.conferences.page({ pageSize: 3, status: 'in-progress' });
    expect(first.instances).toHaveLength(3);
    const raw = await getJson(`/2010-04-01/Accounts/${AC}/Conferences.json?Status=in-progress&PageSize=3`);
    expect(raw).toMatchObject({
      page: 0, page_size: 3, start: 0, end: 2, previous_page_uri: null,
      uri: `/2010-04-01/Accounts/${AC}/Conferences.json?Status=in-progress&PageSize=3&Page=0`,
      first_page_uri: `/2010-04-01/Accounts/${AC}/Conferences.json?Status=in-progress&PageSize=3&Page=0`,
      next_page_uri: `/2010-04-01/Accounts/${AC}/Conferences.json?Status=in-progress&PageSize=3&Page=1&PageToken=PA${seeded[4].sid}`,
    });
    const last = await (await first.nextPage())?.nextPage();
    expect(last?.instances.map((c) => c.friendlyName)).toEqual(['room-0']);
    expect(last?.nextPageUrl).toBeUndefined();
  });

  it('filters by DateCreated on, before and after a UTC day', async () => {
    const now = sandbox.clock.now();
    const yesterday = sandbox.control.seedConference(AC, 'yesterday', 'in-progress', now - DAY);
    const today = sandbox.control.seedConference(AC, 'today', 'in-progress', now);
    const day = (ms: number) => new Date(new Date(ms).toISOString().slice(0, 10));
    expect((await sandbox.client.conferences.list({ dateCreated: day(now) })).map((c) => c.sid)).toEqual([today.sid]);
    expect((await sandbox.client.conferences.list({ dateCreatedBefore: day(now - DAY) })).map((c) => c.sid)).toEqual([yesterday.sid]);
    expect((await sandbox.client.conferences.list({ dateCreatedAfter: day(now - DAY) })).map((c) => c.sid)).toEqual([today.sid, yesterday.sid]);
  });

  it('fetches a conference with exactly Twilio\'s fields', async () => {
    const seeded = sandbox.control.seedConference(AC, 'support-1', 'in-progress');
    const conference = await sandbox.client.conferences(seeded.sid).fetch();
    expect(conference).toMatchObject({
      sid: seeded.sid, accountSid: AC, friendlyName: 'support-1', status: 'in-progress', region: 'us1', apiVersion: '2010-04-01',
      dateCreated: new Date(seeded.dateCreated), reasonConferenceEnded: null, callSidEndingConference: null,
      uri: `/2010-04-01/Accounts/${AC}/Conferences/${seeded.sid}.json`,
      subresourceUris: {
        participants: `/2010-04-01/Accounts/${AC}/Conferences/${seeded.sid}/Participants.json`,
        recordings: `/2010-04-01/Accounts/${AC}/Conferences/${seeded.sid}/Recordings.json`,
      },
    });
    const raw = await getJson(`/2010-04-01/Accounts/${AC}/Conferences/${seeded.sid}.json`);
    // The keys of twilio's ConferenceResource typing (rest/api/v2010/account/conference.d.ts).
    expect(Object.keys(raw).sort()).toEqual([
      'account_sid', 'api_version', 'call_sid_ending_conference', 'date_created', 'date_updated', 'friendly_name',
      'reason_conference_ended', 'region', 'sid', 'status', 'subresource_uris', 'uri',
    ]);
    expect(raw['date_created']).toBe('Sun, 06 Dec 2026 05:00:00 +0000');
  });

  it('ends a conference with Status=completed and announces into it with AnnounceUrl', async () => {
    const seeded = sandbox.control.seedConference(AC, 'support-1', 'in-progress');
    const announced = await sandbox.client.conferences(seeded.sid).update({ announceUrl: 'http://127.0.0.1:9/announce.xml' });
    expect(announced.status).toBe('in-progress');
    await sandbox.client.conferences(seeded.sid).update({ announceUrl: 'http://127.0.0.1:9/a.wav', announceMethod: 'GET' });
    expect(sandbox.control.announcements).toEqual([
      { conferenceSid: seeded.sid, url: 'http://127.0.0.1:9/announce.xml', method: 'POST' },
      { conferenceSid: seeded.sid, url: 'http://127.0.0.1:9/a.wav', method: 'GET' },
    ]);
    const ended = await sandbox.client.conferences(seeded.sid).update({ status: 'completed' });
    expect(ended).toMatchObject({ status: 'completed', reasonConferenceEnded: 'conference-ended-via-api' });
  });

  it.each([
    ['an unknown conference', () => sandbox.client.conferences(`CF${'9'.repeat(32)}`).fetch(), { status: 404, code: 20404 }],
    ["another account's conference (fetch)", () => sandbox.otherClient.conferences(mine()).fetch(), { status: 404, code: 20404 }],
    ["another account's conference (update)", () => sandbox.otherClient.conferences(mine()).update({ status: 'completed' }), { status: 404, code: 20404 }],
    ['Status other than completed', () => sandbox.client.conferences(mine()).update({ status: 'in-progress' as 'completed' }), { status: 400, code: 20001 }],
    ['an AnnounceUrl that is not a URL', () => sandbox.client.conferences(mine()).update({ announceUrl: 'not a url' }), { status: 400, code: 21205 }],
    ['an AnnounceMethod other than GET or POST', () => sandbox.client.conferences(mine()).update({ announceUrl: 'http://127.0.0.1:9/a', announceMethod: 'PUT' }), { status: 400, code: 20001 }],
    ['a list Status outside init, in-progress, completed', () => sandbox.client.conferences.list({ status: 'ended' as 'completed' }), { status: 400, code: 20001 }],
    ['a PageSize over 1000', () => sandbox.client.conferences.page({ pageSize: 1001 }), { status: 400, code: 20001 }],
  ])('refuses %s with Twilio\'s code and changes nothing', async (_, request, expected) => {
    sandbox.control.seedConference(AC, 'support-1', 'in-progress');
    expect(await failure(request())).toEqual(expected);
    expect(sandbox.control.list(AC).map((c) => c.status)).toEqual(['in-progress']);
    expect(sandbox.control.announcements).toEqual([]);
  });

  it('refuses a malformed DateCreated (the client sends dates itself, so this is raw HTTP)', async () => {
    expect(await getJson(`/2010-04-01/Accounts/${AC}/Conferences.json?DateCreated=yesterday`, 400)).toMatchObject({ code: 20001, status: 400 });
    expect(await getJson(`/2010-04-01/Accounts/${AC}/Conferences/nope`, 404)).toMatchObject({ code: 20404 });
  });

  it('answers 20404 for every Conferences path when the sandbox is built without conferences, and 20003 for bad credentials', async () => {
    const without = await startConferenceRestServer({ withConferences: false });
    try {
      expect(await failure(without.client.conferences.list())).toEqual({ status: 404, code: 20404 });
      expect(await failure(without.client.conferences(`CF${'1'.repeat(32)}`).participants.list())).toEqual({ status: 404, code: 20404 });
    } finally {
      await without.stop();
    }
    const response = await fetch(`${sandbox.origin}/2010-04-01/Accounts/${AC}/Conferences.json`, { headers: { Authorization: basic(AC, 'wrong') } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 20003 });
  });

  function mine(): string {
    return sandbox.control.list(AC)[0]?.sid ?? sandbox.control.seedConference(AC, 'support-1', 'in-progress').sid;
  }

  async function getJson(path: string, status = 200): Promise<Record<string, unknown>> {
    const response = await fetch(`${sandbox.origin}${path}`, { headers: { Authorization: basic(AC, TOKEN) } });
    expect(response.status).toBe(status);
    return (await response.json()) as Record<string, unknown>;
  }
});

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
