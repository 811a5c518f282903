import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '../testing/fakes';
import { FileRecordingStore } from './file-recording-store';
import { durationMs, isSilent, resampleTo8k, rms, silence, tone, trimSilence, concatPcm } from './pcm';
import { createSpeechSynthesizer, EspeakSpeechSynthesizer, PlaceholderSpeechSynthesizer } from './speech';
import { decodeWav, encodeWav, UnsupportedAudioError } from './wav';

function wavHeader(tag: number, channels: number, rate: number, bits: number, data: Buffer): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(tag, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE((rate * channels * bits) / 8, 28);
  header.writeUInt16LE((channels * bits) / 8, 32);
  header.writeUInt16LE(bits, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

describe('audio', () => {
  it('round-trips PCM16 8 kHz WAV', () => {
    const audio = tone(440, 250);
    expect(Array.from(decodeWav(encodeWav(audio)).samples)).toEqual(Array.from(audio.samples));
  });

  it('decodes stereo 16 kHz PCM16 and µ-law to 8 kHz mono', () => {
    const stereo = Buffer.alloc(16000 * 4);
    for (let i = 0; i < 16000; i++) {
      const value = Math.round(Math.sin((2 * Math.PI * 300 * i) / 16000) * 10000);
      stereo.writeInt16LE(value, i * 4);
      stereo.writeInt16LE(value, i * 4 + 2);
    }
    const decoded = decodeWav(wavHeader(1, 2, 16000, 16, stereo));
    expect(decoded.samples.length).toBe(8000);
    expect(rms(decoded.samples)).toBeGreaterThan(5000);
    // µ-law 0xFF and 0x7F are the two zeros; 0x00 is full negative scale.
    const mulaw = decodeWav(wavHeader(7, 1, 8000, 8, Buffer.from([0xff, 0x7f, 0x00])));
    expect(Array.from(mulaw.samples)).toEqual([0, 0, -32124]);
  });

  it('refuses formats it cannot play', () => {
    expect(() => decodeWav(Buffer.from('ID3 mp3 data here....'))).toThrow(UnsupportedAudioError);
    expect(() => decodeWav(wavHeader(3, 1, 8000, 32, Buffer.alloc(8)))).toThrow(UnsupportedAudioError);
  });

  it('resamples, detects silence and trims it', () => {
    expect(resampleTo8k(new Int16Array(22050), 22050).samples.length).toBe(8000);
    expect(isSilent(silence(500))).toBe(true);
    expect(isSilent(tone(440, 100))).toBe(false);
    expect(durationMs(trimSilence(concatPcm([silence(1000), tone(440, 500), silence(1000)])))).toBe(500);
  });

  it('gives placeholder speech whose length follows the text', async () => {
    const speech = new PlaceholderSpeechSynthesizer();
    const short = await speech.synthesize('hi');
    const long = await speech.synthesize('hello there this is a much longer sentence');
    expect(durationMs(long)).toBeGreaterThan(durationMs(short));
    expect(isSilent(short)).toBe(false);
  });

  describe('with a stand-in espeak-ng binary', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'espeak-'));
      // Writes a 22050 Hz WAV of 1 s to stdout whatever the text, like espeak-ng --stdout.
      const wav = wavHeader(1, 1, 22050, 16, Buffer.alloc(22050 * 2, 0x40)).toString('base64');
      await writeFile(join(dir, 'espeak-ng'), `#!/bin/sh\ncat > /dev/null\necho '${wav}' | base64 -d\n`);
      await chmod(join(dir, 'espeak-ng'), 0o755);
      await writeFile(join(dir, 'failing-espeak'), '#!/bin/sh\nexit 3\n');
      await chmod(join(dir, 'failing-espeak'), 0o755);
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('is found on PATH and its 22050 Hz output is resampled to 8 kHz', async () => {
      const speech = createSpeechSynthesizer(new MemoryLogger(), dir);
      expect(speech).toBeInstanceOf(EspeakSpeechSynthesizer);
      expect((await speech.synthesize('hello', {})).samples.length).toBe(8000);
    });

    it('falls back to the placeholder when espeak fails or is absent', async () => {
      const log = new MemoryLogger();
      const audio = await new EspeakSpeechSynthesizer(log, join(dir, 'failing-espeak')).synthesize('hello', {});
      expect(isSilent(audio)).toBe(false);
      expect(log.lines.some((line) => line.level === 'warn')).toBe(true);
      expect(createSpeechSynthesizer(new MemoryLogger(), '/nonexistent')).toBeInstanceOf(PlaceholderSpeechSynthesizer);
    });
  });

  it('stores recordings as WAV files and returns them only to their account', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recordings-'));
    try {
      const store = new FileRecordingStore(dir);
      const saved = await store.save({ accountSid: 'AC1', callSid: 'CA1', audio: tone(440, 2000), dateCreated: 0 });
      const found = await store.get('AC1', saved.sid);
      expect(found?.metadata.durationSeconds).toBe(2);
      expect(decodeWav(found?.wav ?? Buffer.alloc(0)).samples.length).toBe(16000);
      expect(await store.get('AC2', saved.sid)).toBeUndefined();
      expect(await store.get('AC1', '../../etc/passwd')).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
