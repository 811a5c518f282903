import OpusScript from 'opusscript';
import { rms } from '@switchboard/sandbox-util-audio';
import { FRAME_SAMPLES, tone } from './tones';
import { WebRtcEndpoint } from './webrtc-endpoint';

/** Moves `pt` to the front of the audio m-line, as the SDK's sdp.js `setCodecPreferences` does for its first choice. */
function preferPayloadType(sdp: string, pt: number): string {
  return sdp.replace(/^(m=audio \S+ \S+)((?: \d+)+)/m, (_, head: string, list: string) => {
    const rest = list.trim().split(' ').filter((p) => Number(p) !== pt);
    return `${head} ${[pt, ...rest].join(' ')}`;
  });
}

function payloadTypeOrder(sdp: string): number[] {
  return (/^m=audio \S+ \S+((?: \d+)+)/m.exec(sdp)?.[1] ?? '').trim().split(' ').map(Number);
}

/** Two sandbox endpoints over loopback (real ICE, DTLS-SRTP, RTP); `munge` edits the offer before the callee sees it. */
async function connectedPair(munge: (offer: string) => string = (offer) => offer) {
  const caller = new WebRtcEndpoint({ announcedIp: '127.0.0.1', label: 'caller' });
  const callee = new WebRtcEndpoint({ announcedIp: '127.0.0.1', label: 'callee' });
  const offer = await caller.offer();
  const answer = await callee.answer(munge(offer));
  await caller.acceptAnswer(answer);
  // Media up both ways before anyone closes: werift keeps DTLS retransmission timers of a connection closed mid-handshake.
  await Promise.all([firstFrame(caller), firstFrame(callee)]);
  return { caller, callee, offer, answer };
}

function firstFrame(endpoint: WebRtcEndpoint): Promise<void> {
  return new Promise((resolve) => {
    const stop = endpoint.onFrame(() => {
      stop();
      resolve();
    });
  });
}

/** Plays a 1 kHz tone from `from` and collects 400 ms of what `to` hears, once the tone is audible. */
function hearTone(from: WebRtcEndpoint, to: WebRtcEndpoint): Promise<Int16Array> {
  const source = tone([1000], 10_000, 8000).samples;
  let offset = 0;
  from.setSource(() => {
    const frame = source.subarray(offset, offset + FRAME_SAMPLES);
    offset += FRAME_SAMPLES;
    return frame;
  });
  const heard: number[] = [];
  return new Promise((resolve) => {
    const stop = to.onFrame((frame) => {
      if (heard.length === 0 && rms(frame) < 1000) return;
      heard.push(...frame);
      if (heard.length >= 3200) {
        stop();
        from.setSource(undefined);
        resolve(Int16Array.from(heard));
      }
    });
  });
}

function zeroCrossingHz(samples: Int16Array): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1] < 0) !== (samples[i] < 0)) crossings++;
  return (crossings / 2) * (8000 / samples.length);
}

/** The codec a leg settled on (private: the pipeline past the endpoint never needs to know). */
const codecOf = (endpoint: WebRtcEndpoint) => (endpoint as unknown as { codec?: { name: string; ticksPerFrame: number } }).codec;

describe('WebRtcEndpoint codec negotiation (two real werift endpoints over loopback)', () => {
  const open: WebRtcEndpoint[] = [];
  afterEach(() => open.splice(0).forEach((endpoint) => endpoint.close()));

  it('offers PCMU first (the SDK\'s default preference), then Opus 48000/2 with browser fmtp, and telephone-event at both clocks', async () => {
    const { caller, callee, offer } = await connectedPair();
    open.push(caller, callee);
    expect(payloadTypeOrder(offer)).toEqual([0, 111, 101, 110]);
    expect(offer).toMatch(/a=rtpmap:111 opus\/48000\/2\r\n/);
    expect(offer).toMatch(/a=fmtp:111 minptime=10;useinbandfec=1\r\n/);
    expect(offer).toMatch(/a=rtpmap:101 telephone-event\/8000\r\n/);
    expect(offer).toMatch(/a=rtpmap:110 telephone-event\/48000\r\n/);
  });

  it('uses PCMU when the offer lists it first, both ways', async () => {
    const { caller, callee, answer } = await connectedPair();
    open.push(caller, callee);
    expect(payloadTypeOrder(answer)[0]).toBe(0);
    expect([codecOf(caller)?.name, codecOf(callee)?.name, codecOf(caller)?.ticksPerFrame]).toEqual(['PCMU', 'PCMU', 160]);
    const heard = await hearTone(caller, callee);
    expect(zeroCrossingHz(heard)).toBeGreaterThan(990);
    expect(zeroCrossingHz(heard)).toBeLessThan(1010);
  }, 20_000);

  it('uses Opus when the offer lists it first: the answer keeps it first and a 1 kHz tone crosses both ways', async () => {
    const { caller, callee, answer } = await connectedPair((offer) => preferPayloadType(offer, 111));
    open.push(caller, callee);
    expect(payloadTypeOrder(answer)[0]).toBe(111);
    expect([codecOf(caller)?.name, codecOf(callee)?.name]).toEqual(['opus', 'opus']);
    expect(codecOf(caller)?.ticksPerFrame).toBe(960);
    const [calleeHears, callerHears] = [await hearTone(caller, callee), await hearTone(callee, caller)];
    for (const heard of [calleeHears, callerHears]) {
      expect(zeroCrossingHz(heard)).toBeGreaterThan(990);
      expect(zeroCrossingHz(heard)).toBeLessThan(1010);
      // tone() is 8000 peak: about 5657 RMS; Opus keeps it within 15%.
      expect(rms(heard)).toBeGreaterThan(0.85 * 5657);
      expect(rms(heard)).toBeLessThan(1.15 * 5657);
    }
  }, 20_000);

  it('frees each Opus leg\'s encoder and decoder when the leg closes, and nothing for a PCMU leg', async () => {
    const freed = jest.spyOn(OpusScript.prototype, 'delete');
    try {
      const opus = await connectedPair((offer) => preferPayloadType(offer, 111));
      const pcmu = await connectedPair();
      expect(freed).not.toHaveBeenCalled();
      pcmu.caller.close();
      pcmu.callee.close();
      expect(freed).not.toHaveBeenCalled();
      opus.caller.close();
      expect(freed).toHaveBeenCalledTimes(2);
      opus.callee.close();
      opus.callee.close();
      expect(freed).toHaveBeenCalledTimes(4);
    } finally {
      freed.mockRestore();
    }
  }, 20_000);
});
