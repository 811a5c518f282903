import { CallLegControl, PcmAudio, SANDBOX_SAMPLE_RATE } from '@switchboard/sandbox-model';
import { rms } from '@switchboard/sandbox-util-audio';
import { isSilent, SILENCE_RMS_THRESHOLD, tone, trimSilence } from '../audio/tone-and-silence';
import { TwimlError } from '../twiml/twiml-errors';
import { GatherVerb, HttpMethod, PauseVerb, PlayVerb, RecordVerb, SayVerb } from '../twiml/twiml-verbs';
import { TwimlEngineDeps } from './engine-types';
import type { VerbResult } from './run-twiml';

/** What the media verbs need from the running session. */
export interface VerbContext {
  readonly leg: CallLegControl;
  readonly deps: TwimlEngineDeps;
  /** Aborts when the caller hangs up or the call is redirected. */
  readonly signal: AbortSignal;
  readonly interrupted: boolean;
  answer(): Promise<void>;
  standardParams(): Record<string, string>;
  requestIgnoringTwiml(url: string, method: HttpMethod, params: Record<string, string>): Promise<void>;
  logError(code: number, message: string, url?: string): void;
}

const CONTINUE: VerbResult = { kind: 'continue' };

export async function runSay(context: VerbContext, verb: SayVerb, signal = context.signal): Promise<void> {
  await context.answer();
  context.deps.log.info('<Say>', { callSid: context.leg.callSid, text: verb.text, voice: verb.voice, language: verb.language });
  if (!verb.text) return;
  const audio = await context.deps.speech.synthesize(verb.text, { voice: verb.voice, language: verb.language }, signal);
  await playLooped(context, audio, verb.loop, signal);
}

export async function runPlay(context: VerbContext, verb: PlayVerb, signal = context.signal): Promise<void> {
  await context.answer();
  if (!verb.url) {
    context.deps.log.warn('<Play digits> is not supported by the sandbox (ignored)', { callSid: context.leg.callSid });
    return;
  }
  let audio: PcmAudio;
  try {
    audio = await context.deps.audio.fetch(verb.url, signal);
  } catch (error) {
    if (signal.aborted) return;
    const code = error instanceof TwimlError ? error.code : 11200;
    // Twilio logs a failed <Play> and goes on with the next verb.
    context.logError(code, `<Play> skipped: ${error instanceof Error ? error.message : String(error)}`, verb.url);
    return;
  }
  await playLooped(context, audio, verb.loop, signal);
}

export async function runPause(context: VerbContext, verb: PauseVerb, signal = context.signal): Promise<void> {
  await context.answer();
  await context.deps.clock.sleep(verb.lengthSeconds * 1000, signal);
}

async function playLooped(context: VerbContext, audio: PcmAudio, loop: number, signal: AbortSignal): Promise<void> {
  if (audio.samples.length === 0) return;
  for (let i = 0; i < loop && !signal.aborted; i++) await context.leg.play(audio, signal);
}

/**
 * `<Gather input="dtmf">`: nested prompts play until the first digit; then input ends on
 * `finishOnKey`, on `numDigits`, or after `timeout` seconds without a new digit. Digits go to
 * `action`; no digits (and no actionOnEmptyResult) → the next verb.
 */
export async function runGather(context: VerbContext, verb: GatherVerb): Promise<VerbResult> {
  await context.answer();
  const { clock } = context.deps;
  const firstDigit = new AbortController();
  const inputDone = new AbortController();
  let wake = new AbortController();
  let digits = '';
  let finishedOnKey: string | undefined;
  let lastDigitAt: number | undefined;
  const unsubscribe = context.leg.onDigit((digit) => {
    if (inputDone.signal.aborted) return;
    firstDigit.abort();
    lastDigitAt = clock.now();
    if (verb.finishOnKey.includes(digit)) {
      finishedOnKey = digit;
      inputDone.abort();
      return;
    }
    digits += digit;
    if (verb.numDigits !== undefined && digits.length >= verb.numDigits) inputDone.abort();
    wake.abort();
  });
  try {
    const promptSignal = AbortSignal.any([context.signal, firstDigit.signal]);
    for (const child of verb.children) {
      if (promptSignal.aborted) break;
      if (child.verb === 'Say') await runSay(context, child, promptSignal);
      else if (child.verb === 'Play') await runPlay(context, child, promptSignal);
      else await runPause(context, child, promptSignal);
    }
    const promptsEndedAt = clock.now();
    while (!inputDone.signal.aborted && !context.interrupted) {
      const deadline = (lastDigitAt ?? promptsEndedAt) + verb.timeoutSeconds * 1000;
      if (clock.now() >= deadline) break;
      wake = new AbortController();
      await clock.sleep(deadline - clock.now(), AbortSignal.any([context.signal, inputDone.signal, wake.signal]));
    }
  } finally {
    inputDone.abort();
    unsubscribe();
  }
  if (context.interrupted) return { kind: 'stop', outcome: 'caller-hung-up' };
  context.deps.log.info('<Gather> ended', { callSid: context.leg.callSid, digits, finishedOnKey });
  if (!digits && !verb.actionOnEmptyResult) return CONTINUE;
  const params: Record<string, string> = { ...context.standardParams(), Digits: digits };
  if (finishedOnKey !== undefined) params['FinishedOnKey'] = finishedOnKey;
  return { kind: 'goto', request: { url: verb.action, method: verb.method, params } };
}

const BEEP = tone(1000, 400, 0.4);

/**
 * `<Record>`: optional beep, then capture until `maxLength`, a `finishOnKey` digit, `timeout`
 * seconds of silence (20 ms frames under SILENCE_RMS_THRESHOLD, through the leg's `onAudio` tap;
 * without a tap silence is not detected) or hang-up. A recording with no sound at all is dropped
 * and the call goes on to the next verb, as Twilio does; otherwise the WAV is stored, the
 * recordingStatusCallback is sent and `action` (default: this document) is requested.
 */
export async function runRecord(context: VerbContext, verb: RecordVerb, documentUrl?: string): Promise<VerbResult> {
  await context.answer();
  const { clock, log } = context.deps;
  if (verb.playBeep) await context.leg.play(BEEP, context.signal);
  if (context.interrupted) return { kind: 'stop', outcome: 'caller-hung-up' };
  const done = new AbortController();
  let finishedOnKey: string | undefined;
  const startedAt = clock.now();
  let lastSoundAt = startedAt;
  const recording = context.leg.startRecording();
  const unsubscribeDigits = context.leg.onDigit((digit) => {
    if (verb.finishOnKey.includes(digit) && !done.signal.aborted) {
      finishedOnKey = digit;
      done.abort();
    }
  });
  const unsubscribeAudio = context.leg.onAudio?.((frame) => {
    if (rms(frame.samples) >= SILENCE_RMS_THRESHOLD) lastSoundAt = clock.now();
  });
  if (verb.timeoutSeconds > 0 && !unsubscribeAudio) {
    log.warn('<Record timeout>: this leg has no audio tap, silence is not detected', { callSid: context.leg.callSid });
  }
  let audio: PcmAudio;
  try {
    const stopSignal = AbortSignal.any([context.signal, done.signal]);
    while (!stopSignal.aborted) {
      const maxEnd = startedAt + verb.maxLengthSeconds * 1000;
      const silenceEnd = verb.timeoutSeconds > 0 && unsubscribeAudio ? lastSoundAt + verb.timeoutSeconds * 1000 : Infinity;
      const deadline = Math.min(maxEnd, silenceEnd);
      if (clock.now() >= deadline) break;
      await clock.sleep(deadline - clock.now(), stopSignal);
    }
  } finally {
    audio = recording.stop();
    unsubscribeDigits();
    unsubscribeAudio?.();
  }
  const hungUp = context.leg.ended.aborted;
  if (!hungUp && context.interrupted) return { kind: 'stop', outcome: 'caller-hung-up' };
  const kept = verb.trimSilence ? trimSilence(audio) : audio;
  if (kept.samples.length === 0 || isSilent(kept)) {
    log.info('<Record> captured no sound: nothing saved', { callSid: context.leg.callSid });
    return hungUp ? { kind: 'stop', outcome: 'caller-hung-up' } : CONTINUE;
  }
  const metadata = await context.deps.recordings.save({
    accountSid: context.leg.accountSid,
    callSid: context.leg.callSid,
    audio: kept,
    dateCreated: clock.now(),
  });
  const recordingUrl = `${context.deps.publicOrigin.replace(/\/+$/, '')}/2010-04-01/Accounts/${metadata.accountSid}/Recordings/${metadata.sid}`;
  const duration = String(Math.round(kept.samples.length / SANDBOX_SAMPLE_RATE));
  log.info('<Record> saved', { callSid: context.leg.callSid, recordingSid: metadata.sid, seconds: duration });
  if (verb.recordingStatusCallback) {
    const callbackUrl = verb.recordingStatusCallback;
    const params = {
      AccountSid: metadata.accountSid,
      CallSid: metadata.callSid,
      RecordingSid: metadata.sid,
      RecordingUrl: recordingUrl,
      RecordingStatus: 'completed',
      RecordingDuration: duration,
      RecordingChannels: '1',
      RecordingSource: 'RecordVerb',
      RecordingStartTime: new Date(startedAt).toUTCString().replace('GMT', '+0000'),
    };
    // Sent (and answered) before the action request, so the app sees the recording first.
    const result = await context.deps.webhooks.notify({
      url: callbackUrl,
      method: verb.recordingStatusCallbackMethod,
      params,
      accountSid: metadata.accountSid,
    });
    if (!result.ok) context.logError(result.code, result.message, callbackUrl);
  }
  const action = verb.action ?? documentUrl;
  if (!action) return hungUp ? { kind: 'stop', outcome: 'caller-hung-up' } : CONTINUE;
  const params: Record<string, string> = {
    ...context.standardParams(),
    RecordingUrl: recordingUrl,
    RecordingSid: metadata.sid,
    RecordingDuration: duration,
  };
  // Twilio sends the key that ended the recording, or "hangup" when the caller hung up.
  if (hungUp) params['Digits'] = 'hangup';
  else if (finishedOnKey !== undefined) params['Digits'] = finishedOnKey;
  if (hungUp) {
    await context.requestIgnoringTwiml(action, verb.method, params);
    return { kind: 'stop', outcome: 'caller-hung-up' };
  }
  return { kind: 'goto', request: { url: action, method: verb.method, params } };
}
