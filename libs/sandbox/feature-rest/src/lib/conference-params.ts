import type { ConferenceRequestError } from '@switchboard/sandbox-model';
import { RestError } from './rest-errors';
import { formValue } from './rest-form';

/**
 * Parameter readers shared by the Conference and Participant resources. Codes as Twilio answers a bad
 * parameter (https://www.twilio.com/docs/api/errors): 20001 for a value outside the documented set or
 * range, 21205 for a URL that is not one, 21609 for a bad StatusCallback.
 */

/**
 * `true`/`false` only (what the twilio client's serialize.bool sends). Twilio documents that an
 * update's `Muted` reads anything else as false; the sandbox refuses it instead, so a typo that would
 * silently unmute on Twilio is caught here rather than passing as "works".
 */
export function booleanParam(params: URLSearchParams, name: string): boolean | undefined {
  const value = formValue(params, name);
  if (value === undefined || value === '') return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new RestError(400, 20001, `${name} must be true or false, not "${value}".`);
}

/** An http(s) URL kept exactly as given (re-serialising it would break webhook signatures); `''` when given empty. */
export function urlParam(params: URLSearchParams, name: string, code: number): string | undefined {
  const value = formValue(params, name);
  if (value === undefined || value === '') return value;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  throw new RestError(400, code, `${name} is not a valid URL: ${value}`);
}

export function methodParam(params: URLSearchParams, name: string, fallback: 'GET' | 'POST'): 'GET' | 'POST' {
  const value = formValue(params, name);
  if (value === undefined || value === '') return fallback;
  const upper = value.toUpperCase();
  if (upper !== 'GET' && upper !== 'POST') throw new RestError(400, 20001, `${name} must be GET or POST.`);
  return upper;
}

/** `StatusCallbackEvent`-style lists: repeated parameters (the client) or space-separated values (the docs). */
export function eventsParam<E extends string>(params: URLSearchParams, name: string, known: readonly E[], fallback: readonly E[]): E[] {
  const requested = params.getAll(name).flatMap((value) => value.split(/[\s,]+/)).filter(Boolean);
  if (!requested.length) return [...fallback];
  return requested.map((event) => {
    const found = known.find((candidate) => candidate === event);
    if (!found) throw new RestError(400, 20001, `${name} "${event}" is not one of ${known.join(', ')}.`);
    return found;
  });
}

export function integerParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const value = formValue(params, name);
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new RestError(400, 20001, `${name} must be a whole number from ${min} to ${max}, not "${value}".`);
  }
  return number;
}

export function callSidParam(params: URLSearchParams, name: string): string | undefined {
  const value = formValue(params, name);
  if (value === undefined || value === '') return undefined;
  if (!/^CA[0-9a-fA-F]{32}$/.test(value)) throw new RestError(400, 20001, `${name} must be a Call SID (CA…), not "${value}".`);
  return value;
}

/** The port's refusal (status and Twilio code chosen by the conference side) as a REST error. */
export function portError(result: ConferenceRequestError): RestError {
  return new RestError(result.error.status, result.error.code, result.error.message);
}

export function notFound(path: string): RestError {
  return new RestError(404, 20404, `The requested resource ${path} was not found`);
}
