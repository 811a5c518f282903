import { Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { API_ROUTES } from '@switchboard/shared-contracts';
import type { FastifyInstance } from 'fastify';

/**
 * The largest record body accepted, on its route only (HTTP_BODY_LIMIT_BYTES stays small elsewhere).
 * Measured: 4 h of samples (QUALITY_LIMITS.maxSamples) at full double precision, with the most warnings,
 * set-up events and the longest labels, is 1.68 MB of JSON (quality-validation.spec.ts builds it);
 * the softphone's real figures (2–4 digits) make about a third of that.
 */
export const QUALITY_RECORD_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * What `navigator.sendBeacon` needs from the record route, and only there:
 * - its body arrives as `text/plain;charset=UTF-8` (the one type a beacon sends without a CORS
 *   preflight). The agent API refuses non-JSON bodies (a cross-site form's defence), so for this POST
 *   route only the text body is handed on as the JSON it is. Every other check still runs: the session
 *   cookie (a beacon sends cookies), the Sec-Fetch-Site / Origin checks (a beacon from our own page is
 *   same-origin and carries our Origin), and the validation of the body itself;
 * - a body limit sized for 4 h of samples.
 * Fastify hooks run in the order added: these are added while the module is built, before the browser
 * boundary's (added after NestFactory.create) and before any route is registered (app.init).
 */
@Injectable()
export class BeaconBodies {
  constructor(@Optional() adapterHost?: HttpAdapterHost) {
    const fastify = adapterHost?.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!fastify || typeof fastify.addHook !== 'function') return; // a unit test's module: no HTTP server
    fastify.addHook('onRoute', (route) => {
      if (route.url === API_ROUTES.quality.records && methodsOf(route.method).includes('POST')) route.bodyLimit = QUALITY_RECORD_BODY_LIMIT_BYTES;
    });
    fastify.addHook('onRequest', (request, _reply, done) => {
      if (request.method === 'POST' && isRecordsPath(request.url) && isBeaconText(request.headers['content-type'])) {
        request.headers['content-type'] = 'application/json';
      }
      done();
    });
  }
}

/**
 * The record route's path, with or without a query string. This hook runs for every request (it must run
 * before the browser boundary's global hook, so it cannot be a route-level hook, which runs after every global
 * one); a comparison costs nothing on other routes where splitting the URL allocated an array and a string
 * per request (3 % of the API's CPU on a webhook, bench/api/PROFILE.md).
 */
export function isRecordsPath(url: string): boolean {
  const path = API_ROUTES.quality.records;
  return url.startsWith(path) && (url.length === path.length || url.charCodeAt(path.length) === QUESTION_MARK);
}

const QUESTION_MARK = 0x3f;

function methodsOf(method: string | string[]): string[] {
  return Array.isArray(method) ? method : [method];
}

/** `text/plain`, with or without a charset; UTF-8 is what sendBeacon sends for a string. */
export function isBeaconText(contentType: string | string[] | undefined): boolean {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  if (value === undefined) return false;
  const [type, ...parameters] = value.split(';').map((part) => part.trim().toLowerCase());
  return type === 'text/plain' && parameters.every((parameter) => parameter === '' || parameter === 'charset=utf-8');
}
