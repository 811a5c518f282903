import type { Page } from 'playwright-core';
import { rms } from '@switchboard/sandbox-twiml-engine';
import { until } from './browser-harness';

/*
 * What the browser specs read from Chromium's getStats on the SDK's newest peer connection (the page wraps
 * RTCPeerConnection, see page-server.ts) to tell that audio flows, and the levels of a recording's frames.
 */

/** Inbound audio bytes and level as the page driver's `t.inboundAudio()` reads them; null before there is any. */
export interface InboundAudio {
  readonly bytesReceived: number;
  readonly audioLevel: number;
}

/** The page's inbound audio level (0..1), 0 while it has no inbound audio. */
export async function inboundAudioLevel(page: Page): Promise<number> {
  const stats = (await page.evaluate('t.inboundAudio()')) as { audioLevel: number } | null;
  return stats?.audioLevel ?? 0;
}

/** Waits until the page has received audio bytes at a non-zero level, and returns those stats. */
export async function inboundAudioFlowing(page: Page): Promise<InboundAudio> {
  let last: unknown;
  return until(`inbound audio (last stats ${JSON.stringify(last)})`, async () => {
    const stats = (await page.evaluate('t.inboundAudio()')) as InboundAudio | null;
    last = stats;
    return stats && stats.bytesReceived > 0 && stats.audioLevel > 0 ? stats : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; last stats ${JSON.stringify(last)}`);
  });
}

/** Inbound audio of the page's newest peer connection: total energy only grows while real (non-silent) audio plays. */
const INBOUND_ENERGY = `(async () => {
  const pc = window.peerConnections[window.peerConnections.length - 1];
  let energy = -1;
  if (pc) (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'audio') energy = s.totalAudioEnergy || 0; });
  return energy;
})()`;

/** Waits until the page hears real audio: its inbound energy grows past where it stood when called. */
export async function hearsAudioEnergy(page: Page): Promise<void> {
  const start = (await page.evaluate(INBOUND_ENERGY)) as number;
  let last = start;
  await until(`audio on the page (energy stayed at ${start})`, async () => {
    last = (await page.evaluate(INBOUND_ENERGY)) as number;
    return last > Math.max(start, 0) + 0.001;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; last energy ${last}`);
  });
}

/** inbound-rtp audio byte and packet totals. */
export interface InboundTotals {
  readonly bytesReceived: number;
  readonly packetsReceived: number;
}

/** inbound-rtp audio totals of the page's newest peer connection (the SDK's call). */
export const inboundTotals = (page: Page): Promise<InboundTotals> =>
  page.evaluate(async () => {
    const pcs = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
    const totals = { bytesReceived: 0, packetsReceived: 0 };
    (await pcs[pcs.length - 1].getStats()).forEach((s: { type: string; kind?: string; bytesReceived?: number; packetsReceived?: number }) => {
      if (s.type !== 'inbound-rtp' || s.kind !== 'audio') return;
      totals.bytesReceived = s.bytesReceived ?? 0;
      totals.packetsReceived = s.packetsReceived ?? 0;
    });
    return totals;
  });

/** Resolves with the totals once inbound audio has grown by some packets past `from` (a few 20 ms PCMU packets). */
export function audioGrowsPast(page: Page, from: InboundTotals, what: string): Promise<InboundTotals> {
  let last = from;
  return until(what, async () => {
    last = await inboundTotals(page);
    return last.packetsReceived >= from.packetsReceived + 10 && last.bytesReceived > from.bytesReceived ? last : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; inbound stats went from ${JSON.stringify(from)} to ${JSON.stringify(last)}`);
  });
}

/** What Chromium's getStats says about the SDK's current call: the codec each way, bytes, the level it hears. */
export interface AudioStats {
  outbound?: { codec?: string; clockRate?: number; bytesSent: number };
  inbound?: { codec?: string; clockRate?: number; bytesReceived: number; audioLevel: number };
}
const READ_AUDIO_STATS = `(async () => {
  const pc = window.peerConnections.at(-1);
  if (!pc) return {};
  const stats = await pc.getStats();
  const byId = new Map();
  stats.forEach((s) => byId.set(s.id, s));
  const result = {};
  stats.forEach((s) => {
    if (s.kind !== 'audio') return;
    const codec = byId.get(s.codecId) || {};
    if (s.type === 'outbound-rtp') result.outbound = { codec: codec.mimeType, clockRate: codec.clockRate, bytesSent: s.bytesSent || 0 };
    if (s.type === 'inbound-rtp') result.inbound = { codec: codec.mimeType, clockRate: codec.clockRate, bytesReceived: s.bytesReceived || 0, audioLevel: s.audioLevel || 0 };
  });
  return result;
})()`;

/** Waits until the page sends and receives audio, with a non-zero level on what it hears, and returns those stats. */
export async function audioBothWays(page: Page): Promise<Required<AudioStats>> {
  let last: AudioStats = {};
  return until('audio both ways', async () => {
    last = (await page.evaluate(READ_AUDIO_STATS)) as AudioStats;
    const { outbound, inbound } = last;
    return outbound?.codec && inbound?.codec && outbound.bytesSent > 0 && inbound.bytesReceived > 0 && inbound.audioLevel > 0
      ? { outbound, inbound }
      : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; last stats ${JSON.stringify(last)}`);
  });
}

/** The ice-ufrag of the sandbox's side as the page's newest peer connection last applied it. */
export const remoteIceUfrag = (page: Page): Promise<string | undefined> =>
  page.evaluate(() => {
    const pcs = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
    return /a=ice-ufrag:(\S+)/.exec(pcs[pcs.length - 1].remoteDescription?.sdp ?? '')?.[1];
  });

/** RMS level of each 20 ms frame (160 samples at 8 kHz) of a decoded recording. */
export function frameLevels(samples: Int16Array): number[] {
  const frames: number[] = [];
  for (let i = 0; i + 160 <= samples.length; i += 160) frames.push(rms(samples.subarray(i, i + 160)));
  return frames;
}
