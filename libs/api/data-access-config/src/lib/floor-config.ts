/** The team floor (issue 13): reachability, routing, the queue and the board's day. */
export interface FloorConfig {
  /** PRESENCE_TIMEOUT_SECONDS: a tab that has not reported for this long is unreachable (heartbeat every 5 s). */
  readonly presenceTimeoutSeconds: number;
  /**
   * ROUTE_ONLY_AVAILABLE (default true): inbound calls ring only members who are Available and reachable.
   * false rings every enabled member, as before issue 13 (for a single-agent setup, or tests about TwiML).
   */
  readonly routeOnlyAvailable: boolean;
  /** LONGEST_IDLE_RING_SECONDS: how long a longest-idle group rings one agent before the next. */
  readonly longestIdleRingSeconds: number;
  /** QUEUE_MAX_WAIT_SECONDS: how long a caller waits in the queue for an agent before voicemail; 0 = no queue. */
  readonly queueMaxWaitSeconds: number;
  /** FLOOR_TIME_ZONE: the IANA zone whose midnight starts the board's "today". */
  readonly timeZone: string;
}

export function readFloorConfig(
  read: (name: string) => string | undefined,
  integer: (name: string, fallback: number, min: number, max: number, hint?: string) => number,
  problems: string[],
): FloorConfig {
  const routeRaw = read('ROUTE_ONLY_AVAILABLE') ?? 'true';
  if (routeRaw !== 'true' && routeRaw !== 'false') problems.push('ROUTE_ONLY_AVAILABLE must be "true" or "false"');
  const timeZone = read('FLOOR_TIME_ZONE') ?? 'UTC';
  if (!isTimeZone(timeZone)) problems.push('FLOOR_TIME_ZONE must be an IANA time zone such as UTC or Europe/Paris');
  return {
    presenceTimeoutSeconds: integer('PRESENCE_TIMEOUT_SECONDS', 15, 6, 300, ' (seconds; the softphone reports every 5 s)'),
    routeOnlyAvailable: routeRaw !== 'false',
    longestIdleRingSeconds: integer('LONGEST_IDLE_RING_SECONDS', 15, 5, 120, ' (seconds)'),
    queueMaxWaitSeconds: integer('QUEUE_MAX_WAIT_SECONDS', 120, 0, 3600, ' (seconds; 0 = no queue, straight to voicemail)'),
    timeZone: isTimeZone(timeZone) ? timeZone : 'UTC',
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
