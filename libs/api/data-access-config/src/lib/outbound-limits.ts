import type { AppConfig } from './app-config';

/**
 * The toll-fraud caps as the cap check takes them, plus how long a granted phone call can possibly
 * last: ringing, then at most `<Dial timeLimit>`, plus a minute for the callbacks. Past that a call
 * counts as over even if its end was never reported, so a lost callback cannot lock an agent out.
 */
export function outboundCapLimits(config: Pick<AppConfig, 'calls' | 'outboundLimits'>) {
  const { callTimeLimitSeconds, activeCallsPerAgent, callsPerAgentPerHour, callsPerDay } = config.outboundLimits;
  return {
    activeCallsPerAgent,
    callsPerAgentPerHour,
    callsPerDay,
    activeAtMostSeconds: config.calls.dialTimeoutSeconds + callTimeLimitSeconds + 60,
  };
}
