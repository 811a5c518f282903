import Fastify, { type FastifyInstance } from 'fastify';
import type { HttpAdapterHost } from '@nestjs/core';
import { API_ROUTES } from '@switchboard/shared-contracts';
import { BeaconBodies, QUALITY_RECORD_BODY_LIMIT_BYTES, isRecordsPath } from './beacon-body';

const RECORDS = API_ROUTES.quality.records;

describe('isRecordsPath', () => {
  it('is the record route with or without a query string, and no other path', () => {
    expect(isRecordsPath(RECORDS)).toBe(true);
    expect(isRecordsPath(`${RECORDS}?beacon=1`)).toBe(true);
    expect(isRecordsPath(`${RECORDS}/x`)).toBe(false);
    expect(isRecordsPath(`${RECORDS}x`)).toBe(false);
    expect(isRecordsPath(RECORDS.slice(0, -1))).toBe(false);
    expect(isRecordsPath('/webhooks/voice/dial-complete')).toBe(false);
  });
});

describe('BeaconBodies (on a Fastify instance)', () => {
  let fastify: FastifyInstance;
  /** The content type a global hook added after BeaconBodies sees (the browser boundary's place). */
  const seenByLaterHook: Array<string | undefined> = [];

  beforeAll(async () => {
    fastify = Fastify();
    new BeaconBodies({ httpAdapter: { getInstance: () => fastify } } as unknown as HttpAdapterHost);
    fastify.addHook('onRequest', (request, _reply, done) => { seenByLaterHook.push(request.headers['content-type'] as string | undefined); done(); });
    fastify.post(RECORDS, async (request) => ({ body: request.body }));
    fastify.post('/api/other', async (request) => ({ body: request.body }));
    fastify.get(RECORDS, async () => ({ bodyLimit: null }));
    await fastify.ready();
  });
  afterAll(() => fastify.close());
  beforeEach(() => { seenByLaterHook.length = 0; });

  const post = (url: string, contentType: string) => fastify.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload: '{"a":1}' });

  it("hands a beacon's text body on as JSON on the record route, query string or not, before later hooks run", async () => {
    for (const url of [RECORDS, `${RECORDS}?x=1`]) {
      const answer = await post(url, 'text/plain;charset=UTF-8');
      expect([answer.statusCode, answer.json()]).toEqual([200, { body: { a: 1 } }]);
    }
    expect(seenByLaterHook).toEqual(['application/json', 'application/json']);
  });

  it('leaves every other route and content type alone', async () => {
    expect((await post('/api/other', 'text/plain;charset=UTF-8')).json()).toEqual({ body: '{"a":1}' });
    expect((await post(RECORDS, 'text/plain; charset=latin1')).json()).toEqual({ body: '{"a":1}' });
    expect(seenByLaterHook).toEqual(['text/plain;charset=UTF-8', 'text/plain; charset=latin1']);
  });

  it('raises the body limit on the POST record route only', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) });
    const json = (url: string) => fastify.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: big });
    expect((await json(RECORDS)).statusCode).toBe(200);
    expect((await json('/api/other')).statusCode).toBe(413);
    expect(QUALITY_RECORD_BODY_LIMIT_BYTES).toBeGreaterThan(big.length);
  });
});
