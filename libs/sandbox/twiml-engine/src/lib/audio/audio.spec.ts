import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatPcm, decodeWav, durationMs, encodeWav, pcm, rms, silence } from '@switchboard/sandbox-util-audio';
import { MemoryLogger } from '../testing/fakes';
import { FileRecordingStore } from './file-recording-store';
import { createSpeechSynthesizer, EspeakSpeechSynthesizer, PlaceholderSpeechSynthesizer } from './speech';
import { isSilent, SILENCE_RMS_THRESHOLD, tone, trimSilence } from './tone-and-silence';

describe('audio', () => {
  it('makes tones of the asked length and level, with fades', () => {
    const beep = tone(440, 250);
    expect(beep.samples.length).toBe(2000);
    expect(beep.samples[0]).toBe(0);
    expect(Math.max(...beep.samples)).toBe(Math.round(0.3 * 32767));
    // A sine's RMS is peak / √2, a little less here for the 10 ms fades at either end.
    expect(rms(beep.samples)).toBeGreaterThan(0.95 * (0.3 * 32767) / Math.SQRT2);
    expect(rms(beep.samples)).toBeLessThan((0.3 * 32767) / Math.SQRT2);
    expect(Math.max(...tone(440, 100, 1).samples)).toBe(32767);
  });

  it('detects silence and trims it, 20 ms frame by frame', () => {
    expect(isSilent(silence(500))).toBe(true);
    expect(isSilent(tone(440, 100))).toBe(false);
    expect(isSilent(pcm(new Int16Array(160).fill(SILENCE_RMS_THRESHOLD - 1)))).toBe(true);
    expect(isSilent(pcm(new Int16Array(160).fill(SILENCE_RMS_THRESHOLD)))).toBe(false);
    expect(durationMs(trimSilence(concatPcm([silence(1000), tone(440, 500), silence(1000)])))).toBe(500);
    expect(trimSilence(silence(300)).samples.length).toBe(0);
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
      const file = encodeWav(pcm(new Int16Array(22050).fill(0x4040)));
      file.writeUInt32LE(22050, 24);
      file.writeUInt32LE(22050 * 2, 28);
      const wav = file.toString('base64');
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
      // Deleting: not another account's, then the files are gone from disk, then nothing to delete.
      expect(await store.remove('AC2', saved.sid)).toBe(false);
      expect(await store.remove('AC1', saved.sid)).toBe(true);
      expect(await readdir(dir)).toEqual([]);
      expect(await store.remove('AC1', saved.sid)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
