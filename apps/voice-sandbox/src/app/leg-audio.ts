import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_METER_WINDOW_MS, MAX_METER_WINDOW_MS, type LegAudioLevels } from '@switchboard/sandbox-twiml-engine';
import { HttpError, isLoopback, sendJson } from './http-util';

/** What the hook reads: the conference rooms' per-participant meters. */
export interface LegAudioSource {
  legAudio(callSid: string, windowMs?: number): (LegAudioLevels & { conferenceSid: string; friendlyName: string }) | undefined;
}

const ROUTE = /^\/sandbox\/calls\/(CA[0-9a-f]{32})\/audio$/;

/**
 * GET /sandbox/calls/<CallSid>/audio?windowMs=1000: a test hook, not Twilio. What that leg was sent by its
 * conference over the last windowMs (20–10000, default 1000): overall RMS and dBFS and the same per source (each
 * other participant's CallSid, 'hold', 'wait', 'announce', 'conference'). Gated like the fault hooks: off unless
 * they are on, loopback callers only.
 */
export function createLegAudioRoute(conferences: LegAudioSource, enabled: boolean) {
  return (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    const match = ROUTE.exec(url.pathname);
    if (req.method !== 'GET' || !match) return false;
    if (!enabled) throw new HttpError(404, 'The leg audio hook is off (set SANDBOX_FAULTS=on or "faults": true)');
    if (!isLoopback(req.socket.remoteAddress)) throw new HttpError(403, 'The leg audio hook accepts loopback callers only');
    const windowParam = url.searchParams.get('windowMs');
    const windowMs = windowParam === null ? DEFAULT_METER_WINDOW_MS : Number(windowParam);
    if (!Number.isInteger(windowMs) || windowMs < 20 || windowMs > MAX_METER_WINDOW_MS) {
      throw new HttpError(400, `"windowMs" must be an integer in [20, ${MAX_METER_WINDOW_MS}]`);
    }
    const levels = conferences.legAudio(match[1], windowMs);
    if (!levels) throw new HttpError(404, `Call ${match[1]} is not connected to a live conference (only conference legs are metered)`);
    sendJson(res, 200, { callSid: match[1], ...levels });
    return true;
  };
}
