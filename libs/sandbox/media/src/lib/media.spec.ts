import { decodeWav, rms } from '@switchboard/sandbox-util-audio';
import { decodeMulaw, decodeMulawSample, encodeMulaw, encodeMulawSample } from './mulaw';
import { DtmfDetector } from './dtmf';
import { dtmfTone, FRAME_SAMPLES, tone } from './tones';
import { isSdkSoundName, sdkSoundWav } from './sdk-sounds';
import { onlyCandidatesAt } from './webrtc-endpoint';

describe('µ-law', () => {
  it('encodes silence as 0xFF and full scale to the extreme codes', () => {
    expect(encodeMulawSample(0)).toBe(0xff);
    expect(encodeMulawSample(32767)).toBe(0x80);
    expect(encodeMulawSample(-32768)).toBe(0x00);
  });

  it('round-trips within the companding error (≤ 1/16 of the magnitude)', () => {
    for (const sample of [-30000, -1000, -100, -5, 0, 7, 123, 4000, 32000]) {
      const back = decodeMulawSample(encodeMulawSample(sample));
      expect(Math.abs(back - sample)).toBeLessThanOrEqual(Math.max(8, Math.abs(sample) / 16));
    }
  });

  it('decodes every code to the sign it was encoded with', () => {
    const samples = Int16Array.from([-20000, 20000, -50, 50]);
    expect(Array.from(decodeMulaw(encodeMulaw(samples))).map(Math.sign)).toEqual([-1, 1, -1, 1]);
  });
});

describe('tones and SDK sounds', () => {
  it('makes audible tones of the asked length', () => {
    const plain = tone([440], 200);
    expect(plain.samples.length).toBe(1600);
    expect(rms(plain.samples)).toBeGreaterThan(1000);
    expect(plain.samples[0]).toBe(0);
    expect(dtmfTone('5').samples.length).toBe(1200);
    expect(rms(dtmfTone('5').samples)).toBeGreaterThan(1000);
    expect(tone([440], 20).samples.length).toBe(FRAME_SAMPLES);
    expect(() => dtmfTone('x')).toThrow(/DTMF/);
  });

  it('serves a non-silent WAV for every SDK sound name', () => {
    for (const name of ['incoming', 'outgoing', 'disconnect', 'dtmf0', 'dtmf9', 'dtmfs', 'dtmfh'] as const) {
      expect(rms(decodeWav(sdkSoundWav(name)).samples)).toBeGreaterThan(100);
    }
    expect(isSdkSoundName('dtmf5')).toBe(true);
    expect(isSdkSoundName('cowbell')).toBe(false);
  });
});

describe('RFC 4733 DTMF detection', () => {
  const packet = (event: number, end: boolean, duration: number): Uint8Array =>
    Uint8Array.from([event, (end ? 0x80 : 0) | 10, duration >> 8, duration & 0xff]);

  it('reports each digit once, on its first end packet, ignoring repeats', () => {
    const digits: string[] = [];
    const detector = new DtmfDetector((d) => digits.push(d));
    detector.receive(1000, packet(1, false, 160));
    detector.receive(1000, packet(1, false, 320));
    detector.receive(1000, packet(1, true, 800));
    detector.receive(1000, packet(1, true, 800));
    detector.receive(1000, packet(1, true, 800));
    detector.receive(3000, packet(11, true, 800));
    detector.receive(5000, packet(10, true, 800));
    expect(digits).toEqual(['1', '#', '*']);
  });

  it('ignores truncated payloads and unknown events', () => {
    const digits: string[] = [];
    const detector = new DtmfDetector((d) => digits.push(d));
    detector.receive(1, Uint8Array.from([1, 0x80]));
    detector.receive(2, packet(99, true, 800));
    expect(digits).toEqual([]);
  });
});

describe('onlyCandidatesAt', () => {
  const sdp = [
    'v=0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 0',
    'a=candidate:1 1 udp 2130706431 192.0.2.2 50000 typ host',
    'a=candidate:2 1 udp 2130706431 127.0.0.1 50001 typ host',
    'a=candidate:3 1 udp 1694498815 198.51.100.7 50002 typ srflx raddr 0.0.0.0 rport 0',
    'a=end-of-candidates',
    '',
  ].join('\r\n');

  it('keeps only the loopback candidate, so the browser never checks another address', () => {
    const kept = onlyCandidatesAt(sdp, '127.0.0.1');
    expect(kept.match(/^a=candidate:.*$/gm)).toEqual(['a=candidate:2 1 udp 2130706431 127.0.0.1 50001 typ host']);
    expect(kept).toContain('a=end-of-candidates');
    expect(kept).toContain('m=audio 9 UDP/TLS/RTP/SAVPF 0');
  });
});
