/**
 * Call message events ("Voice SDK Call Message Events"): what the REST side (UserDefinedMessages,
 * UserDefinedMessageSubscriptions) and the signaling side share. The REST lib depends on the port
 * below, which the signaling lib implements; the app connects the two.
 */

/** The one message type Twilio accepts from and sends to the SDK; any other earns 31210. */
export const USER_DEFINED_MESSAGE_TYPE = 'user-defined-message';

/**
 * Largest message content, in bytes of its JSON text. Twilio's SDK docs: "The size limit of the
 * message content is 10 KB" (a larger one from the SDK earns 31212); the REST resource's warning
 * 32703 names "the maximum allowed length of 10000 characters".
 */
export const MAX_CALL_MESSAGE_CONTENT = 10_000;

/** A user-defined message as both sides carry it: `content` is JSON text. */
export interface UserDefinedMessage {
  readonly content: string;
  readonly contentType: string;
  /** KX + 32 hex: the SDK's `voiceEventSid`, and the REST resource's `sid`. */
  readonly voiceEventSid: string;
}

/** A message an SDK sent on one of its calls (acked to the SDK already). */
export interface MessageFromSdk extends UserDefinedMessage {
  /** The SDK leg's CallSid (the parent call for an outgoing SDK call, the child for an incoming one). */
  readonly callSid: string;
}

/** The SDK legs of calls, as the REST resources reach them. */
export interface SdkMessageChannel {
  /** Whether the call has a Voice SDK leg connected now. */
  hasSdkLeg(callSid: string): boolean;
  /** Sends a `message` frame to the call's SDK leg; false when it has none connected. */
  deliver(callSid: string, message: UserDefinedMessage): boolean;
  /** Every valid message any SDK sends; returns the unsubscribe function. */
  onMessageFromSdk(listener: (message: MessageFromSdk) => void): () => void;
}
