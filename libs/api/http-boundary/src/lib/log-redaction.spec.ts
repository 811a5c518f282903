import { scrubLogText, scrubLogValue } from './log-redaction';

describe('log redaction', () => {
  it('masks E.164 numbers however they are written, client identities, SQL parameters and Postgres key details', () => {
    const text = [
      'Failed query: insert into "calls" ("call_sid", "from_number") values ($1, $2)',
      'params: CA0123,client:alice,+14155550111,bob',
      'Key (number)=(+14155550166) already exists.',
      'dialling +1 (415) 555-0122 for client:sam_2, then /x?To=%2B14155550133',
    ].join('\n');
    const scrubbed = scrubLogText(text);
    expect(scrubbed).not.toMatch(/555|alice|bob|sam_2|CA0123/);
    expect(scrubbed).toBe([
      'Failed query: insert into "calls" ("call_sid", "from_number") values ($1, $2)',
      'params: [redacted]',
      'Key (number)=([redacted]) already exists.',
      'dialling [phone] for client:[identity], then /x?To=[phone]',
    ].join('\n'));
  });

  it('leaves what is not personal alone: SIDs, times, counts, URLs', () => {
    const text = 'Call CA0123456789abcdef0123456789abcdef ended at 2026-12-06T03:00:00Z after 120 s; GET /api/calls 200';
    expect(scrubLogText(text)).toBe(text);
  });

  it('walks logged objects and errors, drops private keys, and leaves class instances to their serializers', () => {
    class Request { constructor(readonly url: string) {} }
    const request = new Request('/webhooks/voice/outgoing');
    const cause = Object.assign(new Error('duplicate key'), { detail: 'Key (identity)=(alice) already exists.' });
    const error = Object.assign(new Error('Failed query: x\nparams: +14155550111,alice', { cause }), { params: ['+14155550111', 'alice'] });
    const scrubbed = scrubLogValue({ err: error, req: request, nested: [{ note: 'to +14155550111' }], identity: 'alice' }) as { req: unknown; identity: unknown; err: { cause: unknown } };
    expect(JSON.stringify(scrubbed)).not.toMatch(/555|alice/);
    expect(scrubbed.req).toBe(request);
    expect(scrubbed.identity).toBe('[redacted]');
    expect(scrubbed.err).toMatchObject({ type: 'Error', message: 'Failed query: x\nparams: [redacted]', params: '[redacted]' });
    expect(scrubbed.err.cause).toMatchObject({ detail: 'Key (identity)=([redacted]) already exists.' });
  });
});
