import { FakeClock, TrackedLeg } from '@switchboard/sandbox-model';
import { DtmfToneDetector, dtmfTone } from '@switchboard/sandbox-util-audio';
import { ConferenceRooms } from '../conference/conference-rooms';
import { FakeLeg } from '../testing/fake-leg';
import { FakeSpeech, FakeTelephonyCore, FakeWebhooks, MemoryLogger } from '../testing/fakes';
import { ConferenceNoun } from '../twiml/twiml-verbs';
import { parseCallerScript } from './caller-script';
import { ScriptedCallerLeg } from './scripted-caller-leg';

const ACCOUNT = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const NOUN: ConferenceNoun = {
  name: 'support', startConferenceOnEnter: true, endConferenceOnExit: false, beep: false, muted: false, waitMethod: 'POST', maxParticipants: 250,
};

function setup(script: unknown[] = []) {
  const clock = new FakeClock();
  const rooms = new ConferenceRooms({
    clock, webhooks: new FakeWebhooks(), core: new FakeTelephonyCore(), log: new MemoryLogger(), audio: { fetch: jest.fn() }, speech: new FakeSpeech(),
  });
  const caller = new ScriptedCallerLeg(ACCOUNT, '+14155550150', '+14155550100', parseCallerScript(script), clock);
  const reported: string[] = [];
  const observer: TrackedLeg = { answered: () => undefined, ended: () => undefined, heardDigit: (digit) => reported.push(digit) };
  caller.observe(observer);
  return { clock, rooms, caller, reported };
}

describe('a simulated PSTN caller and DTMF tones', () => {
  it('hears the keys an agent presses in their conference, and reports each digit to the call core', async () => {
    const t = setup();
    const agent = new FakeLeg(t.clock, 'CA' + '1'.repeat(32), ACCOUNT);
    await t.caller.answer();
    void t.rooms.joinFromTwiml(t.caller, NOUN);
    void t.rooms.joinFromTwiml(agent, NOUN);
    await t.clock.advance(100);
    agent.pressDigits('12#');
    await t.clock.advance(1000);
    expect(t.caller.heardDigits).toBe('12#');
    expect(t.reported).toEqual(['1', '2', '#']);
  });

  it('hears tones played to it outside a conference too (a <Play> of a DTMF recording)', async () => {
    const t = setup();
    await t.clock.runUntilSettled(t.caller.play(dtmfTone('7', 120)));
    await t.clock.runUntilSettled(t.caller.play({ sampleRate: 8000, samples: new Int16Array(800) }));
    expect(t.caller.heardDigits).toBe('7');
  });

  it('its own scripted key presses reach the agents as tones, not itself', async () => {
    const t = setup([{ wait: 0.1 }, { dtmf: '0*' }]);
    const agent = new FakeLeg(t.clock, 'CA' + '2'.repeat(32), ACCOUNT);
    await t.caller.answer();
    void t.rooms.joinFromTwiml(t.caller, NOUN);
    void t.rooms.joinFromTwiml(agent, NOUN);
    await t.clock.advance(1000);
    let agentHeard = '';
    const detector = new DtmfToneDetector((digit) => (agentHeard += digit));
    for (const frame of agent.framesHeard) detector.push(frame.samples);
    expect(agentHeard).toBe('0*');
    expect(t.caller.heardDigits).toBe('');
  });
});
