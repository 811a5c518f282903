import { decode, encode, type DecodeResult, type OutboundMessage } from './pstream';

const frame = (type: string, payload?: unknown): string => JSON.stringify({ type, version: '1.6', payload });

/** The reply decode() gives a malformed frame (fails the test for anything else). */
function replyTo(text: string): { reply: OutboundMessage; fatal: boolean } {
  const result = decode(text);
  if (result.kind !== 'malformed') throw new Error(`expected malformed, got ${JSON.stringify(result)}`);
  return { reply: result.reply, fatal: result.fatal };
}

describe('decode: what the SDK sends', () => {
  it.each<[string, string, DecodeResult]>([
    [
      'listen (as PStream.setToken sends it)',
      frame('listen', { browserinfo: { p: 'browser', v: '2.18.5' }, reconnectTimeout: 30, token: 'eyJ.a.b' }),
      { kind: 'message', message: { type: 'listen', payload: { token: 'eyJ.a.b', reconnectTimeout: 30 } } },
    ],
    [
      'listen without reconnectTimeout',
      frame('listen', { token: 't' }),
      { kind: 'message', message: { type: 'listen', payload: { token: 't', reconnectTimeout: 0 } } },
    ],
    [
      'register',
      frame('register', { media: { audio: true } }),
      { kind: 'message', message: { type: 'register', payload: { media: { audio: true } } } },
    ],
    [
      'unregister',
      frame('register', { media: { audio: false } }),
      { kind: 'message', message: { type: 'register', payload: { media: { audio: false } } } },
    ],
    [
      'new outgoing call',
      frame('invite', { callsid: 'TJS1', sdp: 'v=0', twilio: { params: 'To=client%3Abob' } }),
      { kind: 'message', message: { type: 'invite', payload: { callsid: 'TJS1', sdp: 'v=0', twilio: { params: 'To=client%3Abob' } } } },
    ],
    [
      'new outgoing call without params (twilio:{})',
      frame('invite', { callsid: 'TJS1', sdp: 'v=0', twilio: {} }),
      { kind: 'message', message: { type: 'invite', payload: { callsid: 'TJS1', sdp: 'v=0', twilio: {} } } },
    ],
    [
      'reconnect invite',
      frame('invite', { callsid: 'CA1', reconnect: 'RT1', sdp: 'v=0', twilio: {} }),
      { kind: 'message', message: { type: 'invite', payload: { callsid: 'CA1', reconnect: 'RT1', sdp: 'v=0', twilio: {} } } },
    ],
    [
      'answer',
      frame('answer', { sdp: 'v=0', callsid: 'CA1' }),
      { kind: 'message', message: { type: 'answer', payload: { callsid: 'CA1', sdp: 'v=0' } } },
    ],
    ['reject', frame('reject', { callsid: 'CA1' }), { kind: 'message', message: { type: 'reject', payload: { callsid: 'CA1' } } }],
    ['hangup', frame('hangup', { callsid: 'CA1' }), { kind: 'message', message: { type: 'hangup', payload: { callsid: 'CA1' } } }],
    [
      'hangup with a message',
      frame('hangup', { callsid: 'CA1', message: 'bye' }),
      { kind: 'message', message: { type: 'hangup', payload: { callsid: 'CA1', message: 'bye' } } },
    ],
    [
      'reinvite (ICE restart)',
      frame('reinvite', { sdp: 'v=0', callsid: 'CA1' }),
      { kind: 'message', message: { type: 'reinvite', payload: { callsid: 'CA1', sdp: 'v=0' } } },
    ],
    [
      'dtmf fallback with a pause',
      frame('dtmf', { callsid: 'CA1', dtmf: '12w#' }),
      { kind: 'message', message: { type: 'dtmf', payload: { callsid: 'CA1', dtmf: '12w#' } } },
    ],
    [
      'call message',
      frame('message', { callsid: 'CA1', content: '{"a":1}', contenttype: 'application/json', messagetype: 'user-defined-message', voiceeventsid: 'KX1' }),
      {
        kind: 'message',
        message: {
          type: 'message',
          payload: { callsid: 'CA1', content: '{"a":1}', contenttype: 'application/json', messagetype: 'user-defined-message', voiceeventsid: 'KX1' },
        },
      },
    ],
    ['heartbeat echo', '\n', { kind: 'heartbeat' }],
    ['a type the sandbox does not handle', frame('presence', {}), { kind: 'unknown', type: 'presence' }],
  ])('%s', (_name, text, expected) => {
    expect(decode(text)).toEqual(expected);
  });
});

describe('decode: malformed frames get the error Twilio answers with', () => {
  const malformed = (message: string): OutboundMessage => ({ type: 'error', payload: { error: { code: 31100, message } } });

  it.each<[string, string, OutboundMessage]>([
    ['not JSON', '{"type":', malformed('Malformed request: frame is not JSON')],
    ['JSON but not an object', '[1,2]', malformed('Malformed request: frame is not a JSON object')],
    ['no type', JSON.stringify({ payload: {} }), malformed('Malformed request: frame has no type')],
    ['a payload that is not an object', frame('register', 'audio'), malformed('Malformed request: register: payload is not an object')],
    ['register without media', frame('register', {}), malformed('Malformed request: register: media.audio is not a boolean')],
    // A hangup without callsid would end every call on the socket: a call message without one is a device error.
    ['invite without callsid', frame('invite', { sdp: 'v=0' }), malformed('Malformed request: invite: no callsid')],
    ['answer without callsid', frame('answer', { sdp: 'v=0' }), malformed('Malformed request: answer: no callsid')],
    ['reject without callsid', frame('reject', {}), malformed('Malformed request: reject: no callsid')],
    ['hangup with an empty callsid', frame('hangup', { callsid: '' }), malformed('Malformed request: hangup: no callsid')],
    ['dtmf without callsid', frame('dtmf', { dtmf: '1' }), malformed('Malformed request: dtmf: no callsid')],
    ['message without callsid', frame('message', { content: 'x', voiceeventsid: 'KX1' }), malformed('Malformed request: message: no callsid')],
  ])('%s: error 31100, session stays', (_name, text, reply) => {
    expect(replyTo(text)).toEqual({ reply, fatal: false });
  });

  it.each([
    ['no token', frame('listen', { reconnectTimeout: 0 })],
    ['a token that is not a string', frame('listen', { token: 42 })],
    ['an empty token', frame('listen', { token: '' })],
  ])('listen with %s: error 31102 and the session ends', (_name, text) => {
    expect(replyTo(text)).toEqual({
      reply: { type: 'error', payload: { error: { code: 31102, message: 'Authorization token missing in request.' } } },
      fatal: true,
    });
  });

  it.each([
    ['invite without sdp', frame('invite', { callsid: 'TJS1', twilio: {} }), 'TJS1', 'invite: no sdp'],
    ['answer without sdp', frame('answer', { callsid: 'CA1' }), 'CA1', 'answer: no sdp'],
    ['reinvite with a non-string sdp', frame('reinvite', { callsid: 'CA1', sdp: 5 }), 'CA1', 'reinvite: no sdp'],
  ])('%s: that call is hung up with 31100', (_name, text, callsid, reason) => {
    expect(replyTo(text)).toEqual({
      reply: { type: 'hangup', payload: { callsid, error: { code: 31100, message: `Malformed request: ${reason}` } } },
      fatal: false,
    });
  });

  it('a reconnect invite whose token is not a string: the call is hung up with 31107 (ReconnectParameterInvalidError)', () => {
    expect(replyTo(frame('invite', { callsid: 'CA1', reconnect: 7, sdp: 'v=0' }))).toEqual({
      reply: { type: 'hangup', payload: { callsid: 'CA1', error: { code: 31107, message: 'The reconnect parameter is invalid' } } },
      fatal: false,
    });
  });

  it.each([
    ['missing', { callsid: 'CA1' }],
    ['not a string', { callsid: 'CA1', dtmf: 5 }],
    ['a letter the SDK never sends', { callsid: 'CA1', dtmf: '1x' }],
    ['longer than 64 digits', { callsid: 'CA1', dtmf: '1'.repeat(65) }],
  ])('dtmf digits %s: error 31100 for that call, which goes on', (_name, payload) => {
    expect(replyTo(frame('dtmf', payload))).toEqual({
      reply: { type: 'error', payload: { callsid: 'CA1', error: { code: 31100, message: 'Malformed dtmf digits' } } },
      fatal: false,
    });
  });

  it('a call message without voiceeventsid: error 31100 for that call', () => {
    expect(replyTo(frame('message', { callsid: 'CA1', content: 'x' }))).toEqual({
      reply: { type: 'error', payload: { callsid: 'CA1', error: { code: 31100, message: 'Malformed message: no voiceeventsid' } } },
      fatal: false,
    });
  });

  it('a call message without content: an error naming the message, so the SDK fails that sendMessage', () => {
    expect(replyTo(frame('message', { callsid: 'CA1', voiceeventsid: 'KX1' }))).toEqual({
      reply: { type: 'error', payload: { callsid: 'CA1', voiceeventsid: 'KX1', error: { code: 31100, message: 'Malformed message: no content' } } },
      fatal: false,
    });
  });
});

describe('encode', () => {
  it('writes the envelope the SDK parses: type, version 1.6, payload', () => {
    expect(JSON.parse(encode({ type: 'ringing', payload: { callsid: 'CA1' } }))).toEqual({ type: 'ringing', version: '1.6', payload: { callsid: 'CA1' } });
  });

  it('round-trips with what decode reads for a shared shape', () => {
    const text = encode({ type: 'hangup', payload: { callsid: 'CA1' } });
    expect(decode(text)).toEqual({ kind: 'message', message: { type: 'hangup', payload: { callsid: 'CA1' } } });
  });
});
