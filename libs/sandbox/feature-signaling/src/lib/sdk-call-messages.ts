import {
  MAX_CALL_MESSAGE_CONTENT,
  USER_DEFINED_MESSAGE_TYPE,
  type CallMessagePayload,
  type MessageFromSdk,
  type SdkMessageChannel,
  type SignalingError,
  type UserDefinedMessage,
} from '@switchboard/sandbox-model';
import type { SdkCallTable } from './sdk-call-table';
import type { SdkSession, SdkSessions } from './sdk-sessions';

/**
 * The SDK's own error classes for a refused call message (errors/generated.ts): the SDK emits them on
 * the Call's `error` event when the `error` frame carries the message's `callsid` and `voiceeventsid`
 * (call.ts `_onSignalingError`; the Device ignores such frames), and never emits `messageSent` for it.
 */
export const CALL_MESSAGE_ERRORS = {
  /** CallMessageEventTypeInvalidError. */
  invalidType: { code: 31210, message: 'Call Message Event Type is invalid.' },
  /** PayloadSizeExceededError. */
  tooLarge: { code: 31212, message: 'Call Message Event Payload size exceeded authorized limit.' },
  /** GeneralErrors.UnknownError: no live call with that CallSid on this connection. */
  noCall: { code: 31000, message: 'No call with this CallSid on this connection.' },
} as const satisfies Record<string, SignalingError>;

/**
 * Call messages on SDK legs, both ways: a `message` frame from the SDK is checked as Twilio checks
 * it (type, size, call) and acked or refused with an `error` frame, then handed to the subscribers
 * (the REST side's UserDefinedMessageSubscriptions); `deliver` sends a server message to an SDK leg.
 */
export class SdkCallMessages implements SdkMessageChannel {
  private readonly listeners = new Set<(message: MessageFromSdk) => void>();

  constructor(
    private readonly sessions: SdkSessions,
    private readonly calls: SdkCallTable,
  ) {}

  /** A `message` frame from the SDK. */
  receive(session: SdkSession, payload: CallMessagePayload): void {
    const { callsid, voiceeventsid } = payload;
    const refuse = (error: SignalingError): void => this.sessions.send(session, { type: 'error', payload: { error, callsid, voiceeventsid } });
    if (payload.messagetype !== USER_DEFINED_MESSAGE_TYPE) return refuse(CALL_MESSAGE_ERRORS.invalidType);
    // The SDK sends `content` as given to sendMessage (usually an object); Twilio posts it on as JSON text.
    const content = typeof payload.content === 'string' ? payload.content : JSON.stringify(payload.content);
    if (Buffer.byteLength(content, 'utf8') > MAX_CALL_MESSAGE_CONTENT) return refuse(CALL_MESSAGE_ERRORS.tooLarge);
    const call = this.calls.find(callsid);
    if (!call || call.session !== session) return refuse(CALL_MESSAGE_ERRORS.noCall);
    this.sessions.send(session, { type: 'ack', payload: { acktype: 'message', callsid, voiceeventsid } });
    const message: MessageFromSdk = {
      callSid: call.callSid,
      content,
      contentType: payload.contenttype ?? 'application/json',
      voiceEventSid: voiceeventsid,
    };
    for (const listener of [...this.listeners]) listener(message);
  }

  hasSdkLeg(callSid: string): boolean {
    return this.calls.find(callSid)?.session !== undefined;
  }

  deliver(callSid: string, message: UserDefinedMessage): boolean {
    const call = this.calls.find(callSid);
    if (!call?.session) return false;
    this.sessions.send(call.session, {
      type: 'message',
      payload: {
        callsid: call.callSid,
        // Parsed: the SDK's messageReceived hands the application the JSON value, not its text
        // (Twilio's own integration test deep-equals it with the object the server sent).
        content: JSON.parse(message.content) as unknown,
        contenttype: message.contentType,
        messagetype: USER_DEFINED_MESSAGE_TYPE,
        voiceeventsid: message.voiceEventSid,
      },
    });
    return true;
  }

  onMessageFromSdk(listener: (message: MessageFromSdk) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
