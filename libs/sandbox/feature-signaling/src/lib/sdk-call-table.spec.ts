import { FakeClock } from '@switchboard/sandbox-model';
import { FakeEndpoint, openSession } from '../testing/sdk-doubles';
import { SdkCallTable, type SdkCall } from './sdk-call-table';
import { SdkSessions } from './sdk-sessions';

function setup(reconnectTimeoutSeconds = 0) {
  const clock = new FakeClock();
  const sessions = new SdkSessions(() => undefined);
  const calls = new SdkCallTable(sessions, clock);
  const alice = openSession(sessions, 'alice', { reconnectTimeoutSeconds });
  const endpoint = new FakeEndpoint('CA1');
  const ended: string[] = [];
  const call: SdkCall = {
    callSid: 'CA1',
    tempId: 'TJS1',
    reconnectToken: 'RT1',
    endpoint,
    session: alice.session,
    remoteEnded: () => ended.push('CA1'),
    ended: false,
  };
  calls.add(call);
  return { clock, sessions, calls, alice, endpoint, call, ended };
}

describe('SdkCallTable', () => {
  it('the SDK hangs up by CallSid or by its TJS id; the call ends once and nothing is sent back', () => {
    const { calls, alice, endpoint, ended } = setup();
    calls.hangup(alice.session, 'TJS1');
    calls.hangup(alice.session, 'CA1');
    expect(ended).toEqual(['CA1']);
    expect(endpoint.closed).toBe(true);
    expect(alice.socket.messages).toEqual([]);
    expect(calls.endpointOf('CA1')).toBeUndefined();
  });

  it('another session cannot hang up or send digits on the call', () => {
    const { sessions, calls, endpoint, ended } = setup();
    const mallory = openSession(sessions, 'mallory');
    calls.hangup(mallory.session, 'CA1');
    calls.dtmf(mallory.session, 'CA1', '1');
    expect(ended).toEqual([]);
    expect(endpoint.signaledDigits).toEqual([]);
  });

  it('signaled DTMF reaches the endpoint', () => {
    const { calls, alice, endpoint } = setup();
    calls.dtmf(alice.session, 'CA1', '12#');
    expect(endpoint.signaledDigits).toEqual(['12#']);
  });

  it('our end with an error tells the SDK in the hangup', () => {
    const { calls, alice, call } = setup();
    calls.end(call, true, undefined, { code: 31603, message: 'Decline' });
    expect(alice.socket.sent('hangup')).toEqual([{ callsid: 'CA1', error: { code: 31603, message: 'Decline' } }]);
  });

  it('reinvite (ICE restart) is answered by the sandbox endpoint; unknown calls are hung up', async () => {
    const { calls, alice } = setup();
    await calls.reinvite(alice.session, 'CA1', 'v=restart');
    await calls.reinvite(alice.session, 'CA-gone', 'v=restart');
    expect(alice.socket.sent('answer')).toEqual([{ callsid: 'CA1', sdp: 'answer-to:v=restart' }]);
    expect(alice.socket.sent('hangup')).toEqual([{ callsid: 'CA-gone' }]);
  });

  it('a dropped socket with reconnectTimeout 0 ends the call at once', () => {
    const { calls, alice, ended } = setup(0);
    calls.sessionLost(alice.session);
    expect(ended).toEqual(['CA1']);
  });

  it('a dropped socket holds the call reconnectTimeout seconds on the clock, then ends it', async () => {
    const { clock, calls, alice, ended } = setup(10);
    calls.sessionLost(alice.session);
    await clock.advance(9_999);
    expect(ended).toEqual([]);
    await clock.advance(1);
    expect(ended).toEqual(['CA1']);
  });

  it('a reconnect invite within the hold moves the call to the new session, which gets answer with the token', async () => {
    const { clock, sessions, calls, alice, ended } = setup(10);
    calls.sessionLost(alice.session);
    await clock.advance(5_000);
    const back = openSession(sessions, 'alice');
    calls.reconnect(back.session, 'CA1', 'RT1');
    expect(back.socket.sent('answer')).toEqual([{ callsid: 'CA1', reconnect: 'RT1' }]);
    await clock.advance(60_000);
    expect(ended).toEqual([]); // the hold was cancelled
    expect(clock.pendingTimers).toBe(0);
    calls.hangup(back.session, 'CA1');
    expect(ended).toEqual(['CA1']);
  });

  it.each([
    ['a wrong reconnect token', 'CA1', 'RT-wrong'],
    ['an unknown call', 'CA-none', 'RT1'],
  ])('a reconnect with %s is hung up with 31404', (_name, callsid, token) => {
    const { sessions, calls } = setup(10);
    const back = openSession(sessions, 'alice');
    calls.reconnect(back.session, callsid, token);
    expect(back.socket.sent('hangup')).toEqual([{ callsid, error: { code: 31404, message: 'No call to reconnect' } }]);
  });

  it('endAll ends every call without telling the clients', () => {
    const { calls, alice, endpoint } = setup();
    calls.endAll();
    expect(endpoint.closed).toBe(true);
    expect(alice.socket.messages).toEqual([]);
  });
});
