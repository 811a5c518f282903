/**
 * The voice sandbox's REST subset (Calls, Recordings, call messages, and Conferences/Participants when given
 * `conferences`, a ConferenceControl) and admin route (POST /sandbox/inbound),
 * as framework-free handlers for the core's node https server. Each resolves `false` for paths it
 * does not serve:
 *
 *   const rest = createSandboxRestHandler({ config, core, engine, statusCallbacks });
 *   const inbound = createInboundRouteHandler({ engine, numbers });
 *   server.on('request', async (req, res) => { if (await rest(req, res) || await inbound(req, res)) return; ... });
 */
export { createSandboxRestHandler, type SandboxRestOptions } from './lib/rest-handler';
export { createInboundRouteHandler, SANDBOX_INBOUND_PATH, type InboundRouteOptions } from './lib/inbound-route';
export { type SandboxRestConfig, type RestAccount, authenticate, authenticateAccount } from './lib/rest-config';
export { RestError } from './lib/rest-errors';
export { createCallSummaryHandler, DEFAULT_KEPT_SUMMARIES, type CallSummaryRouteOptions } from './lib/call-summary-route';
export {
  callSummaryJson,
  deriveCallTags,
  meanOpinionScore,
  CALL_TAG_RULES,
  type CallSummaryFacts,
  type CallSummaryTag,
} from './lib/call-summary';
