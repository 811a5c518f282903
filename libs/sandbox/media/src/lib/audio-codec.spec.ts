import OpusScript from 'opusscript';
import { rms } from '@switchboard/sandbox-util-audio';
import { createAudioCodec, negotiatedAudio, OpusCodec, PcmuCodec, rtpmapsInPayloadOrder, type AudioCodec } from './audio-codec';
import { FRAME_SAMPLES, tone } from './tones';

/** Chrome's audio m-line as the SDK sends it after `setCodecPreferences`: `order` is the payload type order. */
function chromeOffer(order: readonly number[]): string {
  return [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    `m=audio 9 UDP/TLS/RTP/SAVPF ${order.join(' ')}`,
    'c=IN IP4 0.0.0.0',
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=rtpmap:63 red/48000/2',
    'a=rtpmap:9 G722/8000',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:13 CN/8000',
    'a=rtpmap:110 telephone-event/48000',
    'a=rtpmap:126 telephone-event/8000',
    '',
  ].join('\r\n');
}

/** Frequency from zero crossings (rising and falling) over `samples` at 8 kHz. */
function zeroCrossingHz(samples: Int16Array): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1] < 0) !== (samples[i] < 0)) crossings++;
  return (crossings / 2) * (8000 / samples.length);
}

/** Sends `input` through encode → decode in 20 ms frames, as the two ends of a leg would. */
function throughCodec(sender: AudioCodec, receiver: AudioCodec, input: Int16Array): Int16Array {
  const out = new Int16Array(input.length);
  for (let offset = 0; offset < input.length; offset += FRAME_SAMPLES) {
    const decoded = receiver.decode(sender.encode(input.subarray(offset, offset + FRAME_SAMPLES)));
    expect(decoded.length).toBe(FRAME_SAMPLES);
    out.set(decoded, offset);
  }
  return out;
}

describe('negotiatedAudio (which codec a description settles on)', () => {
  it('picks Opus, with the offerer\'s payload type, when Opus comes first (codecPreferences [opus, pcmu])', () => {
    expect(negotiatedAudio(chromeOffer([111, 0, 63, 9, 8, 13, 110, 126]))).toEqual({ codec: 'opus', payloadType: 111, telephoneEventPayloadTypes: [110, 126] });
  });

  it('picks PCMU when PCMU comes first (the SDK default [pcmu, opus])', () => {
    expect(negotiatedAudio(chromeOffer([0, 111, 63, 9, 8, 13, 110, 126]))?.codec).toBe('PCMU');
  });

  it('skips what we cannot decode to find the first codec we support', () => {
    expect(negotiatedAudio(chromeOffer([9, 8, 111, 0, 126]))).toEqual({ codec: 'opus', payloadType: 111, telephoneEventPayloadTypes: [126] });
    expect(negotiatedAudio(chromeOffer([63, 9, 0, 13]))?.codec).toBe('PCMU');
  });

  it('takes payload type 0 as PCMU without an rtpmap, and a dynamic Opus number as offered', () => {
    expect(negotiatedAudio('v=0\r\nm=audio 9 RTP/AVP 0\r\n')).toEqual({ codec: 'PCMU', payloadType: 0, telephoneEventPayloadTypes: [] });
    expect(negotiatedAudio('v=0\r\nm=audio 9 RTP/AVP 96\r\na=rtpmap:96 opus/48000/2\r\n')?.payloadType).toBe(96);
  });

  it('finds nothing without an audio section or a codec we support', () => {
    expect(negotiatedAudio('v=0\r\nm=video 9 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n')).toBeUndefined();
    expect(negotiatedAudio(chromeOffer([9, 8, 13]))).toBeUndefined();
  });

  it('reads only the audio section\'s rtpmaps', () => {
    const sdp = 'v=0\r\nm=audio 9 RTP/AVP 96 0\r\na=rtpmap:0 PCMU/8000\r\nm=video 9 RTP/AVP 96\r\na=rtpmap:96 opus/48000/2\r\n';
    expect(negotiatedAudio(sdp)?.codec).toBe('PCMU');
  });
});

describe('rtpmapsInPayloadOrder (what werift is given, since it reads preference from rtpmap order)', () => {
  it('puts the audio rtpmap lines in m-line order and leaves every other line where it was', () => {
    const offer = chromeOffer([0, 111, 63, 9, 8, 13, 110, 126]);
    const reordered = rtpmapsInPayloadOrder(offer);
    const rtpmaps = reordered.split('\r\n').filter((line) => line.startsWith('a=rtpmap:'));
    expect(rtpmaps.map((line) => Number(/\d+/.exec(line)?.[0]))).toEqual([0, 111, 63, 9, 8, 13, 110, 126]);
    expect(reordered.split('\r\n').filter((line) => !line.startsWith('a=rtpmap:'))).toEqual(offer.split('\r\n').filter((line) => !line.startsWith('a=rtpmap:')));
    expect(rtpmapsInPayloadOrder(reordered)).toBe(reordered);
  });

  it('leaves other sections alone', () => {
    const sdp = 'v=0\r\nm=audio 9 RTP/AVP 0 111\r\na=rtpmap:111 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\nm=video 9 RTP/AVP 97 96\r\na=rtpmap:96 VP8/90000\r\na=rtpmap:97 H264/90000\r\n';
    expect(rtpmapsInPayloadOrder(sdp)).toBe(
      'v=0\r\nm=audio 9 RTP/AVP 0 111\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:111 opus/48000/2\r\nm=video 9 RTP/AVP 97 96\r\na=rtpmap:96 VP8/90000\r\na=rtpmap:97 H264/90000\r\n',
    );
  });
});

describe('PcmuCodec', () => {
  it('ticks 160 per 20 ms frame at 8000 and round-trips a tone within µ-law\'s error', () => {
    const codec = createAudioCodec({ codec: 'PCMU', payloadType: 0 });
    expect(codec).toBeInstanceOf(PcmuCodec);
    expect([codec.clockRate, codec.ticksPerFrame, codec.encode(new Int16Array(FRAME_SAMPLES)).length]).toEqual([8000, 160, 160]);
    const input = tone([1000], 200, 8000).samples;
    const out = throughCodec(codec, codec, input);
    expect(Math.abs(rms(out) - rms(input)) / rms(input)).toBeLessThan(0.02);
  });
});

describe('OpusCodec (libopus in WebAssembly, 8 kHz frames in and out)', () => {
  const codecs: AudioCodec[] = [];
  const opus = () => {
    const codec = createAudioCodec({ codec: 'opus', payloadType: 111 });
    codecs.push(codec);
    return codec;
  };
  afterEach(() => codecs.splice(0).forEach((codec) => codec.close()));

  it('ticks 960 per 20 ms frame on a 48000 clock', () => {
    const codec = opus();
    expect(codec).toBeInstanceOf(OpusCodec);
    expect([codec.name, codec.payloadType, codec.clockRate, codec.ticksPerFrame]).toEqual(['opus', 111, 48000, 960]);
  });

  it('carries a 1 kHz tone: same frequency, energy within 15%, in packets far smaller than PCMU\'s', () => {
    const sender = opus();
    const receiver = opus();
    const input = tone([1000], 1000, 8000).samples;
    const packetSizes: number[] = [];
    const out = new Int16Array(input.length);
    for (let offset = 0; offset < input.length; offset += FRAME_SAMPLES) {
      const packet = sender.encode(input.subarray(offset, offset + FRAME_SAMPLES));
      packetSizes.push(packet.length);
      out.set(receiver.decode(packet), offset);
    }
    // The first 100 ms hold the codec's and the filters' start-up.
    const settled = out.subarray(800);
    expect(zeroCrossingHz(settled)).toBeGreaterThan(990);
    expect(zeroCrossingHz(settled)).toBeLessThan(1010);
    expect(rms(settled) / rms(input, 800)).toBeGreaterThan(0.85);
    expect(rms(settled) / rms(input, 800)).toBeLessThan(1.15);
    expect(Math.max(...packetSizes)).toBeLessThan(FRAME_SAMPLES);
  });

  it('carries silence as silence', () => {
    const out = throughCodec(opus(), opus(), new Int16Array(FRAME_SAMPLES * 20));
    expect(rms(out)).toBeLessThan(5);
  });

  it('refuses a packet that is not Opus', () => {
    // TOC code 3 ("arbitrary number of frames") with a frame count of 0: invalid by RFC 6716 §3.2.5.
    expect(() => opus().decode(Buffer.from([0x03, 0x00]))).toThrow(/Invalid packet/);
  });

  it('frees its encoder and decoder (WebAssembly memory) on close, once, and is unusable afterwards', () => {
    const freed = jest.spyOn(OpusScript.prototype, 'delete');
    try {
      const codec = new OpusCodec();
      expect(freed).not.toHaveBeenCalled();
      codec.close();
      expect(freed).toHaveBeenCalledTimes(2);
      codec.close();
      expect(freed).toHaveBeenCalledTimes(2);
      expect(() => codec.encode(new Int16Array(FRAME_SAMPLES))).toThrow(/after close/);
      expect(() => codec.decode(Buffer.from([0xf8, 0xff, 0xfe]))).toThrow(/after close/);
    } finally {
      freed.mockRestore();
    }
  });
});
