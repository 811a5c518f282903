import { FakeClock, type MessageFromSdk } from '@switchboard/sandbox-model';
import { FakeEndpoint, openSession } from '../testing/sdk-doubles';
import { CALL_MESSAGE_ERRORS, SdkCallMessages } from './sdk-call-messages';
import { SdkCallTable } from './sdk-call-table';
import { SdkSessions } from './sdk-sessions';

function setup() {
  const sessions = new SdkSessions(() => undefined);
  const calls = new SdkCallTable(sessions, new FakeClock());
  const alice = openSession(sessions, 'alice');
  const mallory = openSession(sessions, 'mallory');
  calls.add({ callSid: 'CA1', reconnectToken: 'RT1', endpoint: new FakeEndpoint('CA1'), session: alice.session, remoteEnded: () => undefined, ended: false });
  const messages = new SdkCallMessages(sessions, calls);
  const fromSdk: MessageFromSdk[] = [];
  messages.onMessageFromSdk((m) => fromSdk.push(m));
  return { calls, messages, alice, mallory, fromSdk };
}

const valid = { callsid: 'CA1', voiceeventsid: 'KX1', content: { hello: 'world' }, contenttype: 'application/json', messagetype: 'user-defined-message' };

describe('SdkCallMessages', () => {
  it('acks a user-defined message and hands it on with its content as JSON text', () => {
    const { messages, alice, fromSdk } = setup();
    messages.receive(alice.session, valid);
    expect(alice.socket.messages).toEqual([{ type: 'ack', version: '1.6', payload: { acktype: 'message', callsid: 'CA1', voiceeventsid: 'KX1' } }]);
    expect(fromSdk).toEqual([{ callSid: 'CA1', content: '{"hello":"world"}', contentType: 'application/json', voiceEventSid: 'KX1' }]);
  });

  it.each([
    ['an unsupported message type', { ...valid, messagetype: 'not-a-valid-message-type' }, CALL_MESSAGE_ERRORS.invalidType],
    ['no message type', { callsid: 'CA1', voiceeventsid: 'KX1', content: {} }, CALL_MESSAGE_ERRORS.invalidType],
    ['content over 10 000 bytes', { ...valid, content: { big: 'é'.repeat(5000) } }, CALL_MESSAGE_ERRORS.tooLarge],
    ['an unknown call', { ...valid, callsid: 'CA404' }, CALL_MESSAGE_ERRORS.noCall],
  ])('refuses %s with an error frame naming the call and message, and no ack', (_, payload, error) => {
    const { messages, alice, fromSdk } = setup();
    messages.receive(alice.session, payload);
    expect(alice.socket.messages).toEqual([{ type: 'error', version: '1.6', payload: { error, callsid: payload.callsid, voiceeventsid: 'KX1' } }]);
    expect(fromSdk).toEqual([]);
  });

  it('accepts content of exactly 10 000 bytes', () => {
    const { messages, alice, fromSdk } = setup();
    messages.receive(alice.session, { ...valid, content: 'x'.repeat(10_000) });
    expect(alice.socket.sent('ack')).toHaveLength(1);
    expect(fromSdk).toHaveLength(1);
  });

  it('refuses a message about a call on another connection', () => {
    const { messages, mallory, alice } = setup();
    messages.receive(mallory.session, valid);
    expect(mallory.socket.sent('error')).toEqual([{ error: CALL_MESSAGE_ERRORS.noCall, callsid: 'CA1', voiceeventsid: 'KX1' }]);
    expect(alice.socket.messages).toEqual([]);
  });

  it('delivers a server message to the SDK leg, content parsed, and says false for a call it does not have', () => {
    const { messages, alice, calls } = setup();
    expect(messages.hasSdkLeg('CA1')).toBe(true);
    expect(messages.deliver('CA1', { content: '{"n":1}', contentType: 'application/json', voiceEventSid: 'KX2' })).toBe(true);
    expect(alice.socket.sent('message')).toEqual([
      { callsid: 'CA1', content: { n: 1 }, contenttype: 'application/json', messagetype: 'user-defined-message', voiceeventsid: 'KX2' },
    ]);
    expect(messages.deliver('CA404', { content: '{}', contentType: 'application/json', voiceEventSid: 'KX3' })).toBe(false);
    calls.hangup(alice.session, 'CA1');
    expect(messages.hasSdkLeg('CA1')).toBe(false);
    expect(messages.deliver('CA1', { content: '{}', contentType: 'application/json', voiceEventSid: 'KX4' })).toBe(false);
  });
});
