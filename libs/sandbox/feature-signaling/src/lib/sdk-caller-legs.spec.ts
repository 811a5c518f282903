import { CallCore, type PartyNetwork } from '@switchboard/sandbox-data-access-calls';
import { FakeClock, type LegStatusEvent } from '@switchboard/sandbox-model';
import { ACCOUNT_SID, FakeMedia, openSession } from '../testing/sdk-doubles';
import { SdkCallTable } from './sdk-call-table';
import { SdkCallerLegs, type OutgoingCallRequest } from './sdk-caller-legs';
import { SdkSessions } from './sdk-sessions';

const APP = 'AP' + '1'.repeat(32);
const nobody: PartyNetwork = {
  ring: () => {
    throw new Error('no one is rung in these tests');
  },
};

function setup() {
  const clock = new FakeClock();
  const sessions = new SdkSessions(() => undefined);
  const calls = new SdkCallTable(sessions, clock);
  const media = new FakeMedia();
  const core = new CallCore({ clients: nobody, phones: nobody, clock });
  const statuses: LegStatusEvent[] = [];
  core.onLegStatus((e) => statuses.push(e));
  const outgoing: OutgoingCallRequest[] = [];
  const legs = new SdkCallerLegs({
    sessions,
    calls,
    core,
    media,
    clock,
    applicationExists: (accountSid, sid) => accountSid === ACCOUNT_SID && sid === APP,
    onOutgoingCall: (request) => outgoing.push(request),
  });
  return { clock, sessions, calls, media, core, legs, outgoing, statuses };
}

describe('SdkCallerLegs', () => {
  it('an invite becomes a ringing leg in the core, handed to the TwiML App with the token and client params', async () => {
    const { sessions, legs, outgoing, statuses } = setup();
    const alice = openSession(sessions, 'alice', { token: { outgoingParams: { team: 'support', To: 'from-token' } } });
    await legs.invite(alice.session, { callsid: 'TJS1', sdp: 'v=alice', twilio: { params: 'To=client%3Abob&reason=hi' } });
    const [ringing] = alice.socket.sent('ringing');
    expect(ringing.callsid).toMatch(/^CA/);
    expect(outgoing).toEqual([
      expect.objectContaining({ applicationSid: APP, identity: 'alice', params: { team: 'support', To: 'client:bob', reason: 'hi' } }),
    ]);
    expect(outgoing[0].leg).toMatchObject({ callSid: ringing.callsid, from: 'client:alice', to: 'client:bob', direction: 'inbound' });
    expect(statuses.map((e) => e.status)).toEqual(['ringing']);
  });

  it("the leg's answer sends the SDK the endpoint's SDP answer and a reconnect token", async () => {
    const { sessions, legs, outgoing } = setup();
    const alice = openSession(sessions, 'alice');
    await legs.invite(alice.session, { callsid: 'TJS1', sdp: 'v=alice', twilio: {} });
    await outgoing[0].leg.answer();
    expect(alice.socket.sent('answer')).toEqual([{ callsid: outgoing[0].leg.callSid, sdp: 'answer-to:v=alice', reconnect: expect.stringMatching(/^RT/) }]);
  });

  it('the SDK hanging up by its TJS id ends the leg', async () => {
    const { sessions, calls, legs, outgoing } = setup();
    const alice = openSession(sessions, 'alice');
    await legs.invite(alice.session, { callsid: 'TJS1', sdp: 'v=alice', twilio: {} });
    calls.hangup(alice.session, 'TJS1');
    expect(outgoing[0].leg.ended.aborted).toBe(true);
  });

  it('media that fails ends the leg and tells the SDK', async () => {
    const { sessions, legs, outgoing, media } = setup();
    const alice = openSession(sessions, 'alice');
    await legs.invite(alice.session, { callsid: 'TJS1', sdp: 'v=alice', twilio: {} });
    const callSid = outgoing[0].leg.callSid;
    media.endpoints.get(callSid)?.fail();
    expect(outgoing[0].leg.ended.aborted).toBe(true);
    expect(alice.socket.sent('hangup')).toEqual([{ callsid: callSid }]);
  });

  it('a token that expired on the clock is refused with 31205', async () => {
    const { clock, sessions, legs, outgoing } = setup();
    const alice = openSession(sessions, 'alice', { token: { expiresAt: clock.now() / 1000 + 60 } });
    await clock.advance(60_000);
    await legs.invite(alice.session, { callsid: 'TJS1', sdp: 'v=alice', twilio: {} });
    expect(alice.socket.sent('hangup')).toEqual([{ callsid: 'TJS1', error: { code: 31205, message: 'Access token expired' } }]);
    expect(outgoing).toEqual([]);
  });

  it.each([
    ['no outgoing grant', { outgoingApplicationSid: undefined }, 'none'],
    ['an unknown TwiML App', { outgoingApplicationSid: 'AP' + '9'.repeat(32) }, 'AP' + '9'.repeat(32)],
  ])('a token with %s is refused with 21218', async (_name, token, named) => {
    const { sessions, legs, outgoing } = setup();
    const alice = openSession(sessions, 'alice', { token });
    await legs.invite(alice.session, { callsid: 'TJS1', sdp: 'v=alice', twilio: {} });
    expect(alice.socket.sent('hangup')).toEqual([
      { callsid: 'TJS1', error: { code: 21218, message: `Token has no outgoing grant for a known TwiML App (${named})` } },
    ]);
    expect(outgoing).toEqual([]);
  });

  it('an invite before listen is refused', async () => {
    const { sessions, legs } = setup();
    const stranger = openSession(sessions, 'x');
    stranger.session.token = undefined;
    await legs.invite(stranger.session, { callsid: 'TJS1', sdp: 'v=0', twilio: {} });
    expect(stranger.socket.sent('hangup')).toEqual([{ callsid: 'TJS1', error: { code: 31400, message: 'invite before listen' } }]);
  });
});
