/**
 * Parameters Twilio (or the voice sandbox) POSTs to our webhooks, form-encoded, with Twilio's names.
 * Only what we read is listed; Twilio sends more and adds new ones, so unknown keys are allowed.
 */
export interface VoiceWebhookParams {
  readonly CallSid: string;
  readonly AccountSid: string;
  readonly From: string;
  readonly To: string;
  readonly CallStatus?: string;
  readonly Direction?: string;
  readonly ApiVersion?: string;
  readonly ApplicationSid?: string;
}

export interface DialCompleteParams extends VoiceWebhookParams {
  readonly DialCallStatus: 'completed' | 'answered' | 'busy' | 'no-answer' | 'failed' | 'canceled';
  readonly DialCallSid?: string;
  readonly DialCallDuration?: string;
}

export interface StatusCallbackParams {
  readonly CallSid: string;
  readonly AccountSid: string;
  readonly CallStatus: string;
  readonly From?: string;
  readonly To?: string;
  readonly Direction?: string;
  readonly CallDuration?: string;
  readonly SequenceNumber?: string;
  readonly Timestamp?: string;
  readonly CallbackSource?: string;
  readonly ParentCallSid?: string;
}

export interface RecordingStatusParams {
  readonly AccountSid: string;
  readonly CallSid: string;
  readonly RecordingSid: string;
  readonly RecordingUrl: string;
  readonly RecordingStatus: 'in-progress' | 'completed' | 'absent' | 'failed';
  readonly RecordingDuration?: string;
  readonly RecordingChannels?: string;
  readonly RecordingSource?: string;
}

/** SID shapes Twilio uses; the webhooks validate against these. */
export const SID_PATTERNS = {
  call: /^CA[0-9a-f]{32}$/,
  account: /^AC[0-9a-f]{32}$/,
  recording: /^RE[0-9a-f]{32}$/,
  application: /^AP[0-9a-f]{32}$/,
  apiKey: /^SK[0-9a-f]{32}$/,
} as const;
