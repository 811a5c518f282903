import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDGE_PREFERENCES, TWILIO_EDGES, edgePreferenceLabel, isEdgePreference, resolveEdgeOption } from './edge-preference';

describe('edge preference', () => {
  it('names exactly the public edges the installed SDK knows (regions.js Edge, without -ix)', () => {
    const source = readFileSync(join(__dirname, '../../../../../node_modules/@twilio/voice-sdk/es5/twilio/regions.js'), 'utf8');
    const sdkEdges = [...source.matchAll(/Edge\["\w+"\] = "([a-z-]+)"/g)].map((m) => m[1]).filter((e) => !e.endsWith('-ix'));
    expect(sdkEdges.length).toBeGreaterThan(0);
    expect([...TWILIO_EDGES].sort()).toEqual([...new Set(sdkEdges)].sort());
  });

  it('accepts only known preferences (storage may hold anything)', () => {
    expect(isEdgePreference('dublin')).toBe(true);
    expect(isEdgePreference('configured')).toBe(true);
    expect(isEdgePreference('ashburn-ix')).toBe(false);
    expect(isEdgePreference('Dublin')).toBe(false);
    expect(isEdgePreference(42)).toBe(false);
    expect(isEdgePreference(null)).toBe(false);
  });

  it('labels every preference', () => {
    for (const preference of EDGE_PREFERENCES) expect(edgePreferenceLabel(preference).length).toBeGreaterThan(3);
    expect(edgePreferenceLabel('roaming')).toBe('Automatic (roaming)');
  });

  it('resolves to the SDK edge option', () => {
    expect(resolveEdgeOption('tokyo', ['ashburn', 'dublin'])).toBe('tokyo');
    expect(resolveEdgeOption('roaming', ['ashburn'])).toBe('roaming');
    expect(resolveEdgeOption('configured', ['ashburn', 'dublin'])).toEqual(['ashburn', 'dublin']);
    expect(resolveEdgeOption('configured', ['frankfurt'])).toBe('frankfurt');
    expect(resolveEdgeOption('configured', [])).toBe('roaming');
  });
});
