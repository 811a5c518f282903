import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import twilio from 'twilio';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import {
  callAndAnswer,
  hasEvent,
  resetDevices,
  sandboxToken,
  startBrowserHarness,
  WAIT_MS,
  type BrowserHarness,
  type TwimlAppStandIn,
} from './support/browser-harness';

/**
 * Call message events (Twilio's "Voice SDK Call Message Events"): the real Voice SDK in Chromium,
 * the real `twilio` client on the REST side (UserDefinedMessages, UserDefinedMessageSubscriptions),
 * and the signed callbacks checked with `twilio.validateRequest`.
 */

interface ReceivedMessage {
  readonly content: unknown;
  readonly contentType: string;
  readonly messageType: string;
  readonly voiceEventSid: string;
}

/** The page driver's `record` does not follow call messages; these listeners add them to `t.events`. */
const FOLLOW_MESSAGES = (call: string, tag: string): string => `(() => {
  const call = ${call};
  call.on('messageReceived', (m) => t.events.push('${tag}:messageReceived:' + JSON.stringify(m)));
  call.on('messageSent', (m) => t.events.push('${tag}:messageSent:' + m.voiceEventSid));
})()`;

describe('call messages between the real Voice SDK and the sandbox', () => {
  let harness: BrowserHarness;
  let twimlApp: TwimlAppStandIn;
  let client: ReturnType<typeof twilio>;
  let alice: Page;
  let bob: Page;

  async function agent(identity: string): Promise<Page> {
    const { page, state } = await harness.openDevice(sandboxToken(identity));
    expect(state).toBe('registered');
    return page;
  }

  const events = (page: Page, prefix: string): Promise<string[]> =>
    page.evaluate(`t.events.filter((e) => e.startsWith(${JSON.stringify(prefix)}))`) as Promise<string[]>;

  /** Waits for the `n`th (1-based) messageReceived on the page's call tagged `tag`. */
  async function received(page: Page, tag: string, n = 1): Promise<ReceivedMessage> {
    const prefix = `${tag}:messageReceived:`;
    await page.waitForFunction(`t.events.filter((e) => e.startsWith(${JSON.stringify(prefix)})).length >= ${n}`, undefined, { timeout: WAIT_MS });
    const all = await events(page, prefix);
    return JSON.parse(all[n - 1].slice(prefix.length)) as ReceivedMessage;
  }

  /** alice calls bob through the TwiML App's `<Dial><Client>`; bob accepts. Both follow call messages. */
  async function connectedCall(): Promise<{ aliceSid: string; bobSid: string }> {
    await callAndAnswer(alice, bob);
    await alice.evaluate(FOLLOW_MESSAGES('t.call', 'out'));
    await bob.evaluate(FOLLOW_MESSAGES('t.incoming', 'in'));
    return {
      aliceSid: (await alice.evaluate('t.call.parameters.CallSid')) as string,
      bobSid: (await bob.evaluate('t.incoming.parameters.CallSid')) as string,
    };
  }

  const sendFromAlice = (content: unknown, messageType = 'user-defined-message'): Promise<string> =>
    alice.evaluate(`t.call.sendMessage(${JSON.stringify({ content, messageType })})`) as Promise<string>;

  beforeAll(async () => {
    harness = await startBrowserHarness({ dataDirPrefix: 'voice-sandbox-messages-' });
    twimlApp = harness.twimlApp;
    client = twilio(SANDBOX_CREDENTIALS.apiKeySid, SANDBOX_CREDENTIALS.apiKeySecret, {
      accountSid: SANDBOX_CREDENTIALS.accountSid,
      ca: readFileSync(join(harness.dataDir, 'tls', 'sandbox-cert.pem'), 'utf8'),
    });
    client.api.baseUrl = harness.sandbox.url;
    alice = await agent('alice');
    bob = await agent('bob');
  });

  afterAll(() => harness?.close());

  afterEach(() => resetDevices([alice, bob]));

  it('a UserDefinedMessage created with the twilio client reaches the SDK leg of that call as messageReceived', async () => {
    const { aliceSid, bobSid } = await connectedCall();
    const toAlice = await client.calls(aliceSid).userDefinedMessages.create({ content: JSON.stringify({ hello: 'alice', n: 1 }) });
    expect(toAlice).toMatchObject({ accountSid: SANDBOX_CREDENTIALS.accountSid, callSid: aliceSid });
    expect(toAlice.sid).toMatch(/^KX[0-9a-f]{32}$/);
    expect(toAlice.dateCreated).toBeInstanceOf(Date);
    expect(await received(alice, 'out')).toEqual({
      content: { hello: 'alice', n: 1 },
      contentType: 'application/json',
      messageType: 'user-defined-message',
      voiceEventSid: toAlice.sid,
    });
    // The child leg (bob's) is its own call: a message to it reaches bob only.
    const toBob = await client.calls(bobSid).userDefinedMessages.create({ content: '["to bob"]' });
    expect(await received(bob, 'in')).toMatchObject({ content: ['to bob'], voiceEventSid: toBob.sid });
    expect(await events(alice, 'out:messageReceived:')).toHaveLength(1);
  });

  it('honours IdempotencyKey: a repeat returns the same message and is not delivered twice', async () => {
    const { aliceSid } = await connectedCall();
    const first = await client.calls(aliceSid).userDefinedMessages.create({ content: '{"once":true}', idempotencyKey: 'key-1' });
    const repeat = await client.calls(aliceSid).userDefinedMessages.create({ content: '{"once":true}', idempotencyKey: 'key-1' });
    expect(repeat.sid).toBe(first.sid);
    const next = await client.calls(aliceSid).userDefinedMessages.create({ content: '{"next":true}', idempotencyKey: 'key-2' });
    expect(next.sid).not.toBe(first.sid);
    // Messages on one socket arrive in order: once the second key's message is in, a duplicate would be too.
    expect(await received(alice, 'out', 2)).toMatchObject({ voiceEventSid: next.sid });
    const all = (await events(alice, 'out:messageReceived:')).map((e) => (JSON.parse(e.slice('out:messageReceived:'.length)) as ReceivedMessage).voiceEventSid);
    expect(all).toEqual([first.sid, next.sid]);
  });

  it('a subscription gets every sendMessage as a signed callback with Twilio\'s parameters; after DELETE it gets none', async () => {
    const { aliceSid } = await connectedCall();
    const subscription = await client.calls(aliceSid).userDefinedMessageSubscriptions.create({ callback: `${twimlApp.origin}/messages/a` });
    expect(subscription).toMatchObject({ accountSid: SANDBOX_CREDENTIALS.accountSid, callSid: aliceSid });
    expect(subscription.sid).toMatch(/^ZY[0-9a-f]{32}$/);
    expect(subscription.uri).toBe(`/2010-04-01/Accounts/${SANDBOX_CREDENTIALS.accountSid}/Calls/${aliceSid}/UserDefinedMessageSubscriptions/${subscription.sid}.json`);

    const voiceEventSid = await sendFromAlice({ hello: 'world' });
    await hasEvent(alice, `out:messageSent:${voiceEventSid}`);
    const callback = await twimlApp.waitFor('the message callback', (r) => r.path === '/messages/a');
    expect(twilio.validateRequest(SANDBOX_CREDENTIALS.authToken, callback.signature, callback.url, callback.params)).toBe(true);
    expect(callback.params).toMatchObject({
      AccountSid: SANDBOX_CREDENTIALS.accountSid,
      CallSid: aliceSid,
      Sid: voiceEventSid,
      ContentType: 'application/json',
      Content: JSON.stringify({ hello: 'world' }),
      SequenceNumber: '1',
    });
    expect(new Date(callback.params['Timestamp']).getTime()).not.toBeNaN();

    await client.calls(aliceSid).userDefinedMessageSubscriptions(subscription.sid).remove();
    const unsubscribed = await sendFromAlice({ after: 'delete' });
    await hasEvent(alice, `out:messageSent:${unsubscribed}`);
    // A later subscription's callback proves the sandbox posted what it was going to post for that message.
    await client.calls(aliceSid).userDefinedMessageSubscriptions.create({ callback: `${twimlApp.origin}/messages/b` });
    const later = await sendFromAlice({ later: true });
    const laterCallback = await twimlApp.waitFor('the second subscription callback', (r) => r.path === '/messages/b');
    expect(laterCallback.params).toMatchObject({ Sid: later, SequenceNumber: '1' });
    expect(twimlApp.requests.filter((r) => r.path === '/messages/a').map((r) => r.params['Sid'])).toEqual([voiceEventSid]);
    expect(twimlApp.requests.some((r) => r.params['Sid'] === unsubscribed)).toBe(false);
  });

  it('answers a message of an unsupported type with error 31210 on the call, and no messageSent', async () => {
    await connectedCall();
    const invalid = await sendFromAlice({ foo: 'bar' }, 'not-a-valid-message-type');
    await hasEvent(alice, 'out:error:31210');
    const valid = await sendFromAlice({ foo: 'bar' });
    await hasEvent(alice, `out:messageSent:${valid}`);
    expect(await events(alice, 'out:messageSent:')).toEqual([`out:messageSent:${valid}`]);
    expect(invalid).not.toBe(valid);
  });

  it('answers a message over the 10 KB content limit with error 31212 on the call, and no messageSent', async () => {
    await connectedCall();
    await sendFromAlice({ big: 'x'.repeat(12_000) });
    await hasEvent(alice, 'out:error:31212');
    const valid = await sendFromAlice({ small: true });
    await hasEvent(alice, `out:messageSent:${valid}`);
    expect(await events(alice, 'out:messageSent:')).toEqual([`out:messageSent:${valid}`]);
  });

  it('answers Twilio\'s errors: 20404 for an unknown call, 21220 for a call that has ended, 32702 for Content that is not JSON', async () => {
    const failure = (promise: Promise<unknown>): Promise<{ status: number; code: number }> =>
      promise.then(
        () => ({ status: 0, code: 0 }),
        (error: { status: number; code: number }) => ({ status: error.status, code: error.code }),
      );
    const unknown = `CA${'0'.repeat(32)}`;
    expect(await failure(client.calls(unknown).userDefinedMessages.create({ content: '{}' }))).toEqual({ status: 404, code: 20404 });
    expect(await failure(client.calls(unknown).userDefinedMessageSubscriptions.create({ callback: `${twimlApp.origin}/x` }))).toEqual({
      status: 404,
      code: 20404,
    });
    const { aliceSid } = await connectedCall();
    expect(await failure(client.calls(aliceSid).userDefinedMessages.create({ content: 'not json' }))).toEqual({ status: 400, code: 32702 });
    await alice.evaluate('t.call.disconnect()');
    await hasEvent(bob, 'in:disconnect');
    const ended = await (async () => {
      for (;;) {
        const status = (await client.calls(aliceSid).fetch()).status;
        if (status === 'completed') return status;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    expect(ended).toBe('completed');
    expect(await failure(client.calls(aliceSid).userDefinedMessages.create({ content: '{}' }))).toEqual({ status: 400, code: 21220 });
  });
});
