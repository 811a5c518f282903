import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio, { RequestClient } from 'twilio';
import type TwilioRequestClient from 'twilio/lib/base/RequestClient';
import { FakeClock, type LegStatusEvent, type MediaLegStats } from '@switchboard/sandbox-model';
import type { CallSummaryFacts } from './call-summary';
import { createCallSummaryHandler } from './call-summary-route';

const AC = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const TOKEN = '8c514220389604b8a422ec618db0f784';
const OTHER_AC = 'AC11111111111111111111111111111111';
const SID = 'CA0123456789abcdef0123456789abcdef';

/** As the API's BaseUrlRequestClient does: the twilio client builds https://insights.twilio.com/…; send it to `base`. */
class RebasingRequestClient extends RequestClient {
  constructor(private readonly base: string) {
    super();
  }

  override request<TData>(opts: TwilioRequestClient.RequestOptions<TData>) {
    const url = new URL(opts.uri);
    return super.request<TData>({ ...opts, uri: `${this.base}${url.pathname}${url.search}` });
  }
}

describe('GET /v1/Voice/{CallSid}/Summary, read by the official twilio client over real HTTP', () => {
  const clock = new FakeClock(Date.UTC(2026, 11, 6, 12, 0, 0));
  const legs = new Map<string, CallSummaryFacts>();
  const listeners = new Set<(event: LegStatusEvent) => void>();
  const lossy: MediaLegStats = {
    codecName: 'opus', payloadType: 111,
    inbound: { packetsReceived: 800, packetsLost: 200, jitterAvgMs: 1.2, jitterMaxMs: 6, peakLevel: 9000 },
    outbound: { packetsSent: 790, packetsLost: 210 },
    rttAvgMs: 1.5, rttMaxMs: 3,
  };
  let server: Server;
  let base = '';

  const client = (username = AC, password = TOKEN) => twilio(username, password, { httpClient: new RebasingRequestClient(base) });

  beforeAll(async () => {
    const handler = createCallSummaryHandler({
      config: { accounts: [{ accountSid: AC, authToken: TOKEN, apiKeys: [] }, { accountSid: OTHER_AC, authToken: 'other', apiKeys: [] }], publicOrigin: 'https://x' },
      clock,
      legs: (sid) => legs.get(sid),
      onLegStatus: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      mediaStats: (sid) => (sid === SID ? lossy : undefined),
      keep: 2,
    });
    server = createServer(async (req, res) => {
      if (!(await handler(req, res))) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function endLeg(callSid: string, overrides: Partial<CallSummaryFacts> = {}): void {
    const t = clock.now();
    legs.set(callSid, {
      callSid, accountSid: AC, from: 'client:alice', to: 'line-test', direction: 'inbound', status: 'completed',
      startedAt: t - 12_000, ringingAt: t - 12_000, answeredAt: t - 11_500, endedAt: t, endedBy: 'sandbox', ...overrides,
    });
    listeners.forEach((l) => l({ callSid, status: 'completed', at: t }));
  }

  it('parses a lossy SDK leg: client call, complete, high_packet_loss, who hung up', async () => {
    endLeg(SID);
    const summary = await client().insights.v1.calls(SID).summary().fetch();
    expect(summary.callSid).toBe(SID);
    expect(summary.accountSid).toBe(AC);
    expect(summary.callType).toBe('client');
    expect(summary.callState).toBe('completed');
    expect(summary.processingState).toBe('complete');
    expect(summary.tags).toEqual(['high_packet_loss']);
    expect(summary.duration).toBe(12);
    expect(summary.connectDuration).toBe(12);
    expect(summary.startTime).toBeInstanceOf(Date);
    expect(summary.endTime?.getTime()).toBe(clock.now());
    expect(summary.properties).toMatchObject({ disconnected_by: 'callee', pdd_ms: 0, last_sip_response_num: 200, direction: 'inbound' });
    expect(summary.clientEdge.metrics.inbound).toMatchObject({ packets_lost: 200, packets_loss_percentage: 20, codec_name: 'opus' });
    expect(summary.carrierEdge).toBeNull();
  });

  it('answers 404 with code 20404 for an unknown CallSid, and for another account\'s call', async () => {
    await expect(client().insights.v1.calls('CAffffffffffffffffffffffffffffffff').summary().fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client(OTHER_AC, 'other').insights.v1.calls(SID).summary().fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('answers 401 (20003) without the account\'s credentials', async () => {
    await expect(client(AC, 'wrong').insights.v1.calls(SID).summary().fetch()).rejects.toMatchObject({ status: 401, code: 20003 });
  });

  it('a live leg is partial; ProcessingState=complete is 404 until it ends; a bad ProcessingState is 400', async () => {
    const live = 'CA0000000000000000000000000000live';
    legs.set(live, { callSid: live, accountSid: AC, from: 'client:alice', to: '', direction: 'inbound', status: 'in-progress', startedAt: clock.now() - 5000, answeredAt: clock.now() - 4000 });
    const partial = await client().insights.v1.calls(live).summary().fetch();
    expect(partial.processingState).toBe('partial');
    expect(partial.callState).toBe('answered');
    await expect(client().insights.v1.calls(live).summary().fetch({ processingState: 'complete' })).rejects.toMatchObject({ status: 404 });
    await expect(client().insights.v1.calls(live).summary().fetch({ processingState: 'bogus' as never })).rejects.toMatchObject({ status: 400, code: 20001 });
  });

  it('keeps ended legs after the core forgot them, bounded to the newest `keep`', async () => {
    endLeg('CA00000000000000000000000000000002');
    endLeg('CA00000000000000000000000000000003');
    legs.clear(); // the core's own record is gone (it keeps fewer ended legs)
    await expect(client().insights.v1.calls('CA00000000000000000000000000000003').summary().fetch()).resolves.toMatchObject({ processingState: 'complete' });
    await expect(client().insights.v1.calls(SID).summary().fetch()).rejects.toMatchObject({ status: 404 });
  });
});
