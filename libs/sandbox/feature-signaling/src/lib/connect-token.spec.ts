import type { FrameSource, RingOutcome, RingRequest, SdpEndpoint } from '@switchboard/sandbox-data-access-calls';
import { FakeClock, type ReconnectInvite } from '@switchboard/sandbox-model';
import { ACCOUNT_SID, FakeEndpoint, openSession } from '../testing/sdk-doubles';
import { SdkCallTable } from './sdk-call-table';
import { SdkClientNetwork } from './sdk-client-network';
import { SdkSessions } from './sdk-sessions';

/** A FakeEndpoint that also says frames and keeps its source, so a test can tell which endpoint the call core uses. */
class SpeakingEndpoint extends FakeEndpoint {
  private readonly frameListeners = new Set<(frame: Int16Array) => void>();
  source: FrameSource | undefined;
  listen(listener: (frame: Int16Array) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }
  say(sample: number): void {
    this.frameListeners.forEach((l) => l(Int16Array.of(sample)));
  }
}

function speakingEndpoint(label: string): { fake: SpeakingEndpoint; endpoint: SdpEndpoint } {
  const fake = new SpeakingEndpoint(label);
  const endpoint: SdpEndpoint = Object.assign(fake, {
    onFrame: (listener: (frame: Int16Array) => void) => fake.listen(listener),
    setSource: (source: FrameSource | undefined) => void (fake.source = source),
  });
  return { fake, endpoint };
}

/** What a Chrome peer connection's SDP looks like to the sandbox here: one DTLS fingerprint per connection. */
const sdpOf = (peer: string): string => `v=0\r\no=- ${peer}\r\na=fingerprint:sha-256 ${peer}:00\r\n`;

function setup() {
  const sessions = new SdkSessions(() => undefined);
  const calls = new SdkCallTable(sessions, new FakeClock());
  const endpoints = new Map<string, SpeakingEndpoint>();
  const media = {
    createEndpoint: (label: string): SdpEndpoint => {
      const { fake, endpoint } = speakingEndpoint(label);
      endpoints.set(label, fake);
      return endpoint;
    },
  };
  const network = new SdkClientNetwork({ sessions, calls, media, log: () => undefined });
  return { sessions, calls, endpoints, network };
}

const toBob: RingRequest = {
  callSid: 'CA-child',
  accountSid: ACCOUNT_SID,
  from: 'client:alice',
  to: { kind: 'client', identity: 'bob' },
  parameters: { ticket: 'T-42' },
};

const connectTokenInvite = (reconnect: string, sdp: string): ReconnectInvite => ({ callsid: 'CA-child', reconnect, sdp, twilio: {} });

describe('device.connect({ connectToken }) (issue 11 item 5)', () => {
  it('on a ringing call: the new Device gets an answer with our SDP, every ringing fork gets cancel, the call is answered', async () => {
    const { sessions, network, endpoints } = setup();
    const laptop = openSession(sessions, 'bob');
    const phone = openSession(sessions, 'bob');
    const other = openSession(sessions, 'bob', { registered: false });
    const ring = network.ring(toBob);
    await ring.ringing;
    const { reconnect } = laptop.socket.sent('invite')[0];

    await network.reconnect(other.session, connectTokenInvite(reconnect, sdpOf('OTHER')));
    expect(other.socket.sent('answer')).toEqual([{ callsid: 'CA-child', sdp: `answer-to:${sdpOf('OTHER')}`, reconnect }]);
    expect(other.socket.sent('hangup')).toEqual([]);
    expect(laptop.socket.sent('cancel')).toEqual([{ callsid: 'CA-child' }]);
    expect(phone.socket.sent('cancel')).toEqual([{ callsid: 'CA-child' }]);
    expect(endpoints.get(`CA-child/${laptop.session.id}`)?.closed).toBe(true);
    const outcome = (await ring.outcome) as Extract<RingOutcome, { kind: 'answered' }>;
    expect(outcome.kind).toBe('answered');

    const heard: number[] = [];
    outcome.party.audio.onFrame((frame) => heard.push(frame[0]));
    endpoints.get(`CA-child/${other.session.id}`)?.say(7);
    expect(heard).toEqual([7]);
    outcome.party.hangup();
    expect(other.socket.sent('hangup')).toEqual([{ callsid: 'CA-child' }]);
  });

  it('a wrong token, or a token from another account, changes nothing: 31404 and the call keeps ringing', async () => {
    const { sessions, network } = setup();
    const laptop = openSession(sessions, 'bob');
    const stranger = openSession(sessions, 'bob', { registered: false, token: { accountSid: 'AC' + '2'.repeat(32) } });
    const ring = network.ring(toBob);
    await ring.ringing;
    const { reconnect } = laptop.socket.sent('invite')[0];

    await network.reconnect(stranger.session, connectTokenInvite('RTwrong', sdpOf('S')));
    await network.reconnect(stranger.session, connectTokenInvite(reconnect, sdpOf('S')));
    expect(stranger.socket.sent('hangup')).toEqual([
      { callsid: 'CA-child', error: { code: 31404, message: 'No call to reconnect' } },
      { callsid: 'CA-child', error: { code: 31404, message: 'No call to reconnect' } },
    ]);
    expect(laptop.socket.sent('cancel')).toEqual([]);
    await network.answer(laptop.session, 'CA-child', sdpOf('LAPTOP'));
    expect((await ring.outcome).kind).toBe('answered');
  });

  it('on an answered call from a new peer connection: the call moves there, the old Device gets hangup, the core hears the new one', async () => {
    const { sessions, network, calls, endpoints } = setup();
    const laptop = openSession(sessions, 'bob');
    const other = openSession(sessions, 'bob', { registered: false });
    const ring = network.ring(toBob);
    await ring.ringing;
    const { reconnect } = laptop.socket.sent('invite')[0];
    await network.answer(laptop.session, 'CA-child', sdpOf('LAPTOP'));
    const { party } = (await ring.outcome) as Extract<RingOutcome, { kind: 'answered' }>;
    const heard: number[] = [];
    party.audio.onFrame((frame) => heard.push(frame[0]));
    const whatBobHears = (): undefined => undefined;
    party.audio.setSource(whatBobHears);
    let ended = 0;
    party.onHangup(() => ended++);
    const oldEndpoint = endpoints.get(`CA-child/${laptop.session.id}`);

    await network.reconnect(other.session, connectTokenInvite(reconnect, sdpOf('OTHER')));
    expect(other.socket.sent('answer')).toEqual([{ callsid: 'CA-child', sdp: `answer-to:${sdpOf('OTHER')}`, reconnect }]);
    expect(laptop.socket.sent('hangup')).toEqual([{ callsid: 'CA-child' }]);
    const newEndpoint = endpoints.get(`CA-child/${other.session.id}`);
    expect(oldEndpoint?.closed).toBe(true);
    expect(newEndpoint?.source).toBe(whatBobHears);
    expect(calls.endpointOf('CA-child')).toBe(newEndpoint);
    oldEndpoint?.say(1);
    newEndpoint?.say(2);
    expect(heard).toEqual([2]);

    // The old Device's own hangup no longer ends the call; the new Device's does.
    calls.hangup(laptop.session, 'CA-child');
    expect(ended).toBe(0);
    oldEndpoint?.fail();
    expect(ended).toBe(0);
    calls.hangup(other.session, 'CA-child');
    expect(ended).toBe(1);
  });

  it('the SDK’s own signaling reconnect (same peer connection) still gets an answer without SDP', async () => {
    const { sessions, network } = setup();
    const laptop = openSession(sessions, 'bob');
    const ring = network.ring(toBob);
    await ring.ringing;
    const { reconnect } = laptop.socket.sent('invite')[0];
    await network.answer(laptop.session, 'CA-child', sdpOf('LAPTOP'));
    await ring.outcome;

    const again = openSession(sessions, 'bob');
    await network.reconnect(again.session, connectTokenInvite(reconnect, sdpOf('LAPTOP')));
    expect(again.socket.sent('answer')).toEqual([{ callsid: 'CA-child', reconnect }]);
    expect(laptop.socket.sent('hangup')).toEqual([]);
  });
});
