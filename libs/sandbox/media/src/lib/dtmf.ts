/** RFC 4733 telephone-event payload: event, end bit, volume, duration. */
export interface TelephoneEvent {
  readonly event: number;
  readonly end: boolean;
  readonly volume: number;
  readonly duration: number;
}

const EVENT_DIGITS = '0123456789*#ABCD';

export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | undefined {
  if (payload.length < 4) return undefined;
  return {
    event: payload[0],
    end: (payload[1] & 0x80) !== 0,
    volume: payload[1] & 0x3f,
    duration: (payload[2] << 8) | payload[3],
  };
}

export function isDtmfDigit(text: string): boolean {
  return text.length === 1 && EVENT_DIGITS.includes(text);
}

export function eventToDigit(event: number): string | undefined {
  return EVENT_DIGITS[event];
}

/**
 * Turns a stream of telephone-event packets into digits. A digit is reported once, on its first
 * end-of-event packet; senders repeat the end packet (usually 3 times) with the same RTP timestamp,
 * so repeats are dropped by timestamp.
 */
export class DtmfDetector {
  private lastEndedTimestamp: number | undefined;

  constructor(private readonly onDigit: (digit: string) => void) {}

  receive(rtpTimestamp: number, payload: Uint8Array): void {
    const event = parseTelephoneEvent(payload);
    if (!event || !event.end) return;
    if (rtpTimestamp === this.lastEndedTimestamp) return;
    this.lastEndedTimestamp = rtpTimestamp;
    const digit = eventToDigit(event.event);
    if (digit) this.onDigit(digit);
  }
}
