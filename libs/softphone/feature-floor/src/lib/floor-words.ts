import {
  AVAILABILITY_STATE_WORDS,
  UNREACHABLE_REASON_WORDS,
  type AvailabilityOption,
  type FloorAgent,
  type FloorCall,
  type MonitorMode,
} from '@switchboard/shared-contracts';
import { QUALITY_WARNING_TEXT, type QualityWarningName } from '@switchboard/shared-voice-model';

/** `m:ss`, or `h:mm:ss` from one hour: the board's clocks (time in state, call duration, wait). */
export function formatElapsed(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const ss = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Whole seconds from an ISO instant to `now` (epoch ms); never negative (clocks differ a little). */
export function secondsSince(iso: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
}

/** `Away · Break`, `Available`: the state in words, with the away reason's label when it has one. */
export function stateText(agent: FloorAgent, awayReasons: readonly AvailabilityOption[]): string {
  const { state, reason } = agent.availability;
  const words = AVAILABILITY_STATE_WORDS[state];
  if (state !== 'away' || !reason) return words;
  return `${words} · ${awayReasons.find((option) => option.id === reason)?.label ?? reason}`;
}

/** `Reachable`, or `Unreachable: Tab frozen by the browser`. */
export function reachabilityText(agent: FloorAgent): string {
  const { reachable, reason } = agent.reachability;
  if (reachable) return 'Reachable';
  return reason ? `Unreachable: ${UNREACHABLE_REASON_WORDS[reason]}` : 'Unreachable';
}

/** `MOS 4.3`, `MOS 2.9 · Choppy audio`, or `No quality report yet`. */
export function qualityText(call: FloorCall): string {
  const quality = call.quality;
  if (!quality) return 'No quality report yet';
  const parts = [quality.mos === null ? 'No MOS yet' : `MOS ${quality.mos.toFixed(1)}`];
  for (const warning of quality.warnings) {
    parts.push(QUALITY_WARNING_TEXT[warning as QualityWarningName]?.title ?? warning);
  }
  return parts.join(' · ');
}

/** Whether the call's quality needs the supervisor's eye (any warning, or MOS below 3.5). */
export function isQualityPoor(call: FloorCall): boolean {
  return !!call.quality && (call.quality.warnings.length > 0 || (call.quality.mos !== null && call.quality.mos < 3.5));
}

export const MONITOR_MODE_LABEL: Readonly<Record<MonitorMode, string>> = {
  listen: 'Listen',
  whisper: 'Whisper',
  barge: 'Barge',
};

/** What each mode does, for the button's description. */
export const MONITOR_MODE_HELP: Readonly<Record<MonitorMode, string>> = {
  listen: 'You hear everyone; nobody hears you.',
  whisper: 'Only the agent hears you; the customer does not.',
  barge: 'Everyone hears you.',
};

/** `12 s`, `1:05`, or an em dash when there is nothing to average. */
export function formatAverage(seconds: number | null): string {
  if (seconds === null) return '—';
  return seconds < 60 ? `${Math.round(seconds)} s` : formatElapsed(seconds);
}
