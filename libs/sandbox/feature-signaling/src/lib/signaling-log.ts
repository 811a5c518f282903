/** Structured logger: one JSON object per event. */
export type SandboxLog = (event: string, fields: Record<string, unknown>) => void;

/** A copy of a signaling payload that is safe to log: tokens redacted, SDPs summarized. */
export function redactPayload(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null) return payload;
  if (Array.isArray(payload)) return payload.map(redactPayload);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (key === 'token' && typeof value === 'string') out[key] = `<redacted ${value.length}B>`;
    else if (key === 'reconnect' && typeof value === 'string') out[key] = '<redacted>';
    else if (key === 'sdp' && typeof value === 'string') {
      out[key] = `<sdp ${value.length}B, ${(value.match(/a=candidate/g) ?? []).length} candidates>`;
    } else out[key] = redactPayload(value);
  }
  return out;
}
