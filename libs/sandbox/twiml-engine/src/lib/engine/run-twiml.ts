import { CallLegControl, DialOutcome } from '@switchboard/sandbox-model';
import { concatPcm, silence } from '@switchboard/sandbox-util-audio';
import { tone } from '../audio/tone-and-silence';
import { parseTwiml } from '../twiml/twiml-parser';
import { TwilioErrorCode, TwimlError } from '../twiml/twiml-errors';
import { DialVerb, HttpMethod, TwimlDocument, TwimlVerb } from '../twiml/twiml-verbs';
import { TwimlEngineDeps, TwimlRunOutcome, TwimlRunResult, TwimlStart } from './engine-types';
import { runGather, runPause, runPlay, runRecord, runSay, VerbContext } from './media-verbs';
import { runDialConference } from '../conference/dial-conference';

/** Twilio's API version, sent as `ApiVersion` with every webhook. */
export const API_VERSION = '2010-04-01';
/** `<Redirect>`s allowed per call before the call fails with 11215 (loop guard). */
export const MAX_REDIRECTS_PER_CALL = 10;
/** Verbs allowed in one document (loop guard); more fails the call with 12400. */
export const MAX_VERBS_PER_DOCUMENT = 100;

interface NextRequest {
  readonly url: string;
  readonly method: HttpMethod;
  readonly params: Record<string, string>;
}

/** What a verb tells the loop: go on, fetch another document, or the call is over. */
export type VerbResult =
  | { readonly kind: 'continue' }
  | { readonly kind: 'goto'; readonly request: NextRequest }
  | { readonly kind: 'stop'; readonly outcome: TwimlRunOutcome };

/**
 * Fetches TwiML for `leg` from `start.url` and executes it verb by verb until the call ends.
 * Never throws: every failure is logged with Twilio's error code and ends the call as Twilio does.
 *
 * Hang-up semantics (as Twilio): when the caller hangs up during `<Dial>` or `<Record>`, their
 * `action` URL is still requested (Dial: `CallStatus=completed`; Record: `Digits=hangup`, recording
 * saved and its status callback sent) but the TwiML it returns is ignored. A hang-up during any other
 * verb stops at once and requests nothing more.
 */
export async function runTwiml(leg: CallLegControl, start: TwimlStart, deps: TwimlEngineDeps): Promise<TwimlRunResult> {
  return new TwimlSession(leg, start, deps).run();
}

class TwimlSession implements VerbContext {
  answered: boolean;
  readonly executed: string[] = [];
  private redirects = 0;
  private usedFallback = false;
  private documentAbort = new AbortController();
  private pendingRedirect: NextRequest | undefined;
  private fatalCode: number | undefined;

  constructor(
    readonly leg: CallLegControl,
    private readonly start: TwimlStart,
    readonly deps: TwimlEngineDeps,
  ) {
    this.answered = start.answered ?? false;
  }

  async run(): Promise<TwimlRunResult> {
    const unregister = this.deps.liveCalls?.add({
      callSid: this.leg.callSid,
      accountSid: this.leg.accountSid,
      redirect: (url, method) => this.redirectTo(url, method),
      hangup: () => this.leg.hangup(),
    });
    try {
      return await this.loop();
    } catch (error) {
      // A bug in a verb must never crash the sandbox: log, end the call.
      this.deps.log.error('TwiML engine failed', { callSid: this.leg.callSid, error: String(error) });
      this.leg.hangup();
      return { outcome: 'failed', errorCode: 12400, verbs: this.executed };
    } finally {
      unregister?.();
    }
  }

  /** The signal every verb honours: the caller hung up, or the REST API redirected the call. */
  get signal(): AbortSignal {
    return AbortSignal.any([this.leg.ended, this.documentAbort.signal]);
  }

  get interrupted(): boolean {
    return this.leg.ended.aborted || this.documentAbort.signal.aborted;
  }

  async answer(): Promise<void> {
    if (this.answered) return;
    await this.leg.answer();
    this.answered = true;
  }

  standardParams(): Record<string, string> {
    return {
      AccountSid: this.leg.accountSid,
      ApiVersion: API_VERSION,
      CallSid: this.leg.callSid,
      CallStatus: this.leg.ended.aborted ? 'completed' : this.answered ? 'in-progress' : 'ringing',
      Direction: this.leg.direction,
      From: this.leg.from,
      To: this.leg.to,
      Caller: this.leg.from,
      Called: this.leg.to,
      ...this.start.callParams,
    };
  }

  /** Requests an action URL after the caller hung up: Twilio does, and ignores what comes back. */
  async requestIgnoringTwiml(url: string, method: HttpMethod, params: Record<string, string>): Promise<void> {
    const result = await this.deps.webhooks.fetchTwiml({ url, method, params, accountSid: this.leg.accountSid });
    if (!result.ok) this.logError(result.code, result.message, url);
  }

  logError(code: number, message: string, url?: string): void {
    this.deps.log.error(`Twilio error ${code}: ${message}`, { code, callSid: this.leg.callSid, url });
  }

  private redirectTo(url: string, method: HttpMethod): void {
    this.pendingRedirect = { url, method, params: this.standardParams() };
    this.documentAbort.abort();
  }

  private async loop(): Promise<TwimlRunResult> {
    let next: NextRequest | undefined = {
      url: this.start.url,
      method: this.start.method ?? 'POST',
      // Twilio's own parameters win: a page's connect({params}) may add, never replace (From, CallSid, …).
      params: { ...this.start.params, ...this.standardParams() },
    };
    while (next) {
      if (this.leg.ended.aborted) return this.result('caller-hung-up');
      this.documentAbort = new AbortController();
      const document = await this.fetchDocument(next);
      if (this.takeRedirect()) {
        next = this.pendingRedirect;
        this.pendingRedirect = undefined;
        continue;
      }
      if (this.leg.ended.aborted) return this.result('caller-hung-up');
      if (document instanceof TwimlError) {
        const fallback = this.fallbackFor(document, next.url);
        if (fallback) {
          next = fallback;
          continue;
        }
        return this.fail(document.code);
      }
      const result = await this.execute(document);
      if (result.kind === 'stop') return this.result(result.outcome);
      if (result.kind === 'goto') {
        next = result.request;
        continue;
      }
      // Twilio hangs up when the document runs out of verbs.
      this.leg.hangup();
      return this.result('hung-up');
    }
    return this.result('hung-up');
  }

  private takeRedirect(): boolean {
    return this.pendingRedirect !== undefined && !this.leg.ended.aborted;
  }

  private async fetchDocument(request: NextRequest): Promise<TwimlDocument | TwimlError> {
    const result = await this.deps.webhooks.fetchTwiml({
      ...request,
      accountSid: this.leg.accountSid,
      signal: this.signal,
    });
    if (!result.ok) {
      this.logError(result.code, result.message, request.url);
      return new TwimlError(result.code, result.message);
    }
    try {
      const document = parseTwiml(result.body, request.url);
      for (const warning of document.warnings) this.deps.log.warn(warning, { callSid: this.leg.callSid, url: request.url });
      if (document.verbs.length > MAX_VERBS_PER_DOCUMENT) {
        throw new TwimlError(TwilioErrorCode.TooManyVerbs, `document has ${document.verbs.length} verbs, the sandbox runs at most ${MAX_VERBS_PER_DOCUMENT}`);
      }
      return document;
    } catch (error) {
      const twimlError = error instanceof TwimlError ? error : new TwimlError(TwilioErrorCode.DocumentParseFailure, String(error));
      this.logError(twimlError.code, twimlError.message, request.url);
      return twimlError;
    }
  }

  private fallbackFor(error: TwimlError, failedUrl: string): NextRequest | undefined {
    if (!this.start.fallbackUrl || this.usedFallback) return undefined;
    this.usedFallback = true;
    return {
      url: this.start.fallbackUrl,
      method: this.start.fallbackMethod ?? 'POST',
      params: { ...this.standardParams(), ErrorCode: String(error.code), ErrorUrl: failedUrl },
    };
  }

  private async execute(document: TwimlDocument): Promise<VerbResult> {
    for (const verb of document.verbs) {
      if (this.leg.ended.aborted) return { kind: 'stop', outcome: 'caller-hung-up' };
      this.executed.push(verb.verb);
      this.deps.log.info(`TwiML <${verb.verb}>`, { callSid: this.leg.callSid, url: document.url });
      const result = await this.executeVerb(verb, document.url);
      if (this.takeRedirect()) {
        const request = this.pendingRedirect as NextRequest;
        this.pendingRedirect = undefined;
        return { kind: 'goto', request };
      }
      if (result.kind !== 'continue') return result;
    }
    return { kind: 'continue' };
  }

  private async executeVerb(verb: TwimlVerb, documentUrl: string): Promise<VerbResult> {
    switch (verb.verb) {
      case 'Say':
        await runSay(this, verb);
        return { kind: 'continue' };
      case 'Play':
        await runPlay(this, verb);
        return { kind: 'continue' };
      case 'Pause':
        await runPause(this, verb);
        return { kind: 'continue' };
      case 'Gather':
        return runGather(this, verb);
      case 'Record':
        return runRecord(this, verb, documentUrl);
      case 'Dial':
        return this.dial(verb);
      case 'Hangup':
        this.leg.hangup();
        return { kind: 'stop', outcome: 'hung-up' };
      case 'Reject':
        this.leg.hangup(verb.reason);
        return { kind: 'stop', outcome: 'rejected' };
      case 'Redirect':
        if (++this.redirects > MAX_REDIRECTS_PER_CALL) {
          this.logError(TwilioErrorCode.HttpTooManyRedirects, `more than ${MAX_REDIRECTS_PER_CALL} <Redirect>s in one call`, verb.url);
          this.fatalCode = TwilioErrorCode.HttpTooManyRedirects;
          return { kind: 'stop', outcome: await this.failOutcome() };
        }
        return { kind: 'goto', request: { url: verb.url, method: verb.method, params: this.standardParams() } };
    }
  }

  private async dial(verb: DialVerb): Promise<VerbResult> {
    if (verb.conference) return runDialConference(this, verb, verb.conference);
    if (!verb.answerOnBridge) await this.answer();
    let outcome: DialOutcome;
    try {
      outcome = await this.deps.core.dial(this.leg, {
        targets: verb.targets,
        timeoutSeconds: verb.timeoutSeconds,
        callerId: verb.callerId,
        answerOnBridge: verb.answerOnBridge,
        timeLimitSeconds: verb.timeLimitSeconds,
      });
    } catch (error) {
      this.deps.log.error('<Dial> failed in the call core', { callSid: this.leg.callSid, error: String(error) });
      outcome = { status: 'failed' };
    }
    if (outcome.status === 'completed' || outcome.status === 'answered') this.answered = true;
    this.deps.log.info(`<Dial> ended: ${outcome.status}`, { callSid: this.leg.callSid, dialCallSid: outcome.dialCallSid });
    if (!verb.action) return this.leg.ended.aborted ? { kind: 'stop', outcome: 'caller-hung-up' } : { kind: 'continue' };
    const params: Record<string, string> = { ...this.standardParams(), DialCallStatus: outcome.status };
    if (outcome.dialCallSid) params['DialCallSid'] = outcome.dialCallSid;
    if (outcome.dialCallDurationSeconds !== undefined) params['DialCallDuration'] = String(outcome.dialCallDurationSeconds);
    if (this.leg.ended.aborted) {
      await this.requestIgnoringTwiml(verb.action, verb.method, params);
      return { kind: 'stop', outcome: 'caller-hung-up' };
    }
    return { kind: 'goto', request: { url: verb.action, method: verb.method, params } };
  }

  private async fail(code: number): Promise<TwimlRunResult> {
    await this.failOutcome();
    return { outcome: 'failed', errorCode: code, verbs: this.executed };
  }

  /** Twilio says "an application error has occurred" and hangs up; the sandbox plays three low beeps. */
  private async failOutcome(): Promise<TwimlRunOutcome> {
    if (!this.leg.ended.aborted) {
      await this.answer();
      const beep = concatPcm([tone(330, 250), silence(150)]);
      await this.leg.play(concatPcm([beep, beep, beep]), this.leg.ended);
      this.leg.hangup();
    }
    return 'failed';
  }

  private result(outcome: TwimlRunOutcome): TwimlRunResult {
    return { outcome, errorCode: this.fatalCode, verbs: this.executed };
  }
}
