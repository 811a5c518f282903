/**
 * What the call core needs from a media endpoint. The werift implementation lives in
 * @switchboard/sandbox-media (an adapter); scripted phone parties implement it in this lib.
 * Every frame is 20 ms of 8 kHz PCM: 160 samples.
 */
export type FrameSource = () => Int16Array | undefined;

export interface AudioPort {
  /** Frames this party says (decoded from its RTP, or synthesized). Returns an unsubscribe. */
  onFrame(listener: (frame: Int16Array) => void): () => void;
  /** RFC 4733 digits this party sends. */
  onDigit(listener: (digit: string) => void): () => void;
  /** What this party hears: pulled every 20 ms; `undefined` means silence. */
  setSource(source: FrameSource | undefined): void;
  close(): void;
}

/** A WebRTC leg terminated by the sandbox, negotiated by SDP (PCMU or Opus; frames are 8 kHz PCM either way). */
export interface SdpEndpoint extends AudioPort {
  /** Answer a browser's offer; the answer carries our candidates (the SDK's SDPs carry none). */
  answer(offerSdp: string): Promise<string>;
  /** Offer to a browser (for calls the sandbox places to a client). */
  offer(): Promise<string>;
  acceptAnswer(answerSdp: string): Promise<void>;
  /**
   * Digits the client sent over signaling instead of RFC 4733 (the SDK falls back to a PStream
   * `dtmf` message while its RTCDTMFSender cannot insert yet, e.g. before DTLS is up): reported to
   * `onDigit` listeners like in-band ones.
   */
  receiveSignaledDigits(digits: string): void;
  /** Fault hook: stop sending, ignore received audio and leave ICE checks unanswered for `ms`. */
  stall(ms: number): void;
  /** Fault hook: drop `percent`% of packets both ways for `ms`. */
  lose(percent: number, ms: number): void;
  /** Fires once when ICE/DTLS fails or the endpoint is closed. */
  onClosed(listener: (reason: 'closed' | 'failed') => void): () => void;
}

export interface MediaEngine {
  createEndpoint(label: string): SdpEndpoint;
}
