/**
 * The agent's choice of Twilio edge (Settings). `configured` keeps the operator's ordered fallback
 * list from GET /api/client-config; `roaming` lets Twilio pick the nearest edge; any other value
 * pins one edge. The names are the public edges of the Voice SDK 2.18.5 (`regions.js` `Edge`);
 * the `-ix` interconnect edges are left out because they need a private Twilio Interconnect.
 */
export const TWILIO_EDGES = ['roaming', 'ashburn', 'dublin', 'frankfurt', 'sao-paulo', 'singapore', 'sydney', 'tokyo', 'umatilla'] as const;
export type TwilioEdge = (typeof TWILIO_EDGES)[number];

export type EdgePreference = 'configured' | TwilioEdge;
export const EDGE_PREFERENCES: readonly EdgePreference[] = ['configured', ...TWILIO_EDGES];
export const DEFAULT_EDGE_PREFERENCE: EdgePreference = 'configured';

const EDGE_LABELS: Readonly<Record<EdgePreference, string>> = {
  configured: 'Server default (configured order)',
  roaming: 'Automatic (roaming)',
  ashburn: 'Ashburn, US East',
  dublin: 'Dublin, Ireland',
  frankfurt: 'Frankfurt, Germany',
  'sao-paulo': 'São Paulo, Brazil',
  singapore: 'Singapore',
  sydney: 'Sydney, Australia',
  tokyo: 'Tokyo, Japan',
  umatilla: 'Umatilla, US West',
};

export function isEdgePreference(value: unknown): value is EdgePreference {
  return typeof value === 'string' && (EDGE_PREFERENCES as readonly string[]).includes(value);
}

export function edgePreferenceLabel(preference: EdgePreference): string {
  return EDGE_LABELS[preference];
}

/**
 * The SDK `edge` option for a preference: the pinned edge, or the configured list (a single
 * entry as a string, as the SDK prefers), or `roaming` when nothing is configured.
 */
export function resolveEdgeOption(preference: EdgePreference, configured: readonly string[]): string | readonly string[] {
  if (preference !== 'configured') return preference;
  if (configured.length === 0) return 'roaming';
  return configured.length === 1 ? configured[0] : [...configured];
}
