import { randomUUID } from 'node:crypto';
import {
  MediaStreamTrack,
  RTCPeerConnection,
  RtpHeader,
  RtpPacket,
  type RTCRtpTransceiver,
} from 'werift';
import type { FrameSource, SdpEndpoint } from '@switchboard/sandbox-data-access-calls';
import type { MediaLegStats } from '@switchboard/sandbox-model';
import { DtmfDetector, isDtmfDigit } from './dtmf';
import { FramePacer } from './frame-pacer';
import { resumeRestartedIce } from './ice-restart';
import { createAudioCodec, negotiatedAudio, offeredAudioCodecs, rtpmapsInPayloadOrder, type AudioCodec } from './audio-codec';
import { FRAME_MS, FRAME_SAMPLES } from './tones';
import type { MediaStatsRegistry } from './media-stats-registry';
import { InboundRtpMeter, RunningStat } from './rtp-stats';

export interface WebRtcEndpointOptions {
  /** The address the browser can reach us at (SANDBOX_ANNOUNCED_IP). */
  readonly announcedIp: string;
  readonly label: string;
  readonly log?: (event: string, fields: Record<string, unknown>) => void;
}

const SILENT_FRAME = new Int16Array(FRAME_SAMPLES);
/** Frames between two readings of werift's smoothed RTT (once a second). */
const RTT_SAMPLE_FRAMES = 50;

/**
 * One WebRTC leg terminated in werift. PCMU and Opus (plus telephone-event for RFC 4733 DTMF) are
 * offered and accepted; the codec the SDP settles on (audio-codec.ts) turns RTP payloads into the
 * sandbox's 8 kHz frames and back, so nothing past this class knows which one a leg uses. Our SDP
 * is sendrecv with a stream id (a=msid): without it the SDK gets no `streams[0]` in `ontrack` and
 * renders nothing.
 */
export class WebRtcEndpoint implements SdpEndpoint {
  private readonly pc: RTCPeerConnection;
  private readonly frameListeners = new Set<(frame: Int16Array) => void>();
  private readonly digitListeners = new Set<(digit: string) => void>();
  private readonly closedListeners = new Set<(reason: 'closed' | 'failed') => void>();
  private readonly pacer = new FramePacer(() => this.sendFrame());
  private readonly dtmf = new DtmfDetector((digit) => this.digitListeners.forEach((l) => l(digit)));
  private readonly streamId = `sandbox-${randomUUID()}`;
  private source: FrameSource | undefined;
  private transceiver: RTCRtpTransceiver | undefined;
  private telephoneEventPayloadTypes: readonly number[] = [];
  private codec: AudioCodec | undefined;
  private sequenceNumber = Math.floor(Math.random() * 0xffff);
  private timestamp = Math.floor(Math.random() * 0xffffffff);
  private lastReceivedSequence: number | undefined;
  private stalledUntil = 0;
  private lossPercent = 0;
  private lossUntil = 0;
  private closedReason: 'closed' | 'failed' | undefined;
  /** What the sandbox measured on its side of the leg (the Call Summary's edge metrics). */
  private readonly inboundMeter = new InboundRtpMeter();
  private packetsSent = 0;
  private packetsDropped = 0;
  private readonly rtt = new RunningStat();

  constructor(private readonly options: WebRtcEndpointOptions) {
    const loopback = options.announcedIp.startsWith('127.');
    this.pc = new RTCPeerConnection({
      codecs: { audio: offeredAudioCodecs() },
      headerExtensions: { audio: [] },
      iceUseIpv6: false,
      iceAdditionalHostAddresses: [options.announcedIp],
      // Only pair with our announced address, so a loopback-only sandbox never sends to another address.
      iceFilterCandidatePair: (pair) => !loopback || pair.localCandidate.host === options.announcedIp,
      // A stall is an outage as the browser's ICE sees it: its connectivity checks go unanswered too, so it
      // notices (iceConnectionState `disconnected`) and the SDK's media reconnection runs, as on a real network.
      iceFilterStunResponse: () => Date.now() >= this.stalledUntil,
    });
    // Subscribed here, not in attach(): for an answer, werift fires onTrack inside setRemoteDescription.
    this.pc.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => this.receive(rtp));
    });
    this.pc.connectionStateChange.subscribe((state) => {
      this.options.log?.('media.state', { leg: this.options.label, state });
      if (state === 'failed') this.finish('failed');
    });
  }

  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: rtpmapsInPayloadOrder(offerSdp) });
    this.useCodec(offerSdp);
    const transceiver = this.pc.getTransceivers().find((t) => t.kind === 'audio');
    if (!transceiver) throw new Error('The offer has no audio section');
    this.attach(transceiver);
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    this.resumeRestartedIce();
    return this.gatheredSdp();
  }

  async offer(): Promise<string> {
    this.attach(this.pc.addTransceiver('audio', { direction: 'sendrecv' }));
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return this.gatheredSdp();
  }

  async acceptAnswer(answerSdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: rtpmapsInPayloadOrder(answerSdp) });
    this.useCodec(answerSdp);
    this.resumeRestartedIce();
  }

  /** A re-offer or re-answer with new ICE credentials (the SDK's ICE restart): see ice-restart.ts. */
  private resumeRestartedIce(): void {
    const startedAt = Date.now();
    void resumeRestartedIce(this.pc).then((outcome) => {
      if (outcome) this.options.log?.('media.ice-restart', { leg: this.options.label, outcome, ms: Date.now() - startedAt });
    });
  }

  receiveSignaledDigits(digits: string): void {
    if (this.closedReason || this.dropping()) return;
    for (const digit of digits.toUpperCase()) {
      if (isDtmfDigit(digit)) this.digitListeners.forEach((l) => l(digit));
    }
  }

  onFrame(listener: (frame: Int16Array) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  onDigit(listener: (digit: string) => void): () => void {
    this.digitListeners.add(listener);
    return () => this.digitListeners.delete(listener);
  }

  onClosed(listener: (reason: 'closed' | 'failed') => void): () => void {
    if (this.closedReason) {
      listener(this.closedReason);
      return () => undefined;
    }
    this.closedListeners.add(listener);
    return () => this.closedListeners.delete(listener);
  }

  setSource(source: FrameSource | undefined): void {
    this.source = source;
  }

  /** Packets and jitter both ways, RTT from the party's receiver reports; still readable after close. */
  stats(): MediaLegStats {
    const ms = (value: number | null): number | null => (value === null ? null : Math.round(value * 100) / 100);
    return {
      // Twilio's summaries name codecs in lower case (pcmu, opus).
      ...(this.codec && { codecName: this.codec.name.toLowerCase(), payloadType: this.codec.payloadType }),
      inbound: this.inboundMeter.snapshot(),
      outbound: { packetsSent: this.packetsSent, packetsLost: this.packetsDropped },
      rttAvgMs: ms(this.rtt.avg),
      rttMaxMs: ms(this.rtt.max),
    };
  }

  stall(ms: number): void {
    this.stalledUntil = Date.now() + ms;
  }

  lose(percent: number, ms: number): void {
    this.lossPercent = percent;
    this.lossUntil = Date.now() + ms;
  }

  close(): void {
    this.finish('closed');
  }

  private finish(reason: 'closed' | 'failed'): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    this.pacer.stop();
    this.codec?.close();
    this.frameListeners.clear();
    this.digitListeners.clear();
    void this.pc.close().catch(() => undefined);
    for (const listener of this.closedListeners) listener(reason);
    this.closedListeners.clear();
  }

  private attach(transceiver: RTCRtpTransceiver): void {
    if (this.transceiver) return;
    this.transceiver = transceiver;
    transceiver.setDirection('sendrecv');
    transceiver.sender.streamId = this.streamId;
    void transceiver.sender.replaceTrack(new MediaStreamTrack({ kind: 'audio' }));
    transceiver.sender.onReady.subscribe(() => this.pacer.start());
  }

  private receive(rtp: RtpPacket): void {
    if (this.dropping()) return;
    const { payloadType, sequenceNumber, timestamp } = rtp.header;
    if (this.telephoneEventPayloadTypes.includes(payloadType)) {
      this.dtmf.receive(timestamp, rtp.payload);
      return;
    }
    if (!this.codec || payloadType !== this.codec.payloadType || rtp.payload.length === 0) return;
    // Counted before the late-packet check below: a late packet did arrive, it is only not played.
    this.inboundMeter.packet(sequenceNumber, timestamp, performance.now(), this.codec.ticksPerFrame * (1000 / FRAME_MS));
    // Drop duplicates and packets older than the newest one: late audio is worse than a gap.
    if (this.lastReceivedSequence !== undefined) {
      const delta = (sequenceNumber - this.lastReceivedSequence + 0x10000) & 0xffff;
      if (delta === 0 || delta > 0x8000) return;
    }
    this.lastReceivedSequence = sequenceNumber;
    let samples: Int16Array;
    try {
      samples = this.codec.decode(rtp.payload);
    } catch {
      return; // A corrupt packet is a lost packet.
    }
    this.inboundMeter.level(samples);
    for (let offset = 0; offset < samples.length; offset += FRAME_SAMPLES) {
      const frame = samples.subarray(offset, offset + FRAME_SAMPLES);
      for (const listener of this.frameListeners) listener(frame);
    }
  }

  private sendFrame(): void {
    const frame = this.source?.() ?? SILENT_FRAME;
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    // The RTP clock is the codec's: 160 ticks per 20 ms for PCMU (8000), 960 for Opus (48000).
    this.timestamp = (this.timestamp + (this.codec?.ticksPerFrame ?? FRAME_SAMPLES)) >>> 0;
    if (!this.transceiver || !this.codec) return;
    if (this.dropping()) {
      this.packetsDropped += 1; // the party sees a sequence gap: a lost packet
      return;
    }
    this.packetsSent += 1;
    if (this.packetsSent % RTT_SAMPLE_FRAMES === 0) this.sampleRtt();
    const header = new RtpHeader({
      payloadType: this.codec.payloadType,
      sequenceNumber: this.sequenceNumber,
      timestamp: this.timestamp,
      marker: false,
    });
    void this.transceiver.sender.sendRtp(new RtpPacket(header, this.codec.encode(frame))).catch(() => undefined);
  }

  private sampleRtt(): void {
    // werift keeps the RTT it derives from the party's RTCP receiver reports (LSR/DLSR) in a field its
    // typings mark private; reading it is the only way short of a full getStats() every second.
    const seconds = (this.transceiver?.sender as unknown as { rtt?: number } | undefined)?.rtt;
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) this.rtt.add(seconds * 1000);
  }

  private dropping(): boolean {
    const now = Date.now();
    if (now < this.stalledUntil) return true;
    return now < this.lossUntil && Math.random() * 100 < this.lossPercent;
  }

  /**
   * Takes the codec the offer we answered or the answer we got settles on (werift answers in the offer's order and
   * sends with the first codec of the answer, the same one). A renegotiation on the same codec keeps its state.
   */
  private useCodec(sdp: string): void {
    const negotiated = negotiatedAudio(sdp);
    if (!negotiated || this.closedReason) return;
    // DTMF comes at the clock of the audio codec in use (telephone-event/48000 with Opus): any of them counts.
    this.telephoneEventPayloadTypes = negotiated.telephoneEventPayloadTypes;
    if (this.codec?.name === negotiated.codec && this.codec.payloadType === negotiated.payloadType) return;
    this.codec?.close();
    this.codec = createAudioCodec(negotiated);
    this.options.log?.('media.codec', { leg: this.options.label, codec: negotiated.codec, payloadType: negotiated.payloadType });
  }

  private async gatheredSdp(): Promise<string> {
    if (this.pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => {
        const { unSubscribe } = this.pc.iceGatheringStateChange.subscribe((state) => {
          if (state === 'complete') {
            unSubscribe();
            resolve();
          }
        });
      });
    }
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error('werift produced no local description');
    return this.options.announcedIp.startsWith('127.') ? onlyCandidatesAt(sdp, this.options.announcedIp) : sdp;
  }
}

/**
 * Drops every ICE candidate not on `address`. werift also gathers the machine's other interfaces; a
 * loopback-only sandbox must not invite the browser to send connectivity checks anywhere but loopback.
 */
export function onlyCandidatesAt(sdp: string, address: string): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || line.split(' ')[4] === address)
    .join('\r\n');
}

export class WebRtcMediaEngine {
  constructor(
    private readonly announcedIp: string,
    private readonly log?: WebRtcEndpointOptions['log'],
    /** Where each leg's media figures are kept for the Call Summary; endpoint labels start with the CallSid. */
    private readonly statsRegistry?: MediaStatsRegistry,
  ) {}

  createEndpoint(label: string): WebRtcEndpoint {
    const endpoint = new WebRtcEndpoint({ announcedIp: this.announcedIp, label, log: this.log });
    if (this.statsRegistry) {
      const closed = this.statsRegistry.track(label.split('/')[0], () => endpoint.stats());
      endpoint.onClosed(closed);
    }
    return endpoint;
  }
}
