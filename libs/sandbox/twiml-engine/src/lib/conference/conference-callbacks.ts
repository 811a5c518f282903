import { ConferenceEndReason, ConferenceEvent, ConferenceStatusCallback } from '@switchboard/sandbox-model';
import { SandboxLogger } from '../ports';
import { rfc2822 } from '../webhooks/status-callbacks';
import { WebhookClient } from '../webhooks/webhook-client';

/**
 * Twilio's conference `StatusCallbackEvent` values and the `statusCallbackEvent` filter that
 * enables each. Names and parameters as documented in
 * https://www.twilio.com/docs/voice/twiml/conference#attributes-statusCallback-parameters
 * (and the Conference resource's statusCallback, https://www.twilio.com/docs/voice/api/conference-resource).
 */
export const CALLBACK_EVENT_FILTER = {
  'conference-start': 'start',
  'conference-end': 'end',
  'participant-join': 'join',
  'participant-leave': 'leave',
  'participant-mute': 'mute',
  'participant-unmute': 'mute',
  'participant-hold': 'hold',
  'participant-unhold': 'hold',
  'participant-modify': 'modify',
  'participant-speech-start': 'speaker',
  'participant-speech-stop': 'speaker',
  'announcement-end': 'announcement',
  'announcement-fail': 'announcement',
} as const satisfies Record<string, ConferenceEvent>;
export type ConferenceCallbackEvent = keyof typeof CALLBACK_EVENT_FILTER;

/** The participant fields Twilio adds to participant-* events. */
export interface CallbackParticipant {
  readonly callSid: string;
  readonly muted: boolean;
  readonly hold: boolean;
  readonly coaching: boolean;
  readonly callSidToCoach?: string;
  readonly endConferenceOnExit: boolean;
  readonly startConferenceOnEnter: boolean;
  readonly label?: string;
}

export interface CallbackConference {
  readonly sid: string;
  readonly accountSid: string;
  readonly friendlyName: string;
}

export interface ConferenceCallbackDetails {
  readonly participant?: CallbackParticipant;
  readonly reasonEnded?: ConferenceEndReason;
  readonly callSidEndingConference?: string;
  /** The CallSid an announcement-end/-fail concerns (a participant announcement). */
  readonly callSid?: string;
}

/**
 * One conference's callbacks: sent only for events its `statusCallbackEvent` lists, signed by the
 * shared webhook client, strictly in order (one queue per conference), SequenceNumber from 1.
 */
export class ConferenceCallbacks {
  private sequence = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly conference: CallbackConference,
    private readonly webhooks: WebhookClient,
    private readonly log: SandboxLogger,
    private readonly now: () => number,
  ) {}

  /** Twilio's rule: the statusCallback of the first participant that sets one is the conference's. */
  callback: ConferenceStatusCallback | undefined;

  adopt(callback: ConferenceStatusCallback | undefined): void {
    this.callback ??= callback;
  }

  send(event: ConferenceCallbackEvent, details: ConferenceCallbackDetails = {}): void {
    const callback = this.callback;
    if (!callback || !callback.events.includes(CALLBACK_EVENT_FILTER[event])) return;
    const params: Record<string, string> = {
      AccountSid: this.conference.accountSid,
      ConferenceSid: this.conference.sid,
      FriendlyName: this.conference.friendlyName,
      SequenceNumber: String(++this.sequence),
      StatusCallbackEvent: event,
      Timestamp: rfc2822(this.now()),
    };
    const participant = details.participant;
    if (participant) {
      params['CallSid'] = participant.callSid;
      params['Muted'] = String(participant.muted);
      params['Hold'] = String(participant.hold);
      params['Coaching'] = String(participant.coaching);
      params['EndConferenceOnExit'] = String(participant.endConferenceOnExit);
      params['StartConferenceOnEnter'] = String(participant.startConferenceOnEnter);
      if (participant.label !== undefined) params['ParticipantLabel'] = participant.label;
      if (participant.coaching && participant.callSidToCoach) params['CallSidToCoach'] = participant.callSidToCoach;
    }
    if (details.callSid) params['CallSid'] = details.callSid;
    if (details.reasonEnded) params['ReasonConferenceEnded'] = details.reasonEnded;
    if (details.callSidEndingConference) params['CallSidEndingConference'] = details.callSidEndingConference;
    const request = { url: callback.url, method: callback.method, params, accountSid: this.conference.accountSid };
    this.queue = this.queue.then(async () => {
      const result = await this.webhooks.notify(request);
      if (!result.ok) {
        this.log.warn(`Twilio error ${result.code}: conference status callback failed: ${result.message}`, {
          code: result.code,
          conferenceSid: this.conference.sid,
          url: callback.url,
        });
      }
    });
  }

  /** Resolves when every callback queued so far was answered (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }
}
