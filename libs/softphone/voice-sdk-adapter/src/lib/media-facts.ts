import type { CallMediaFacts } from '@switchboard/shared-contracts';
import type { SdkAudioHelper, SdkCall } from './sdk-types';

/** What the selected ICE pair and the audio streams say (RTCPeerConnection.getStats). */
export interface MediaPathFacts {
  readonly codec: string | null;
  readonly localCandidateType: string | null;
  readonly remoteCandidateType: string | null;
  readonly networkType: string | null;
}

export const NO_PATH_FACTS: MediaPathFacts = { codec: null, localCandidateType: null, remoteCandidateType: null, networkType: null };

interface MediaHandlerShape {
  readonly version?: { readonly pc?: RTCPeerConnection | null } | null;
}

/**
 * The call's RTCPeerConnection. The SDK does not expose it: call.js keeps a PeerConnection wrapper in the
 * private `_mediaHandler`, whose `version.pc` is the browser's RTCPeerConnection (rtc/peerconnection.js,
 * rtc/rtcpc.js; the SDK's own PreflightTest reads it the same way). Kept here, in the adapter, and checked
 * against the installed SDK's source by media-facts.spec.ts, so an SDK upgrade that moves it fails a test.
 */
export function peerConnectionOf(call: SdkCall): RTCPeerConnection | null {
  const handler = (call as unknown as { readonly _mediaHandler?: MediaHandlerShape | null })._mediaHandler;
  const pc = handler?.version?.pc;
  return pc && typeof pc.getStats === 'function' ? pc : null;
}

const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** `audio/opus` → `opus`, `PCMU` → `pcmu`. */
export function codecName(value: unknown): string | null {
  const name = str(value);
  if (!name) return null;
  return name.replace(/^audio\//i, '').toLowerCase();
}

/** Reads the selected candidate pair (Chrome: transport.selectedCandidatePairId; Firefox: pair.selected) and the audio codec. */
export function pathFactsFromStats(report: RTCStatsReport | ReadonlyMap<string, Record<string, unknown>>): MediaPathFacts {
  const stats = new Map<string, Record<string, unknown>>();
  report.forEach((value: unknown, key: string) => stats.set(key, value as Record<string, unknown>));
  const all = [...stats.values()];
  const transportPairId = all.map((s) => (s['type'] === 'transport' ? str(s['selectedCandidatePairId']) : null)).find((id) => id !== null) ?? null;
  const pair =
    (transportPairId ? stats.get(transportPairId) : undefined) ??
    all.find((s) => s['type'] === 'candidate-pair' && s['selected'] === true) ??
    all.find((s) => s['type'] === 'candidate-pair' && s['nominated'] === true && s['state'] === 'succeeded');
  const local = pair ? stats.get(String(pair['localCandidateId'])) : undefined;
  const remote = pair ? stats.get(String(pair['remoteCandidateId'])) : undefined;
  const rtp = all.find((s) => (s['type'] === 'inbound-rtp' || s['type'] === 'outbound-rtp') && (s['kind'] ?? s['mediaType']) === 'audio' && str(s['codecId']));
  const codec = rtp ? stats.get(String(rtp['codecId'])) : undefined;
  return {
    codec: codecName(codec?.['mimeType']),
    localCandidateType: str(local?.['candidateType']),
    remoteCandidateType: str(remote?.['candidateType']),
    // Chrome reports it on local candidates; other browsers do not (null = not known).
    networkType: str(local?.['networkType']),
  };
}

export async function readPathFacts(call: SdkCall): Promise<MediaPathFacts> {
  const pc = peerConnectionOf(call);
  if (!pc) return NO_PATH_FACTS;
  try {
    return pathFactsFromStats(await pc.getStats());
  } catch {
    // A closed or failing peer connection: the facts read before stand.
    return NO_PATH_FACTS;
  }
}

/** Labels only: device ids are per-origin fingerprints and never leave the browser. */
export function deviceLabels(audio: SdkAudioHelper | null): { readonly inputDeviceLabel: string | null; readonly outputDeviceLabel: string | null } {
  let output: string | null = null;
  try {
    for (const device of audio?.speakerDevices.get() ?? []) {
      output = str(device.label);
      if (output) break;
    }
  } catch {
    output = null;
  }
  return { inputDeviceLabel: str(audio?.inputDevice?.label), outputDeviceLabel: output };
}

export interface DeviceFacts {
  readonly edge: string | null;
  readonly dscp: boolean;
  readonly sdkVersion: string;
  readonly audio: SdkAudioHelper | null;
}

export function toMediaFacts(path: MediaPathFacts, codecHint: string | null, device: DeviceFacts): CallMediaFacts {
  return {
    codec: path.codec ?? codecName(codecHint),
    localCandidateType: path.localCandidateType,
    remoteCandidateType: path.remoteCandidateType,
    networkType: path.networkType,
    edge: device.edge,
    dscp: device.dscp,
    sdkVersion: device.sdkVersion,
    ...deviceLabels(device.audio),
  };
}
