import OpusScript from 'opusscript';
import { RTCRtpCodecParameters } from 'werift';
import { FirDecimator, FirInterpolator } from '@switchboard/sandbox-util-audio';
import { decodeMulaw, encodeMulaw } from './mulaw';
import { FRAME_SAMPLES } from './tones';

/**
 * The codec of one media leg, seen from the sandbox's 8 kHz pipeline: `encode` takes one 20 ms frame of 8 kHz PCM
 * and gives an RTP payload; `decode` gives 8 kHz PCM back. Bridging, mixing, recording, DTMF and tones never see
 * anything else, whatever the leg negotiated.
 */
export interface AudioCodec {
  readonly name: AudioCodecName;
  readonly payloadType: number;
  /** The RTP clock: 8000 for PCMU, 48000 for Opus (RFC 7587). */
  readonly clockRate: number;
  /** RTP timestamp ticks per 20 ms frame: 160 for PCMU, 960 for Opus. */
  readonly ticksPerFrame: number;
  encode(frame: Int16Array): Buffer;
  /** Throws on a payload the codec cannot read (the caller drops that packet). */
  decode(payload: Uint8Array): Int16Array;
  /** Frees what the codec holds (Opus: its encoder's and decoder's WebAssembly memory). Idempotent. */
  close(): void;
}

export type AudioCodecName = 'PCMU' | 'opus';

const PCMU_PAYLOAD_TYPE = 0;
/** Our payload types for what has none fixed; in answers we use the offerer's. 111 is what Chrome uses for Opus. */
const OPUS_PAYLOAD_TYPE = 111;
const TELEPHONE_EVENT_8K_PAYLOAD_TYPE = 101;
const TELEPHONE_EVENT_48K_PAYLOAD_TYPE = 110;
/** What browsers put on their Opus line: 10 ms packets allowed, in-band FEC welcome. */
export const OPUS_FMTP = 'minptime=10;useinbandfec=1';

/**
 * What a sandbox leg offers, in this order. PCMU comes first because it is the SDK's own default preference
 * (`codecPreferences` defaults to ['pcmu', 'opus']); the SDK reorders our offer by its preferences anyway
 * (sdp.js `setCodecPreferences`) and Chrome answers in the order of its transceiver's codec preferences, so a
 * device that prefers Opus answers with Opus first. telephone-event is offered at both clocks: a browser sends
 * RFC 4733 events at the clock of the audio codec in use (48000 with Opus).
 * Fresh objects each time: werift keeps and mutates them per peer connection.
 */
export function offeredAudioCodecs(): RTCRtpCodecParameters[] {
  return [
    new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: PCMU_PAYLOAD_TYPE }),
    new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: OPUS_PAYLOAD_TYPE, parameters: OPUS_FMTP }),
    new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, channels: 1, payloadType: TELEPHONE_EVENT_8K_PAYLOAD_TYPE }),
    new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 48000, channels: 1, payloadType: TELEPHONE_EVENT_48K_PAYLOAD_TYPE }),
  ];
}

export interface NegotiatedAudio {
  readonly codec: AudioCodecName;
  readonly payloadType: number;
  /** Every telephone-event payload type in the description, whatever its clock: DTMF is read from any of them. */
  readonly telephoneEventPayloadTypes: readonly number[];
}

/**
 * The codec a description settles on: the first payload type on its audio m-line that we support (PCMU/8000 or
 * opus/48000/2). For an offer this is the offerer's preference (what an answer from us keeps first); for an answer
 * it is the answerer's choice. Undefined when there is no audio section or nothing we support.
 */
export function negotiatedAudio(sdp: string): NegotiatedAudio | undefined {
  const section = /^m=audio [^\r\n]*(?:\r?\n(?!m=)[^\r\n]*)*/m.exec(sdp)?.[0];
  if (!section) return undefined;
  const payloadTypes = section.split(/\r?\n/)[0].split(' ').slice(3).map(Number);
  const rtpmaps = new Map<number, string>();
  for (const [, pt, encoding] of section.matchAll(/^a=rtpmap:(\d+) ([^\r\n]+)/gm)) rtpmaps.set(Number(pt), encoding.trim().toLowerCase());
  // Static payload type 0 is PCMU even without an rtpmap line (RFC 3551).
  const encodingOf = (pt: number) => rtpmaps.get(pt) ?? (pt === PCMU_PAYLOAD_TYPE ? 'pcmu/8000' : '');
  const telephoneEventPayloadTypes = payloadTypes.filter((pt) => encodingOf(pt).startsWith('telephone-event/'));
  for (const pt of payloadTypes) {
    const encoding = encodingOf(pt);
    if (encoding === 'pcmu/8000' || encoding === 'pcmu/8000/1') return { codec: 'PCMU', payloadType: pt, telephoneEventPayloadTypes };
    if (encoding === 'opus/48000/2') return { codec: 'opus', payloadType: pt, telephoneEventPayloadTypes };
  }
  return undefined;
}

/**
 * The description with each audio section's `a=rtpmap` lines in the order of its m-line. werift takes a remote
 * description's codec order from its rtpmap lines, not from the m-line that states the preference (RFC 3264 §5.1),
 * and answers and sends in that order; an offer reordered on the m-line only (as the SDK's sdp.js
 * `setCodecPreferences` reorders) would otherwise get its old first codec.
 */
export function rtpmapsInPayloadOrder(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  for (let start = 0; start < lines.length; start++) {
    if (!lines[start].startsWith('m=audio ')) continue;
    let end = start + 1;
    while (end < lines.length && !lines[end].startsWith('m=')) end++;
    const order = lines[start].split(' ').slice(3).map(Number);
    const at = (line: string) => order.indexOf(Number(/^a=rtpmap:(\d+)/.exec(line)?.[1]));
    const indexes = lines.slice(start, end).flatMap((line, i) => (line.startsWith('a=rtpmap:') ? [start + i] : []));
    const sorted = indexes.map((i) => lines[i]).sort((a, b) => at(a) - at(b));
    indexes.forEach((lineIndex, i) => (lines[lineIndex] = sorted[i]));
    start = end - 1;
  }
  return lines.join(eol);
}

export function createAudioCodec(negotiated: Pick<NegotiatedAudio, 'codec' | 'payloadType'>): AudioCodec {
  return negotiated.codec === 'opus' ? new OpusCodec(negotiated.payloadType) : new PcmuCodec(negotiated.payloadType);
}

/** G.711 µ-law: one byte per 8 kHz sample, so nothing to resample and nothing to free. */
export class PcmuCodec implements AudioCodec {
  readonly name = 'PCMU';
  readonly clockRate = 8000;
  readonly ticksPerFrame = FRAME_SAMPLES;

  constructor(readonly payloadType = PCMU_PAYLOAD_TYPE) {}

  encode(frame: Int16Array): Buffer {
    return encodeMulaw(frame);
  }

  decode(payload: Uint8Array): Int16Array {
    return decodeMulaw(payload);
  }

  close(): void {
    // Nothing held.
  }
}

const OPUS_RATE = 48000;
const OPUS_FACTOR = OPUS_RATE / 8000;
const OPUS_FRAME_SAMPLES = FRAME_SAMPLES * OPUS_FACTOR;

/**
 * Opus through libopus compiled to WebAssembly (opusscript): mono at 48 kHz in VOIP mode. The browser's stream is
 * stereo-capable (opus/48000/2 is the only rtpmap RFC 7587 allows) but a mono decoder downmixes any stereo packet,
 * and we send mono, as the SDP's default `stereo=0` asks. Each direction resamples through its own FIR so the
 * filter history follows the stream.
 */
export class OpusCodec implements AudioCodec {
  readonly name = 'opus';
  readonly clockRate = OPUS_RATE;
  readonly ticksPerFrame = OPUS_FRAME_SAMPLES;
  private readonly encoder = new OpusScript(OPUS_RATE, 1, OpusScript.Application.VOIP);
  private readonly decoder = new OpusScript(OPUS_RATE, 1, OpusScript.Application.VOIP);
  private readonly upsampler = new FirInterpolator(OPUS_FACTOR, OPUS_RATE);
  private readonly downsampler = new FirDecimator(OPUS_FACTOR, OPUS_RATE);
  private closed = false;

  constructor(readonly payloadType = OPUS_PAYLOAD_TYPE) {}

  encode(frame: Int16Array): Buffer {
    if (this.closed) throw new Error('Opus codec used after close');
    const wide = this.upsampler.process(frame);
    return this.encoder.encode(Buffer.from(wide.buffer, wide.byteOffset, wide.byteLength), wide.length);
  }

  decode(payload: Uint8Array): Int16Array {
    if (this.closed) throw new Error('Opus codec used after close');
    const bytes = this.decoder.decode(Buffer.from(payload));
    // Copied out: opusscript's Buffer may not be 2-byte aligned.
    const wide = new Int16Array(bytes.length / 2);
    for (let i = 0; i < wide.length; i++) wide[i] = bytes.readInt16LE(i * 2);
    return this.downsampler.process(wide);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.encoder.delete();
    this.decoder.delete();
  }
}
