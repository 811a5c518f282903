/** One step of a simulated PSTN caller's script (JSON from POST /sandbox/inbound). */
export type CallerStep =
  | { readonly wait: number }
  | { readonly dtmf: string }
  | { readonly tone: { readonly hz: number; readonly seconds: number } }
  | { readonly silence: number }
  | { readonly hangup: true };

export class CallerScriptError extends Error {}

const MAX_STEPS = 100;
const MAX_TOTAL_SECONDS = 3600;

/**
 * Validates a script such as `[{"wait":2},{"dtmf":"12#"},{"tone":{"hz":440,"seconds":3}},{"hangup":true}]`.
 * `wait` and `silence` are seconds of quiet (silence also sends silent audio frames), `dtmf` sends
 * RFC 4733-style digits 100 ms apart, `tone` speaks a sine tone, `hangup` ends the call.
 */
export function parseCallerScript(input: unknown): CallerStep[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) throw new CallerScriptError('script must be a JSON array of steps');
  if (input.length > MAX_STEPS) throw new CallerScriptError(`script has more than ${MAX_STEPS} steps`);
  let total = 0;
  const steps = input.map((raw: unknown, index): CallerStep => {
    const where = `script step ${index}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new CallerScriptError(`${where} must be an object`);
    const step = raw as Record<string, unknown>;
    const keys = Object.keys(step);
    if (keys.length !== 1) throw new CallerScriptError(`${where} must have exactly one of wait, dtmf, tone, silence, hangup`);
    const seconds = (value: unknown, name: string): number => {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TOTAL_SECONDS) {
        throw new CallerScriptError(`${where}: ${name} must be a number of seconds from 0 to ${MAX_TOTAL_SECONDS}`);
      }
      total += value;
      return value;
    };
    switch (keys[0]) {
      case 'wait':
        return { wait: seconds(step['wait'], 'wait') };
      case 'silence':
        return { silence: seconds(step['silence'], 'silence') };
      case 'dtmf': {
        const digits = step['dtmf'];
        if (typeof digits !== 'string' || !/^[0-9*#A-D]{1,32}$/.test(digits)) {
          throw new CallerScriptError(`${where}: dtmf must be 1-32 of 0-9, *, #, A-D`);
        }
        return { dtmf: digits };
      }
      case 'tone': {
        const tone = step['tone'] as Record<string, unknown> | null;
        if (typeof tone !== 'object' || tone === null) throw new CallerScriptError(`${where}: tone must be {hz, seconds}`);
        const hz = tone['hz'];
        if (typeof hz !== 'number' || !Number.isFinite(hz) || hz < 50 || hz > 3900) {
          throw new CallerScriptError(`${where}: tone.hz must be from 50 to 3900`);
        }
        return { tone: { hz, seconds: seconds(tone['seconds'], 'tone.seconds') } };
      }
      case 'hangup':
        if (step['hangup'] !== true) throw new CallerScriptError(`${where}: hangup must be true`);
        return { hangup: true };
      default:
        throw new CallerScriptError(`${where}: unknown step "${keys[0]}"`);
    }
  });
  if (total > MAX_TOTAL_SECONDS) throw new CallerScriptError(`script lasts more than ${MAX_TOTAL_SECONDS} seconds`);
  return steps;
}
