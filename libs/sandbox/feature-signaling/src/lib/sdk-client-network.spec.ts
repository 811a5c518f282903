import type { RingOutcome, RingRequest } from '@switchboard/sandbox-data-access-calls';
import { FakeClock } from '@switchboard/sandbox-model';
import { ACCOUNT_SID, FakeMedia, openSession } from '../testing/sdk-doubles';
import { SdkCallTable } from './sdk-call-table';
import { SdkClientNetwork } from './sdk-client-network';
import { SdkSessions } from './sdk-sessions';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup() {
  const sessions = new SdkSessions(() => undefined);
  const calls = new SdkCallTable(sessions, new FakeClock());
  const media = new FakeMedia();
  const network = new SdkClientNetwork({ sessions, calls, media, log: () => undefined });
  return { sessions, calls, media, network };
}

const toBob: RingRequest = {
  callSid: 'CA-child',
  accountSid: ACCOUNT_SID,
  from: 'client:alice',
  to: { kind: 'client', identity: 'bob' },
  parameters: { ticket: 'T-42', queue: 'support desk' },
};

describe('SdkClientNetwork', () => {
  it('forks the invite to every registration of the identity in that account, and only those', async () => {
    const { sessions, network } = setup();
    const laptop = openSession(sessions, 'bob');
    const phone = openSession(sessions, 'bob');
    const unregistered = openSession(sessions, 'bob', { registered: false });
    const otherAccount = openSession(sessions, 'bob', { token: { accountSid: 'AC' + '2'.repeat(32) } });
    const alice = openSession(sessions, 'alice');
    const ring = network.ring(toBob);
    await ring.ringing;
    for (const { socket } of [laptop, phone]) {
      expect(socket.sent('invite')).toEqual([
        {
          callsid: 'CA-child',
          sdp: expect.stringMatching(/^offer-from:CA-child\/\d+$/),
          reconnect: expect.stringMatching(/^RT/),
          parameters: {
            AccountSid: ACCOUNT_SID,
            ApiVersion: '2010-04-01',
            CallSid: 'CA-child',
            From: 'client:alice',
            To: 'client:bob',
            Params: 'ticket=T-42&queue=support%20desk',
          },
        },
      ]);
    }
    for (const { socket } of [unregistered, otherAccount, alice]) expect(socket.messages).toEqual([]);
  });

  it('the first answer wins: the other forks get cancel, the winner is the answered party', async () => {
    const { sessions, network, media } = setup();
    const laptop = openSession(sessions, 'bob');
    const phone = openSession(sessions, 'bob');
    const ring = network.ring(toBob);
    await ring.ringing;
    await network.answer(phone.session, 'CA-child', 'v=bob');
    const outcome = await ring.outcome;
    expect(outcome.kind).toBe('answered');
    expect(laptop.socket.sent('cancel')).toEqual([{ callsid: 'CA-child' }]);
    expect(phone.socket.sent('cancel')).toEqual([]);
    expect(media.endpoints.get(`CA-child/${laptop.session.id}`)?.closed).toBe(true);
    expect(media.endpoints.get(`CA-child/${phone.session.id}`)?.acceptedAnswer).toBe('v=bob');
    // A late answer from the loser is told the call is gone.
    await network.answer(laptop.session, 'CA-child', 'v=late');
    expect(laptop.socket.sent('hangup')).toEqual([{ callsid: 'CA-child' }]);
  });

  it('the answered party: our hangup reaches the SDK; the SDK hangup reaches onHangup', async () => {
    const { sessions, network, calls } = setup();
    const bob = openSession(sessions, 'bob');
    const ring = network.ring(toBob);
    await ring.ringing;
    await network.answer(bob.session, 'CA-child', 'v=bob');
    const outcome = (await ring.outcome) as Extract<RingOutcome, { kind: 'answered' }>;
    let hungUp = 0;
    outcome.party.onHangup(() => hungUp++);
    calls.hangup(bob.session, 'CA-child');
    expect(hungUp).toBe(1);
    expect(bob.socket.sent('hangup')).toEqual([]); // the SDK hung up itself: nothing is sent back

    const second = network.ring({ ...toBob, callSid: 'CA-second' });
    await second.ringing;
    await network.answer(bob.session, 'CA-second', 'v=bob');
    const party = ((await second.outcome) as Extract<RingOutcome, { kind: 'answered' }>).party;
    party.hangup();
    expect(bob.socket.sent('hangup')).toEqual([{ callsid: 'CA-second' }]);
  });

  it('the call is rejected only when every registration rejects (reject or a hangup while ringing)', async () => {
    const { sessions, network } = setup();
    const laptop = openSession(sessions, 'bob');
    const phone = openSession(sessions, 'bob');
    const ring = network.ring(toBob);
    await ring.ringing;
    let settled: RingOutcome | undefined;
    void ring.outcome.then((o) => (settled = o));
    network.reject(laptop.session, 'CA-child');
    await flush();
    expect(settled).toBeUndefined();
    expect(network.hangupWhileRinging(phone.session, 'CA-child')).toBe(true);
    await flush();
    expect(settled).toEqual({ kind: 'rejected' });
    expect(network.hangupWhileRinging(phone.session, 'CA-child')).toBe(false);
  });

  it('a registration whose socket closes stops ringing there; the others still decide', async () => {
    const { sessions, network } = setup();
    const laptop = openSession(sessions, 'bob');
    const phone = openSession(sessions, 'bob');
    const ring = network.ring(toBob);
    await ring.ringing;
    let settled: RingOutcome | undefined;
    void ring.outcome.then((o) => (settled = o));
    network.sessionLost(laptop.session);
    await flush();
    expect(settled).toBeUndefined(); // a vanished device is not a refusal
    network.reject(phone.session, 'CA-child');
    await flush();
    expect(settled).toEqual({ kind: 'rejected' });
  });

  it('cancel sends cancel to every ringing fork and closes their endpoints', async () => {
    const { sessions, network, media } = setup();
    const laptop = openSession(sessions, 'bob');
    const phone = openSession(sessions, 'bob');
    const ring = network.ring(toBob);
    await ring.ringing;
    ring.cancel();
    ring.cancel(); // harmless twice
    expect(laptop.socket.sent('cancel')).toEqual([{ callsid: 'CA-child' }]);
    expect(phone.socket.sent('cancel')).toEqual([{ callsid: 'CA-child' }]);
    expect([...media.endpoints.values()].every((e) => e.closed)).toBe(true);
  });

  it('rings nobody (and never settles on its own) when the identity has no registration', async () => {
    const { sessions, network } = setup();
    openSession(sessions, 'alice');
    const ring = network.ring(toBob);
    let settled = false;
    void ring.outcome.then(() => (settled = true));
    await flush();
    expect(settled).toBe(false); // the call core's ring timeout decides
    ring.cancel();
  });
});
