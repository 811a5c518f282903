import type { ClientConfig } from '@switchboard/shared-contracts';
import type { VoiceDiagnostics } from '@switchboard/softphone-data-access-voice';

/** Plain text for support: one fact per line, nothing secret (no token, no password). */
export function formatDiagnostics(diagnostics: VoiceDiagnostics, config: ClientConfig | null, userAgent: string, now: Date): string {
  const lines = [
    `Switchboard diagnostics, ${now.toISOString()}`,
    `Mode: ${config?.mode ?? 'unknown'}`,
    `Voice SDK: ${diagnostics.sdkVersion ?? 'not loaded yet'}`,
    `Edge: ${diagnostics.edge ?? 'not connected'} (configured: ${config?.edge.join(', ') || 'roaming'})`,
    `Connection: ${diagnostics.connectionPhase}`,
    `Identity: ${diagnostics.identity ?? '-'}`,
    `Last Call SID: ${diagnostics.callSid ?? '-'}`,
    `Browser: ${userAgent}`,
    `Recent quality warnings: ${diagnostics.recentWarnings.length === 0 ? 'none' : diagnostics.recentWarnings.join(', ')}`,
    'Recent errors:',
    ...(diagnostics.recentErrors.length === 0
      ? ['  none']
      : diagnostics.recentErrors.map((e) => `  ${e.at} ${e.code ?? '-'} ${e.name}: ${e.message}`)),
  ];
  return lines.join('\n');
}
