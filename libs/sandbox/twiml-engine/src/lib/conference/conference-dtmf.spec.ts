import { FakeClock } from '@switchboard/sandbox-model';
import { DtmfToneDetector, pcm } from '@switchboard/sandbox-util-audio';
import { FakeLeg } from '../testing/fake-leg';
import { FakeSpeech, FakeTelephonyCore, FakeWebhooks, MemoryLogger } from '../testing/fakes';
import { ConferenceNoun } from '../twiml/twiml-verbs';
import { ConferenceRooms } from './conference-rooms';
import { FRAME_SAMPLES } from './mixer';

/**
 * Twilio's conferences carry a participant's key presses to the others as in-band tones (no webhook
 * fires): the sandbox replays each digit a leg sends as its tone pair, mixed like the leg's voice.
 */

const ACCOUNT = 'ACefc1f744e4b84f26a34fcf28eeb49aac';

function setup() {
  const clock = new FakeClock();
  const rooms = new ConferenceRooms({
    clock, webhooks: new FakeWebhooks(), core: new FakeTelephonyCore(), log: new MemoryLogger(),
    audio: { fetch: jest.fn() }, speech: new FakeSpeech(),
  });
  const noun: ConferenceNoun = {
    name: 'keys', startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, muted: false, waitMethod: 'POST', maxParticipants: 250,
  };
  let next = 1;
  const join = (): FakeLeg => {
    const leg = new FakeLeg(clock, `CA${(next++).toString(16).padStart(32, '0')}`, ACCOUNT);
    void rooms.joinFromTwiml(leg, noun);
    return leg;
  };
  const update = (leg: FakeLeg, change: { hold?: boolean; muted?: boolean }) => {
    const result = rooms.updateParticipant(ACCOUNT, rooms.list(ACCOUNT)[0].sid, leg.callSid, change);
    expect(result).toMatchObject(change);
  };
  return { clock, rooms, join, update };
}

/** The digits a phone would hear in everything `leg` was sent. */
function digitsHeard(leg: FakeLeg): string {
  let digits = '';
  const detector = new DtmfToneDetector((digit) => (digits += digit));
  for (const frame of leg.framesHeard) detector.push(frame.samples);
  return digits;
}

describe('DTMF in a sandbox conference', () => {
  it('a digit a participant sends is heard as its tone by the others, not by the sender', async () => {
    const t = setup();
    const [agent, customer, colleague] = [t.join(), t.join(), t.join()];
    await t.clock.advance(100);
    agent.pressDigits('12#');
    await t.clock.advance(1000);
    expect(digitsHeard(customer)).toBe('12#');
    expect(digitsHeard(colleague)).toBe('12#');
    expect(digitsHeard(agent)).toBe('');
    expect(agent.framesHeard.every((frame) => frame.samples.every((s) => s === 0))).toBe(true);
  });

  it('repeated digits stay separate presses, and the tone rides over the sender\'s voice', async () => {
    const t = setup();
    const [agent, customer] = [t.join(), t.join()];
    agent.pressDigits('55*');
    for (let tick = 0; tick < 40; tick++) {
      agent.speak(pcm(new Int16Array(FRAME_SAMPLES).fill(300)));
      await t.clock.advance(20);
    }
    expect(digitsHeard(customer)).toBe('55*');
  });

  it('a held participant hears its hold music, not the tones; the tones of a held or muted sender reach nobody', async () => {
    const t = setup();
    const [agent, customer, colleague] = [t.join(), t.join(), t.join()];
    await t.clock.advance(20);
    t.update(customer, { hold: true });
    const heardBefore = customer.framesHeard.length;
    agent.pressDigits('9');
    await t.clock.advance(400);
    expect(digitsHeard(colleague)).toBe('9');
    expect(customer.framesHeard.length).toBeGreaterThan(heardBefore);
    expect(digitsHeard(customer)).toBe('');

    // Keys pressed while held are dropped, not played late once resumed.
    customer.pressDigits('4');
    await t.clock.advance(400);
    t.update(customer, { hold: false, muted: true });
    colleague.pressDigits('7');
    await t.clock.advance(400);
    t.update(customer, { muted: false });
    customer.pressDigits('8');
    await t.clock.advance(400);
    expect(digitsHeard(agent)).toBe('78');
    expect(digitsHeard(colleague)).toBe('98');
  });
});
