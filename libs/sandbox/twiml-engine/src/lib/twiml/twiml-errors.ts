/**
 * Twilio error codes the sandbox logs, with Twilio's meaning. A fatal one ends the call the way
 * Twilio does when no fallback URL is configured (Twilio plays "an application error has
 * occurred" first; the sandbox plays a short error tone pattern instead).
 */
export const TwilioErrorCode = {
  /** HTTP retrieval failure: the webhook answered non-2xx, or its body could not be read. */
  HttpRetrievalFailure: 11200,
  /** HTTP communication total time out: the URL's `#tt=` ran out before any attempt was answered. */
  HttpTotalTimeout: 11203,
  /** HTTP connection failure: refused, reset, or no complete answer within the 15 s budget. */
  HttpConnectionFailure: 11205,
  /** HTTP bad host name: unparsable URL, unsupported scheme, or (sandbox rule) a non-loopback host. */
  HttpBadHostName: 11210,
  /**
   * HTTP too many redirects. The sandbox also uses it for a `<Redirect>` loop (more than 10
   * documents fetched by `<Redirect>` in one call): Twilio documents no code of its own for that.
   */
  HttpTooManyRedirects: 11215,
  /** HTTP retry policy is invalid: the URL's `#rp=` names something other than 4xx, 5xx, ct, rt, all. */
  InvalidRetryPolicy: 11243,
  /** Document parse failure: not well-formed XML, or no single `<Response>` root. */
  DocumentParseFailure: 12100,
  /** Schema validation: unknown or wrong-case verb, bad nesting, invalid attribute value. */
  SchemaValidation: 12200,
  /** Invalid Content-Type: the TwiML answer was not text/xml or application/xml. */
  InvalidContentType: 12300,
  /** Dial: invalid phone number format (a `<Number>` or bare number that is no phone number). */
  DialInvalidPhoneNumber: 13223,
  /** Status callback answered 4xx/5xx or failed (a warning; the call goes on). */
  StatusCallbackFailure: 15003,
  /** Sandbox: the document ran more than 100 verbs in one loop (guard against TwiML loops). */
  TooManyVerbs: 12400,
} as const;
export type TwilioErrorCodeValue = (typeof TwilioErrorCode)[keyof typeof TwilioErrorCode];

export class TwimlError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`Twilio error ${code}: ${message}`);
    this.name = 'TwimlError';
  }
}
