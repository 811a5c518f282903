import { ConferenceStatusCallback, DialTarget } from '@switchboard/sandbox-model';

/** A parsed, validated TwiML document: absolute URLs, numbers and defaults already applied. */
export interface TwimlDocument {
  readonly url: string;
  readonly verbs: readonly TwimlVerb[];
  /** Non-fatal 12200 findings (unknown attributes, unsupported options), logged by the engine. */
  readonly warnings: readonly string[];
}

export type HttpMethod = 'GET' | 'POST';

export interface SayVerb {
  readonly verb: 'Say';
  readonly text: string;
  readonly voice?: string;
  readonly language?: string;
  /** 0 in TwiML means "repeat until the call ends"; stored here as the sandbox's cap (1000). */
  readonly loop: number;
}

export interface PlayVerb {
  readonly verb: 'Play';
  /** Absolute; absent for a digits-only `<Play>` (ignored by the sandbox). */
  readonly url?: string;
  readonly loop: number;
}

export interface PauseVerb {
  readonly verb: 'Pause';
  readonly lengthSeconds: number;
}

/** `<Dial><Conference>`: its attributes with Twilio's defaults applied. */
export interface ConferenceNoun {
  readonly name: string;
  readonly startConferenceOnEnter: boolean;
  readonly endConferenceOnExit: boolean;
  readonly beep: boolean | 'onEnter' | 'onExit';
  readonly muted: boolean;
  /** Absent: the sandbox's hold music; '' (Twilio's "no wait music"): silence; else an absolute URL. */
  readonly waitUrl?: string;
  readonly waitMethod: HttpMethod;
  readonly statusCallback?: ConferenceStatusCallback;
  readonly participantLabel?: string;
  readonly coach?: string;
  readonly maxParticipants: number;
}

export interface DialVerb {
  readonly verb: 'Dial';
  /** Empty when the `<Dial>` holds a `<Conference>`. */
  readonly targets: readonly DialTarget[];
  readonly conference?: ConferenceNoun;
  /** `hangupOnStar`: the caller leaves the conference by pressing `*`. */
  readonly hangupOnStar: boolean;
  readonly timeoutSeconds: number;
  readonly action?: string;
  readonly method: HttpMethod;
  readonly callerId?: string;
  readonly answerOnBridge: boolean;
  readonly timeLimitSeconds?: number;
}

export interface RecordVerb {
  readonly verb: 'Record';
  readonly maxLengthSeconds: number;
  readonly playBeep: boolean;
  /** Every key that ends the recording; empty = none. */
  readonly finishOnKey: string;
  /** Seconds of silence that end the recording; 0 = never. */
  readonly timeoutSeconds: number;
  readonly action?: string;
  readonly method: HttpMethod;
  readonly recordingStatusCallback?: string;
  readonly recordingStatusCallbackMethod: HttpMethod;
  readonly trimSilence: boolean;
}

export type GatherChild = SayVerb | PlayVerb | PauseVerb;

export interface GatherVerb {
  readonly verb: 'Gather';
  readonly numDigits?: number;
  readonly finishOnKey: string;
  readonly timeoutSeconds: number;
  /** Defaults to the document's own URL, as in Twilio. */
  readonly action: string;
  readonly method: HttpMethod;
  readonly actionOnEmptyResult: boolean;
  readonly children: readonly GatherChild[];
}

export interface HangupVerb {
  readonly verb: 'Hangup';
}

export interface RejectVerb {
  readonly verb: 'Reject';
  readonly reason: 'rejected' | 'busy';
}

export interface RedirectVerb {
  readonly verb: 'Redirect';
  readonly url: string;
  readonly method: HttpMethod;
}

export type TwimlVerb =
  | SayVerb
  | PlayVerb
  | PauseVerb
  | DialVerb
  | RecordVerb
  | GatherVerb
  | HangupVerb
  | RejectVerb
  | RedirectVerb;
