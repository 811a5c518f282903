import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LegStatusEvent, MediaLegStats, SandboxClock } from '@switchboard/sandbox-model';
import { callSummaryJson, type CallSummaryFacts } from './call-summary';
import { authenticateAccount, type SandboxRestConfig } from './rest-config';
import { RestError, sendError, sendJson } from './rest-errors';

/** Voice Insights' Call Summary path (host insights.twilio.com; the API's REST client re-bases it here). */
const SUMMARY_PATH = /^\/v1\/Voice\/([^/]+)\/Summary\/?$/;
const FINAL = new Set(['completed', 'busy', 'no-answer', 'canceled', 'failed']);
/** Ended legs whose facts are kept for their summary; the oldest go first. */
export const DEFAULT_KEPT_SUMMARIES = 1000;

export interface CallSummaryRouteOptions {
  readonly config: SandboxRestConfig;
  readonly clock: SandboxClock;
  /** The call core's record of a leg, live or recently ended. */
  readonly legs: (callSid: string) => CallSummaryFacts | undefined;
  /** Every status change of every leg (the call core's onLegStatus): ended legs' facts are kept from it. */
  readonly onLegStatus: (listener: (event: LegStatusEvent) => void) => () => void;
  /** What the sandbox measured on the leg's media, if it carried RTP (SDK legs). */
  readonly mediaStats?: (callSid: string) => MediaLegStats | undefined;
  readonly keep?: number;
}

/**
 * `GET /v1/Voice/{CallSid}/Summary`: the leg's Voice Insights Call Summary from what the sandbox saw and
 * measured (`processing_state` partial while the leg is live, complete once it ended). Twilio's errors:
 * 401 (20003) without the account's credentials, 404 (20404) for a CallSid the account does not have,
 * 400 (20001) for a ProcessingState other than complete, partial or all. Resolves false for other paths.
 */
export function createCallSummaryHandler(options: CallSummaryRouteOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const keep = options.keep ?? DEFAULT_KEPT_SUMMARIES;
  const ended = new Map<string, CallSummaryFacts>();
  options.onLegStatus((event) => {
    if (!FINAL.has(event.status)) return;
    const facts = options.legs(event.callSid);
    if (!facts) return;
    ended.delete(event.callSid);
    ended.set(event.callSid, { ...facts });
    for (const oldest of ended.keys()) {
      if (ended.size <= keep) break;
      ended.delete(oldest);
    }
  });

  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const match = SUMMARY_PATH.exec(path);
    if (!match) return false;
    try {
      const account = authenticateAccount(req, options.config);
      if (req.method !== 'GET') throw new RestError(405, 20004, 'Method not allowed');
      const callSid = decodeURIComponent(match[1]);
      const wanted = new URL(req.url ?? '/', 'https://sandbox').searchParams.get('ProcessingState');
      if (wanted !== null && !['complete', 'partial', 'all'].includes(wanted)) {
        throw new RestError(400, 20001, 'ProcessingState must be one of complete, partial or all');
      }
      const facts = ended.get(callSid) ?? options.legs(callSid);
      if (!facts || facts.accountSid !== account.accountSid) throw notFound(path);
      // A complete summary exists only once the leg has ended.
      if (wanted === 'complete' && facts.endedAt === undefined) throw notFound(path);
      const origin = `https://${req.headers.host ?? 'insights.twilio.com'}`;
      sendJson(res, 200, callSummaryJson(facts, options.mediaStats?.(callSid), { origin, now: options.clock.now() }));
    } catch (error) {
      sendError(res, error instanceof RestError ? error : new RestError(500, 20500, 'Internal Server Error'));
    }
    return true;
  };
}

function notFound(path: string): RestError {
  return new RestError(404, 20404, `The requested resource ${path} was not found`);
}
