import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import type { LegStatus, MessageFromSdk, SdkMessageChannel, UserDefinedMessage } from '@switchboard/sandbox-model';
import { FakeClock, FakeWebhooks, MemoryLogger } from '@switchboard/sandbox-twiml-engine';
import { createCallMessageResources } from './user-defined-messages';

const AC = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const OTHER_AC = 'AC00000000000000000000000000000001';
const TOKEN = '8c514220389604b8a422ec618db0f784';
const SDK_CALL = 'CA11111111111111111111111111111111';
const PHONE_CALL = 'CA22222222222222222222222222222222';
const ENDED_CALL = 'CA33333333333333333333333333333333';
const THEIR_CALL = 'CA44444444444444444444444444444444';

/** The SDK side, faked: one SDK leg (SDK_CALL); records what is delivered and lets a test "send" from the SDK. */
class FakeChannel implements SdkMessageChannel {
  readonly delivered: { callSid: string; message: UserDefinedMessage }[] = [];
  private readonly listeners = new Set<(message: MessageFromSdk) => void>();
  hasSdkLeg = (callSid: string): boolean => callSid === SDK_CALL;
  deliver(callSid: string, message: UserDefinedMessage): boolean {
    if (!this.hasSdkLeg(callSid)) return false;
    this.delivered.push({ callSid, message });
    return true;
  }
  onMessageFromSdk(listener: (message: MessageFromSdk) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  sendFromSdk(message: MessageFromSdk): void {
    this.listeners.forEach((listener) => listener(message));
  }
}

describe('UserDefinedMessages and UserDefinedMessageSubscriptions, driven by the real twilio client', () => {
  const channel = new FakeChannel();
  const webhooks = new FakeWebhooks();
  const calls = new Map<string, { accountSid: string; status: LegStatus }>([
    [SDK_CALL, { accountSid: AC, status: 'in-progress' }],
    [PHONE_CALL, { accountSid: AC, status: 'in-progress' }],
    [ENDED_CALL, { accountSid: AC, status: 'completed' }],
    [THEIR_CALL, { accountSid: OTHER_AC, status: 'in-progress' }],
  ]);
  let server: Server;
  let client: ReturnType<typeof twilio>;

  beforeAll(async () => {
    const handle = createCallMessageResources({
      config: { accounts: [{ accountSid: AC, authToken: TOKEN, apiKeys: [] }], publicOrigin: 'https://127.0.0.1:8443' },
      channel,
      engine: { webhooks, clock: new FakeClock(Date.UTC(2026, 0, 2, 3, 4, 5)), log: new MemoryLogger() },
      findCall: (sid) => calls.get(sid),
    });
    server = createServer(async (req, res) => {
      if (await handle(req, res)) return;
      res.writeHead(418).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = twilio(AC, TOKEN);
    client.api.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const failure = (promise: Promise<unknown>): Promise<{ status: number; code: number }> =>
    promise.then(
      () => ({ status: 0, code: 0 }),
      (error: { status: number; code: number }) => ({ status: error.status, code: error.code }),
    );

  it('delivers a message to the SDK leg and answers the resource; a repeated IdempotencyKey is answered, not delivered', async () => {
    const message = await client.calls(SDK_CALL).userDefinedMessages.create({ content: '{"a":1}', idempotencyKey: 'k' });
    expect(message).toMatchObject({ accountSid: AC, callSid: SDK_CALL, dateCreated: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) });
    expect(message.sid).toMatch(/^KX[0-9a-f]{32}$/);
    expect(channel.delivered).toEqual([{ callSid: SDK_CALL, message: { content: '{"a":1}', contentType: 'application/json', voiceEventSid: message.sid } }]);
    const repeat = await client.calls(SDK_CALL).userDefinedMessages.create({ content: '{"a":1}', idempotencyKey: 'k' });
    expect(repeat.sid).toBe(message.sid);
    expect(channel.delivered).toHaveLength(1);
  });

  it.each([
    ['an unknown call', `CA${'9'.repeat(32)}`, '{}', { status: 404, code: 20404 }],
    ["another account's call", THEIR_CALL, '{}', { status: 404, code: 20404 }],
    ['a call that has ended', ENDED_CALL, '{}', { status: 400, code: 21220 }],
    ['a call with no SDK leg', PHONE_CALL, '{}', { status: 400, code: 21220 }],
    ['Content that is not JSON', SDK_CALL, 'hello', { status: 400, code: 32702 }],
    ['Content over 10 000 characters', SDK_CALL, JSON.stringify('x'.repeat(10_000)), { status: 400, code: 32703 }],
  ])('refuses a message to %s', async (_, callSid, content, expected) => {
    const before = channel.delivered.length;
    expect(await failure(client.calls(callSid).userDefinedMessages.create({ content }))).toEqual(expected);
    expect(channel.delivered).toHaveLength(before);
  });

  it('posts every SDK message to each subscription with Twilio\'s parameters until it is deleted', async () => {
    const subscription = await client.calls(SDK_CALL).userDefinedMessageSubscriptions.create({ callback: 'http://127.0.0.1:9/cb', method: 'GET' });
    expect(subscription.sid).toMatch(/^ZY[0-9a-f]{32}$/);
    expect(subscription.uri).toBe(`/2010-04-01/Accounts/${AC}/Calls/${SDK_CALL}/UserDefinedMessageSubscriptions/${subscription.sid}.json`);
    channel.sendFromSdk({ callSid: SDK_CALL, content: '{"n":1}', contentType: 'application/json', voiceEventSid: 'KX1' });
    channel.sendFromSdk({ callSid: PHONE_CALL, content: '{}', contentType: 'application/json', voiceEventSid: 'KXother' });
    channel.sendFromSdk({ callSid: SDK_CALL, content: '{"n":2}', contentType: 'application/json', voiceEventSid: 'KX2' });
    expect(webhooks.notifications).toEqual([1, 2].map((n) => ({
      url: 'http://127.0.0.1:9/cb',
      method: 'GET',
      accountSid: AC,
      params: {
        AccountSid: AC, CallSid: SDK_CALL, Sid: `KX${n}`, ContentType: 'application/json', Content: `{"n":${n}}`,
        SequenceNumber: String(n), Timestamp: 'Fri, 02 Jan 2026 03:04:05 +0000',
      },
    })));
    await client.calls(SDK_CALL).userDefinedMessageSubscriptions(subscription.sid).remove();
    channel.sendFromSdk({ callSid: SDK_CALL, content: '{}', contentType: 'application/json', voiceEventSid: 'KX3' });
    expect(webhooks.notifications).toHaveLength(2);
    expect(await failure(client.calls(SDK_CALL).userDefinedMessageSubscriptions(subscription.sid).remove())).toEqual({ status: 404, code: 20404 });
  });

  it.each([
    ['an empty Callback', SDK_CALL, { callback: '' }, { status: 400, code: 20001 }],
    ['a Callback off this machine', SDK_CALL, { callback: 'https://example.com/cb' }, { status: 400, code: 20001 }],
    ['a Method other than GET or POST', SDK_CALL, { callback: 'http://127.0.0.1:9/cb', method: 'PUT' }, { status: 400, code: 20001 }],
    ['a call that has ended', ENDED_CALL, { callback: 'http://127.0.0.1:9/cb' }, { status: 400, code: 21220 }],
    ['a call with no SDK leg', PHONE_CALL, { callback: 'http://127.0.0.1:9/cb' }, { status: 400, code: 21220 }],
  ])('refuses a subscription with %s', async (_, callSid, params, expected) => {
    const create = client.calls(callSid).userDefinedMessageSubscriptions.create as (p: object) => Promise<unknown>;
    expect(await failure(create(params))).toEqual(expected);
  });
});
