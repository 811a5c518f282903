import { loadAppConfig } from '@switchboard/api-data-access-config';
import { TelephonyError } from '@switchboard/api-data-access-telephony';
import { callSummaryOf, TwilioCallSummaries } from './twilio-call-summaries';

describe('callSummaryOf (Voice Insights Call Summary → TwilioCallSummary)', () => {
  it("takes Twilio's tags, states, who hung up and the post-dial delay from their snake_case names", () => {
    expect(callSummaryOf({
      tags: ['high_jitter', 'silence'], callState: 'completed', processingState: 'complete',
      properties: { disconnected_by: 'callee', pdd_ms: 1234, direction: 'outbound_api' },
    })).toEqual({ tags: ['high_jitter', 'silence'], whoHungUp: 'callee', postDialDelayMs: 1234, callState: 'completed', processingState: 'complete' });
  });

  it('falls back to post_dial_delay, and leaves out what is missing or of the wrong type', () => {
    expect(callSummaryOf({ tags: null, properties: { post_dial_delay: 800, disconnected_by: 42 } }))
      .toEqual({ tags: [], whoHungUp: null, postDialDelayMs: 800, callState: null, processingState: null });
    expect(callSummaryOf({ tags: ['ok', 7 as unknown as string], properties: 'nonsense', processingState: 'partial' }))
      .toEqual({ tags: ['ok'], whoHungUp: null, postDialDelayMs: null, callState: null, processingState: 'partial' });
  });
});

describe('TwilioCallSummaries', () => {
  it('asks insights.v1.calls(sid).summary() on TWILIO_API_BASE_URL; a 404 is "no summary", another failure a TelephonyError', async () => {
    const seen: string[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      const found = request.url?.includes('CA00000000000000000000000000000001');
      const failed = request.url?.includes('CA00000000000000000000000000000002');
      response.writeHead(found ? 200 : failed ? 500 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(found
        ? { call_sid: 'CA00000000000000000000000000000001', tags: ['high_packet_loss'], call_state: 'completed', processing_state: 'partial', properties: { disconnected_by: 'caller', pdd_ms: 900 } }
        : { code: 20404, message: 'not found', status: found ? 200 : failed ? 500 : 404 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const summaries = new TwilioCallSummaries(loadAppConfig({ SWITCHBOARD_MODE: 'sandbox', TWILIO_API_BASE_URL: `http://127.0.0.1:${port}` }));
      expect(await summaries.fetch('CA00000000000000000000000000000001')).toEqual({
        tags: ['high_packet_loss'], whoHungUp: 'caller', postDialDelayMs: 900, callState: 'completed', processingState: 'partial',
      });
      expect(await summaries.fetch('CA00000000000000000000000000000003')).toBeNull();
      await expect(summaries.fetch('CA00000000000000000000000000000002')).rejects.toBeInstanceOf(TelephonyError);
      expect(seen[0]).toBe('GET /v1/Voice/CA00000000000000000000000000000001/Summary');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
