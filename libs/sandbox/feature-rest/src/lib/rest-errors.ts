import { ServerResponse } from 'node:http';

/**
 * Twilio REST error codes the subset answers with:
 * 20003 authentication failed (401), 20404 resource not found (404), 20001 invalid parameter
 * value (400; Method, Timeout, StatusCallbackEvent, Status), 21201 no To, 21211 invalid To,
 * 21603 no From, 21212 invalid From, 21205 Url missing or invalid, 21609 invalid StatusCallback,
 * 21220 call not in progress (cannot redirect), 20415 unsupported media type requested.
 */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: RestError): void {
  if (error.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="Twilio API"');
  sendJson(res, error.status, {
    code: error.code,
    message: error.message,
    more_info: `https://www.twilio.com/docs/errors/${error.code}`,
    status: error.status,
  });
}
