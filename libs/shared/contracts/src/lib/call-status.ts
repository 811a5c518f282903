/** Twilio's call statuses, in the order a call moves through them. */
export const CALL_STATUSES = [
  'queued',
  'initiated',
  'ringing',
  'in-progress',
  'completed',
  'busy',
  'no-answer',
  'canceled',
  'failed',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** The statuses a call ends in; a call has exactly one of them, and nothing follows it. */
export const TERMINAL_CALL_STATUSES = ['completed', 'busy', 'no-answer', 'canceled', 'failed'] as const satisfies readonly CallStatus[];
export type TerminalCallStatus = (typeof TERMINAL_CALL_STATUSES)[number];

/** Twilio adds statuses rarely but may: a status callback's value is checked, not trusted. */
export function isCallStatus(value: string): value is CallStatus {
  return (CALL_STATUSES as readonly string[]).includes(value);
}

export function isTerminalCallStatus(status: CallStatus): status is TerminalCallStatus {
  return (TERMINAL_CALL_STATUSES as readonly string[]).includes(status);
}
