/**
 * Privacy redaction for the API's pino logs: phone numbers and agent identities never reach a log line.
 * Database errors are the main leak: drizzle's message is `Failed query: <sql>\nparams: <values>` and
 * Postgres's detail is `Key (identity)=(alice) already exists`, so both carry callers' numbers and
 * agents' identities. Two layers: redact paths for structured fields that hold such values, and a
 * scrubber over every message string and every string inside logged plain objects and errors.
 */

/** Structured fields whose whole value is personal data. */
export const PRIVACY_REDACT_PATHS: readonly string[] = [
  'params', '*.params', 'parameters', '*.parameters', 'payload', '*.payload',
  'identity', '*.identity', 'from', '*.from', 'to', '*.to', 'phoneNumber', '*.phoneNumber',
];

const SCRUBBERS: ReadonlyArray<readonly [RegExp, string]> = [
  // drizzle's DrizzleQueryError: every bound value of the failed statement.
  [/\bparams: [^\n]*/g, 'params: [redacted]'],
  // Postgres error detail: Key (column)=(value) …
  [/(\bKey \([^)]*\)=\()[^)]*\)/g, '$1[redacted])'],
  // Twilio client addresses of agents.
  [/\bclient:[A-Za-z0-9_]+/g, 'client:[identity]'],
  // E.164 numbers, plain, spaced or dashed, and percent-encoded (+ as %2B) in URLs.
  [/\+[1-9](?:[ ().-]{0,2}\d){6,14}/g, '[phone]'],
  [/%2B[1-9]\d{6,14}/gi, '[phone]'],
];

/** The text with phone numbers, client identities and SQL parameters masked. */
export function scrubLogText(text: string): string {
  let scrubbed = text;
  for (const [pattern, replacement] of SCRUBBERS) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}

const MAX_DEPTH = 6;
/** Keys whose value is dropped wherever they appear (an error's bound SQL values, a webhook's form). */
const PRIVATE_KEYS = new Set(['params', 'parameters', 'payload', 'identity', 'phoneNumber']);

const scrubEntries = (value: object, depth: number, seen: WeakSet<object>) => Object.fromEntries(Object.entries(value).map(
  ([key, item]) => [key, PRIVATE_KEYS.has(key) ? '[redacted]' : scrubLogValue(item, depth + 1, seen)]));

/**
 * A copy of a logged value with every string scrubbed: plain objects, arrays and errors are walked
 * (an error becomes a plain object with its name, message, stack and code). Class instances such as
 * Fastify's request and reply are left alone: their serializers pick safe fields later.
 */
export function scrubLogValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubLogText(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrubLogValue(item, depth + 1, seen));
  if (value instanceof Error) {
    const { name, message, stack } = value;
    // `cause` given to the constructor is not enumerable, and is where drivers put the server's detail.
    const cause = 'cause' in value && value.cause !== undefined ? { cause: scrubLogValue(value.cause, depth + 1, seen) } : {};
    return {
      type: name, ...scrubEntries(value, depth, seen), ...cause, message: scrubLogText(message), ...(stack ? { stack: scrubLogText(stack) } : {}),
    };
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  return scrubEntries(value, depth, seen);
}

/** pino options (hooks and formatters) that scrub every message and logged object; spread into the logger options. */
export function privacyLogOptions() {
  return {
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...args: unknown[]) => void): void {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubLogText(arg) : arg)));
      },
    },
    formatters: {
      log: (object: Record<string, unknown>) => scrubLogValue(object) as Record<string, unknown>,
    },
  };
}
