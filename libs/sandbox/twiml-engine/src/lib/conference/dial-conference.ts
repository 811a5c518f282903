import type { VerbContext } from '../engine/media-verbs';
import type { VerbResult } from '../engine/run-twiml';
import { ConferenceNoun, DialVerb } from '../twiml/twiml-verbs';

/**
 * `<Dial><Conference>`: answers, joins the named conference and waits until the caller leaves it
 * (the conference ended, `timeLimit` passed, `*` with hangupOnStar, a REST redirect, or hang-up).
 * Then, as Twilio does, the `<Dial>` action is requested (even after a hang-up, its TwiML then
 * ignored), or the document goes on with the next verb.
 */
export async function runDialConference(context: VerbContext, verb: DialVerb, noun: ConferenceNoun): Promise<VerbResult> {
  const { leg, deps } = context;
  const rooms = deps.conferences;
  if (!rooms) {
    context.logError(12200, '<Dial><Conference> needs the sandbox conferences (engine deps.conferences): skipped');
    return { kind: 'continue' };
  }
  await context.answer();
  const leave = new AbortController();
  const stopSignals = [context.signal, leave.signal];
  const timer = new AbortController();
  if (verb.timeLimitSeconds !== undefined) {
    void deps.clock.sleep(verb.timeLimitSeconds * 1000, AbortSignal.any([timer.signal, context.signal])).then(() => leave.abort());
  }
  const unsubscribe = verb.hangupOnStar ? leg.onDigit((digit) => digit === '*' && leave.abort()) : undefined;
  let conferenceSid: string | undefined;
  try {
    ({ conferenceSid } = await rooms.joinFromTwiml(leg, noun, AbortSignal.any(stopSignals)));
  } finally {
    timer.abort();
    unsubscribe?.();
  }
  deps.log.info('<Dial><Conference> left', { callSid: leg.callSid, conferenceSid });
  if (context.interrupted && !leg.ended.aborted) return { kind: 'stop', outcome: 'caller-hung-up' };
  if (!verb.action) return leg.ended.aborted ? { kind: 'stop', outcome: 'caller-hung-up' } : { kind: 'continue' };
  const params = context.standardParams();
  if (leg.ended.aborted) {
    await context.requestIgnoringTwiml(verb.action, verb.method, params);
    return { kind: 'stop', outcome: 'caller-hung-up' };
  }
  return { kind: 'goto', request: { url: verb.action, method: verb.method, params } };
}
