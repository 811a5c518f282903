import type { SdkTwilioError } from './sdk-types';

/** An error the port hands to effects: an SDK code when there is one. */
export class VoiceAdapterError extends Error {
  constructor(
    readonly code: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'VoiceAdapterError';
  }
}

/** The SDK's code for an error it could not classify (GeneralError). */
export const GENERAL_SDK_ERROR_CODE = 31000;

export interface SdkErrorFacts {
  readonly code: number;
  readonly message: string;
}

/** The code and message of a TwilioError; null for anything else (a plain Error, a string, nothing). */
export function sdkErrorOf(error: unknown): SdkErrorFacts | null {
  if (typeof error === 'object' && error !== null && typeof (error as SdkTwilioError).code === 'number') {
    const { code, message } = error as SdkTwilioError;
    return { code, message: typeof message === 'string' ? message : '' };
  }
  return null;
}

/**
 * The one fallback for SDK errors: a TwilioError keeps its code and message; anything else gets
 * `fallbackCode` and its own text, so an event always carries a code the effects can describe.
 */
export function toSdkError(error: unknown, fallbackCode = GENERAL_SDK_ERROR_CODE): SdkErrorFacts {
  return sdkErrorOf(error) ?? { code: fallbackCode, message: error === undefined || error === null ? '' : String(error) };
}
