import { durationMs } from '@switchboard/sandbox-util-audio';
import { isSilent } from '../audio/tone-and-silence';
import { FakeClock } from '@switchboard/sandbox-model';
import { FakeSpeech, FakeTelephonyCore, FakeWebhooks, MemoryLogger, MemoryRecordingStore } from '../testing/fakes';
import { CallerScriptError, parseCallerScript } from './caller-script';
import { startInboundCall, UnknownNumberError } from './start-inbound-call';

const ACCOUNT = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const BASE = 'http://127.0.0.1:3000';

function setup() {
  const clock = new FakeClock();
  const webhooks = new FakeWebhooks();
  const recordings = new MemoryRecordingStore();
  const speech = new FakeSpeech();
  const deps = {
    core: new FakeTelephonyCore(), webhooks, clock, speech, recordings, log: new MemoryLogger(),
    audio: { fetch: jest.fn() }, publicOrigin: 'https://127.0.0.1:8443',
    numbers: (n: string) => (n === '+14155550100' ? { phoneNumber: n, accountSid: ACCOUNT, voiceUrl: `${BASE}/inbound` } : undefined),
  };
  return { clock, webhooks, recordings, speech, deps };
}

describe('simulated inbound calls', () => {
  it('fetch the number\'s voice URL and follow the caller\'s script: digits into Gather, a tone into Record, hang-up', async () => {
    const t = setup();
    t.webhooks
      .serve(`${BASE}/inbound`, '<Response><Gather numDigits="2" action="/menu"><Say>choose</Say></Gather></Response>')
      .serve(`${BASE}/menu`, '<Response><Say>leave a message</Say><Record timeout="0" action="/done"/></Response>')
      .serve(`${BASE}/done`, '<Response><Hangup/></Response>');
    const script = parseCallerScript([{ wait: 1 }, { dtmf: '42' }, { wait: 1 }, { tone: { hz: 440, seconds: 2 } }, { hangup: true }]);
    const call = startInboundCall({ from: '+14155550150', to: '+14155550100', script }, t.deps);
    const result = await t.clock.runUntilSettled(call.done);
    expect(result.outcome).toBe('caller-hung-up');
    expect(call.callSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(t.webhooks.requests[0].params).toMatchObject({ From: '+14155550150', To: '+14155550100', Direction: 'inbound', CallStatus: 'ringing' });
    expect(t.webhooks.requests[1].params['Digits']).toBe('42');
    expect(t.webhooks.requests[2].params).toMatchObject({ Digits: 'hangup', RecordingDuration: '2' });
    const [saved] = [...t.recordings.saved.values()];
    expect(isSilent(saved.audio)).toBe(false);
    // It heard both prompts (100 ms + 300 ms of fake speech) and the 400 ms beep.
    expect(durationMs(call.leg.heard())).toBe(800);
    expect(call.leg.endedBy).toBe('caller');
  });

  it('refuses an unknown number', () => {
    const t = setup();
    expect(() => startInboundCall({ from: '+1', to: '+19999999999', script: [] }, t.deps)).toThrow(UnknownNumberError);
  });

  it.each([
    ['not an array', { wait: 1 }],
    ['two keys in a step', [{ wait: 1, dtmf: '1' }]],
    ['bad digits', [{ dtmf: '12x' }]],
    ['a negative wait', [{ wait: -1 }]],
    ['a tone without hz', [{ tone: { seconds: 1 } }]],
    ['an unknown step', [{ sing: true }]],
    ['hangup false', [{ hangup: false }]],
    ['too long in total', [{ wait: 3000 }, { wait: 3000 }]],
  ])('rejects a script with %s', (_name, script) => {
    expect(() => parseCallerScript(script)).toThrow(CallerScriptError);
  });
});
