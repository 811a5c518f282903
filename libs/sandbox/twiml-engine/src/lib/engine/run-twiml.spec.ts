import { silence } from '@switchboard/sandbox-util-audio';
import { tone } from '../audio/tone-and-silence';
import { FakeClock } from '@switchboard/sandbox-model';
import { FakeLeg } from '../testing/fake-leg';
import { FakeSpeech, FakeTelephonyCore, FakeWebhooks, MemoryLogger, MemoryRecordingStore } from '../testing/fakes';
import { TwimlError } from '../twiml/twiml-errors';
import { TwimlEngineDeps, TwimlStart } from './engine-types';
import { LiveCallRegistry } from './live-calls';
import { runTwiml } from './run-twiml';

const BASE = 'http://127.0.0.1:3000';
const VOICE = `${BASE}/voice`;

function setup() {
  const clock = new FakeClock();
  const leg = new FakeLeg(clock);
  const webhooks = new FakeWebhooks();
  const core = new FakeTelephonyCore();
  const recordings = new MemoryRecordingStore();
  const speech = new FakeSpeech();
  const log = new MemoryLogger();
  const liveCalls = new LiveCallRegistry();
  const audio = { fetch: jest.fn(async (url: string) => {
    if (url.endsWith('/missing.wav')) throw new TwimlError(11200, 'HTTP 404');
    return tone(300, 1000);
  }) };
  const deps: TwimlEngineDeps = {
    core, webhooks, clock, speech, audio, recordings, log, liveCalls, publicOrigin: 'https://127.0.0.1:8443',
  };
  const run = (start: Partial<TwimlStart> = {}) => runTwiml(leg, { url: VOICE, ...start }, deps);
  return { clock, leg, webhooks, core, recordings, speech, log, liveCalls, audio, deps, run };
}

const twiml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;

describe('runTwiml: fetching and flow', () => {
  it('POSTs Twilio\'s parameters beside the invite params on the first request only; Twilio\'s own always win', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, twiml('<Redirect>/second</Redirect>')).serve(`${BASE}/second`, twiml('<Hangup/>'));
    const forged = {
      To: 'client:bob', From: 'client:sam', Caller: 'client:sam', CallSid: 'CAforged', AccountSid: 'ACforged',
      ApplicationSid: 'APforged', CallStatus: 'completed', Direction: 'outbound-api', ticket: '7',
    };
    const result = await t.clock.runUntilSettled(t.run({ params: forged, callParams: { ApplicationSid: 'AP1' } }));
    expect(result.outcome).toBe('hung-up');
    expect(t.webhooks.requests[0]).toMatchObject({
      method: 'POST',
      accountSid: t.leg.accountSid,
      params: {
        CallSid: t.leg.callSid, AccountSid: t.leg.accountSid, From: '+14155550150', To: '+14155550100', Caller: '+14155550150',
        Called: '+14155550100', CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01', ApplicationSid: 'AP1', ticket: '7',
      },
    });
    expect(t.webhooks.requests[1].params).toMatchObject({ To: '+14155550100', ApplicationSid: 'AP1' });
    expect(t.webhooks.requests[1].params['ticket']).toBeUndefined();
    expect(t.leg.hangupReason).toBe('hangup');
  });

  it('hangs up when the document runs out of verbs, after playing <Say> and <Pause>', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, twiml('<Say loop="2">one two</Say><Pause length="3"/>'));
    const started = t.clock.now();
    const result = await t.clock.runUntilSettled(t.run());
    expect(result).toMatchObject({ outcome: 'hung-up', verbs: ['Say', 'Pause'] });
    expect(t.leg.whats()).toEqual(['answer', 'play', 'play', 'hangup']);
    // 2 × 200 ms of speech + 3 s pause, on the fake clock.
    expect(t.clock.now() - started).toBe(3400);
  });

  it('rejects with the reason asked for', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, twiml('<Reject reason="busy"/><Say>never</Say>'));
    const result = await t.clock.runUntilSettled(t.run());
    expect(result.outcome).toBe('rejected');
    expect(t.leg.hangupReason).toBe('busy');
    expect(t.leg.answered).toBe(false);
    expect(t.speech.spoken).toEqual([]);
  });

  it.each([
    ['malformed XML', 'not <xml', 12100],
    ['a wrong root', '<Reply/>', 12100],
    ['an unknown verb', twiml('<Speak>hi</Speak>'), 12200],
    ['a bad Dial number', twiml('<Dial>nobody</Dial>'), 13223],
  ])('ends the call on %s with the Twilio code, after an audible error', async (_name, body, code) => {
    const t = setup();
    t.webhooks.serve(VOICE, body);
    const result = await t.clock.runUntilSettled(t.run());
    expect(result).toMatchObject({ outcome: 'failed', errorCode: code });
    expect(t.log.codes()).toContain(code);
    expect(t.leg.whats()).toEqual(['answer', 'play', 'hangup']);
  });

  it.each([11200, 11205, 12300])('ends the call when the webhook fails with %s', async (code) => {
    const t = setup();
    t.webhooks.failWith(VOICE, code);
    const result = await t.clock.runUntilSettled(t.run());
    expect(result).toMatchObject({ outcome: 'failed', errorCode: code });
    expect(t.leg.ended.aborted).toBe(true);
  });

  it('requests the fallback URL once with ErrorCode and ErrorUrl', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, '<oops').serve(`${BASE}/fallback`, twiml('<Say>sorry</Say>'));
    const result = await t.clock.runUntilSettled(t.run({ fallbackUrl: `${BASE}/fallback` }));
    expect(result.outcome).toBe('hung-up');
    expect(t.webhooks.requests[1]).toMatchObject({ url: `${BASE}/fallback`, params: { ErrorCode: '12100', ErrorUrl: VOICE } });
    expect(t.speech.spoken).toEqual(['sorry']);
  });

  it('stops a <Redirect> loop after 10 redirects with 11215', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, twiml('<Redirect>/voice</Redirect>'));
    const result = await t.clock.runUntilSettled(t.run());
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 11215 });
    expect(t.webhooks.requests).toHaveLength(11);
  });

  it('refuses a document with more than 100 verbs (12400)', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, twiml('<Pause length="0"/>'.repeat(101)));
    const result = await t.clock.runUntilSettled(t.run());
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 12400, verbs: [] });
  });

  it('stops at once, requesting nothing more, when the caller hangs up mid-<Say>', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, twiml('<Say>a b c d e f g h i j</Say><Redirect>/after</Redirect>'));
    const running = t.run();
    await t.clock.advance(500);
    t.leg.farEndHangsUp();
    const result = await t.clock.runUntilSettled(running);
    expect(result.outcome).toBe('caller-hung-up');
    expect(t.leg.whats()).toEqual(['answer', 'play', 'hangup', 'play-interrupted']);
    expect(t.webhooks.urls()).toEqual([VOICE]);
  });

  it('skips a <Play> whose audio cannot be fetched, logging the code, and plays the rest', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, twiml('<Play>/missing.wav</Play><Play loop="2">/tone.wav</Play>'));
    await t.clock.runUntilSettled(t.run());
    expect(t.log.codes()).toEqual([11200]);
    expect(t.leg.played).toHaveLength(2);
    expect(t.audio.fetch).toHaveBeenLastCalledWith(`${BASE}/tone.wav`, expect.any(AbortSignal));
  });

  it('lets the REST API redirect a live call: the current verb stops, the new URL runs', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, twiml('<Pause length="60"/><Say>never</Say>')).serve(`${BASE}/new`, twiml('<Say>redirected</Say>'));
    const running = t.run();
    await t.clock.advance(1000);
    t.liveCalls.get(t.leg.callSid)?.redirect(`${BASE}/new`, 'POST');
    const result = await t.clock.runUntilSettled(running);
    expect(result.outcome).toBe('hung-up');
    expect(t.speech.spoken).toEqual(['redirected']);
    expect(t.webhooks.requests[1].params['CallStatus']).toBe('in-progress');
    expect(t.liveCalls.size).toBe(0);
  });
});

describe('runTwiml: <Gather>', () => {
  const menu = twiml('<Gather numDigits="3" action="/menu" timeout="5"><Say>press some keys now please</Say></Gather><Say>no input</Say>');

  it('ends on numDigits and posts Digits to the action', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, menu).serve(`${BASE}/menu`, twiml('<Hangup/>'));
    const running = t.run();
    await t.clock.advance(100);
    t.leg.pressDigits('1');
    await t.clock.advance(1000);
    t.leg.pressDigits('23');
    await t.clock.runUntilSettled(running);
    expect(t.webhooks.requests[1]).toMatchObject({ url: `${BASE}/menu`, params: { Digits: '123', CallStatus: 'in-progress' } });
    // The first digit interrupted the prompt.
    expect(t.leg.whats()).toContain('play-interrupted');
    expect(t.speech.spoken).toEqual(['press some keys now please']);
  });

  it('ends on finishOnKey, which is not part of Digits', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, twiml('<Gather action="/menu"/>')).serve(`${BASE}/menu`, twiml('<Hangup/>'));
    const running = t.run();
    await t.clock.advance(1000);
    t.leg.pressDigits('42#');
    await t.clock.runUntilSettled(running);
    expect(t.webhooks.requests[1].params).toMatchObject({ Digits: '42', FinishedOnKey: '#' });
  });

  it('goes to the next verb after the timeout when nothing was pressed', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, menu);
    const running = t.run();
    const result = await t.clock.runUntilSettled(running);
    expect(t.webhooks.requests).toHaveLength(1);
    expect(t.speech.spoken).toEqual(['press some keys now please', 'no input']);
    expect(result.verbs).toEqual(['Gather', 'Say']);
  });

  it('submits partial digits when the timeout passes after the last digit', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, menu).serve(`${BASE}/menu`, twiml('<Hangup/>'));
    const running = t.run();
    await t.clock.advance(2000);
    t.leg.pressDigits('9');
    await t.clock.advance(4900);
    expect(t.webhooks.requests).toHaveLength(1);
    await t.clock.runUntilSettled(running);
    expect(t.webhooks.requests[1].params['Digits']).toBe('9');
  });

  it('defaults the action to the document URL', async () => {
    const t = setup();
    let calls = 0;
    t.webhooks.serve(VOICE, () => (++calls === 1 ? twiml('<Gather numDigits="1"/>') : twiml('<Hangup/>')));
    const running = t.run();
    await t.clock.advance(10);
    t.leg.pressDigits('5');
    await t.clock.runUntilSettled(running);
    expect(t.webhooks.requests[1]).toMatchObject({ url: VOICE, params: { Digits: '5' } });
  });

  it('requests nothing when the caller hangs up mid-<Gather>', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, menu);
    const running = t.run();
    await t.clock.advance(1000);
    t.leg.pressDigits('1');
    t.leg.farEndHangsUp();
    const result = await t.clock.runUntilSettled(running);
    expect(result.outcome).toBe('caller-hung-up');
    expect(t.webhooks.requests).toHaveLength(1);
  });
});

describe('runTwiml: <Record>', () => {
  const record = (attributes: string) =>
    twiml(`<Record ${attributes} action="/recorded" recordingStatusCallback="/recording-status"/><Say>after</Say>`);

  it('stops at maxLength, saves the WAV and sends the status callback before the action', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, record('maxLength="4" timeout="0"')).serve(`${BASE}/recorded`, twiml('<Hangup/>'));
    const running = t.run();
    await t.clock.advance(500);
    t.leg.speak(tone(440, 3000));
    await t.clock.runUntilSettled(running);
    expect(t.leg.whats()).toEqual(['answer', 'play', 'record-start', 'record-stop', 'hangup']);
    const recordStart = t.leg.events.find((event) => event.what === 'record-start')?.at ?? 0;
    const recordStop = t.leg.events.find((event) => event.what === 'record-stop')?.at ?? 0;
    expect(recordStop - recordStart).toBe(4000);
    const [saved] = [...t.recordings.saved.values()];
    expect(saved.metadata.sid).toMatch(/^RE[0-9a-f]{32}$/);
    const recordingUrl = `https://127.0.0.1:8443/2010-04-01/Accounts/${t.leg.accountSid}/Recordings/${saved.metadata.sid}`;
    expect(t.webhooks.notifications[0]).toMatchObject({
      url: `${BASE}/recording-status`,
      params: {
        RecordingSid: saved.metadata.sid, RecordingUrl: recordingUrl, RecordingStatus: 'completed', RecordingDuration: '3',
        RecordingChannels: '1', RecordingSource: 'RecordVerb', CallSid: t.leg.callSid, AccountSid: t.leg.accountSid,
      },
    });
    expect(t.webhooks.requests[1]).toMatchObject({
      url: `${BASE}/recorded`, params: { RecordingUrl: recordingUrl, RecordingDuration: '3', RecordingSid: saved.metadata.sid },
    });
    expect(t.webhooks.requests[1].params['Digits']).toBeUndefined();
  });

  it('stops on a finishOnKey digit and reports it in Digits', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, record('finishOnKey="#" timeout="0"')).serve(`${BASE}/recorded`, twiml('<Hangup/>'));
    const running = t.run();
    await t.clock.advance(1000);
    t.leg.speak(tone(440, 1000));
    t.leg.pressDigits('5');
    await t.clock.advance(1000);
    t.leg.pressDigits('#');
    await t.clock.runUntilSettled(running);
    expect(t.webhooks.requests[1].params['Digits']).toBe('#');
  });

  it('stops after `timeout` seconds of silence', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, record('timeout="3" maxLength="600"')).serve(`${BASE}/recorded`, twiml('<Hangup/>'));
    const running = t.run();
    await t.clock.advance(1000);
    t.leg.speak(tone(440, 500));
    await t.clock.advance(2000);
    t.leg.speak(silence(2000));
    await t.clock.runUntilSettled(running);
    const recordStart = t.leg.events.find((event) => event.what === 'record-start')?.at ?? 0;
    const recordStop = t.leg.events.find((event) => event.what === 'record-stop')?.at ?? 0;
    // Sound at +0.6 s (after the 400 ms beep), then 3 s of silence.
    expect(recordStop - recordStart).toBe(3600);
  });

  it('saves and still requests the action with Digits=hangup when the caller hangs up, ignoring its TwiML', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, record('timeout="0"')).serve(`${BASE}/recorded`, twiml('<Say>ignored</Say>'));
    const running = t.run();
    await t.clock.advance(1000);
    t.leg.speak(tone(440, 2000));
    t.leg.farEndHangsUp();
    const result = await t.clock.runUntilSettled(running);
    expect(result.outcome).toBe('caller-hung-up');
    expect(t.recordings.saved.size).toBe(1);
    expect(t.webhooks.notifications).toHaveLength(1);
    expect(t.webhooks.requests[1].params).toMatchObject({ Digits: 'hangup', CallStatus: 'completed' });
    expect(t.speech.spoken).toEqual([]);
  });

  it('saves nothing and goes to the next verb when nothing was said', async () => {
    const t = setup();
    t.webhooks.serve(VOICE, record('timeout="2"'));
    await t.clock.runUntilSettled(t.run());
    expect(t.recordings.saved.size).toBe(0);
    expect(t.webhooks.requests).toHaveLength(1);
    expect(t.speech.spoken).toEqual(['after']);
  });
});

describe('runTwiml: <Dial>', () => {
  it('passes the nouns to the core and posts DialCallStatus, DialCallSid and DialCallDuration to the action', async () => {
    const t = setup();
    t.webhooks
      .serve(VOICE, twiml('<Dial timeout="12" action="/dial-done" callerId="+14155550199"><Client>bob</Client></Dial>'))
      .serve(`${BASE}/dial-done`, twiml('<Hangup/>'));
    await t.clock.runUntilSettled(t.run());
    expect(t.core.dials[0].request).toEqual({
      targets: [{ kind: 'client', identity: 'bob', parameters: {}, statusCallback: undefined }],
      timeoutSeconds: 12, callerId: '+14155550199', answerOnBridge: false, timeLimitSeconds: undefined,
    });
    expect(t.leg.whats()[0]).toBe('answer');
    expect(t.webhooks.requests[1].params).toMatchObject({
      DialCallStatus: 'completed', DialCallSid: 'CA00000000000000000000000000000002', DialCallDuration: '7', CallStatus: 'in-progress',
    });
  });

  it('reaches the action with no-answer after the ring timeout, without answering first when answerOnBridge', async () => {
    const t = setup();
    t.core.dialBehaviour = async (_parent, request) => {
      await t.clock.sleep(request.timeoutSeconds * 1000);
      return { status: 'no-answer', dialCallSid: 'CA00000000000000000000000000000009' };
    };
    t.webhooks
      .serve(VOICE, twiml('<Dial timeout="20" answerOnBridge="true" action="/dial-done"><Client>bob</Client></Dial>'))
      .serve(`${BASE}/dial-done`, twiml('<Say>voicemail</Say>'));
    await t.clock.runUntilSettled(t.run());
    expect(t.webhooks.requests[1].params).toMatchObject({ DialCallStatus: 'no-answer', CallStatus: 'ringing' });
    expect(t.webhooks.requests[1].params['DialCallDuration']).toBeUndefined();
    expect(t.speech.spoken).toEqual(['voicemail']);
  });

  it('goes on to the next verb when there is no action', async () => {
    const t = setup();
    t.core.dialBehaviour = async () => ({ status: 'busy' });
    t.webhooks.serve(VOICE, twiml('<Dial>+14155550122</Dial><Say>they are busy</Say>'));
    await t.clock.runUntilSettled(t.run());
    expect(t.speech.spoken).toEqual(['they are busy']);
  });

  it('still requests the action when the caller hangs up mid-Dial, and ignores its TwiML', async () => {
    const t = setup();
    t.core.dialBehaviour = async (parent) => {
      await t.clock.sleep(60_000, parent.ended);
      return { status: 'canceled' };
    };
    t.webhooks
      .serve(VOICE, twiml('<Dial action="/dial-done"><Client>bob</Client></Dial>'))
      .serve(`${BASE}/dial-done`, twiml('<Say>ignored</Say>'));
    const running = t.run();
    await t.clock.advance(3000);
    t.leg.farEndHangsUp();
    const result = await t.clock.runUntilSettled(running);
    expect(result.outcome).toBe('caller-hung-up');
    expect(t.webhooks.requests[1].params).toMatchObject({ DialCallStatus: 'canceled', CallStatus: 'completed' });
    expect(t.speech.spoken).toEqual([]);
  });

  it('treats a core failure as DialCallStatus=failed rather than crashing', async () => {
    const t = setup();
    t.core.dialBehaviour = async () => {
      throw new Error('core exploded');
    };
    t.webhooks.serve(VOICE, twiml('<Dial action="/dial-done">+14155550144</Dial>')).serve(`${BASE}/dial-done`, twiml('<Hangup/>'));
    await t.clock.runUntilSettled(t.run());
    expect(t.webhooks.requests[1].params['DialCallStatus']).toBe('failed');
  });
});
