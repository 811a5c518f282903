import { FakeClock } from '@switchboard/sandbox-model';
import { HttpAudioFetcher } from '../audio/audio-fetcher';
import { builtInHoldMusic, FrameSource, playFromUrl } from '../conference/audio-sources';
import { FRAME_SAMPLES } from '../conference/mixer';
import { runTwiml } from '../engine/run-twiml';
import { FakeLeg } from '../testing/fake-leg';
import { FakeSpeech, FakeTelephonyCore, MemoryLogger, MemoryRecordingStore } from '../testing/fakes';
import { WebhookReceiver } from '../testing/webhook-receiver';
import { TwilioErrorCode } from '../twiml/twiml-errors';
import { isTwilioHoldMusicFile, twilioHoldMusicTwimletBucket } from './twilio-hold-music';
import { HttpWebhookClient } from './webhook-client';

const ACCOUNT = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const TOKEN = '8c514220389604b8a422ec618db0f784';
/** The API's default rescue-hold music (libs/api/feature-call-control rescue-hold.controller.ts) and Twilio's default waitUrl. */
const CLASSICAL = 'https://twimlets.com/holdmusic?Bucket=com.twilio.music.classical';

describe("Twilio's hold-music URLs", () => {
  it('recognises the holdmusic twimlet with a com.twilio.music.* bucket, and nothing else', () => {
    expect(twilioHoldMusicTwimletBucket(CLASSICAL)).toBe('com.twilio.music.classical');
    expect(twilioHoldMusicTwimletBucket('http://twimlets.com/holdmusic?Bucket=com.twilio.music.soft-rock')).toBe('com.twilio.music.soft-rock');
    expect(twilioHoldMusicTwimletBucket('http://www.twimlets.com/holdmusic/?Bucket=com.twilio.music.ambient&Message=hi')).toBe('com.twilio.music.ambient');
    for (const other of [
      'https://twimlets.com/holdmusic?Bucket=my.own.bucket',
      'https://twimlets.com/holdmusic',
      'https://twimlets.com/echo?Twiml=%3CResponse%2F%3E',
      'https://twimlets.com.example.org/holdmusic?Bucket=com.twilio.music.classical',
      'ftp://twimlets.com/holdmusic?Bucket=com.twilio.music.classical',
      'not a url',
    ]) expect(twilioHoldMusicTwimletBucket(other)).toBeUndefined();
  });

  it("recognises the files of Twilio's music buckets, virtual-hosted or path-style", () => {
    expect(isTwilioHoldMusicFile('http://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3')).toBe(true);
    expect(isTwilioHoldMusicFile('http://com.twilio.music.soft-rock.s3.amazonaws.com/_ghost_-_promo_2_sample_pack.mp3')).toBe(true);
    expect(isTwilioHoldMusicFile('https://s3.amazonaws.com/com.twilio.music.classical/BusyStrings.mp3')).toBe(true);
    for (const other of [
      'http://com.twilio.music.classical.s3.amazonaws.com/',
      'http://my-bucket.s3.amazonaws.com/music.mp3',
      'https://s3.amazonaws.com/my-bucket/com.twilio.music.classical.mp3',
      'https://demo.twilio.com/docs/classic.mp3',
    ]) expect(isTwilioHoldMusicFile(other)).toBe(false);
  });
});

describe("Twilio's hold music in the sandbox: answered locally with the built-in loop, nothing fetched off the machine", () => {
  const receiver = new WebhookReceiver();
  const log = new MemoryLogger();
  const webhooks = new HttpWebhookClient({ authToken: () => TOKEN, log });
  const audio = new HttpAudioFetcher();
  const music = builtInHoldMusic();

  beforeAll(async () => {
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
  });

  it('fetchTwiml of the twimlet answers a looping <Play> of a bucket file; the file itself is audio (12300 as TwiML)', async () => {
    const twimlet = await webhooks.fetchTwiml({ url: CLASSICAL, method: 'GET', params: {}, accountSid: ACCOUNT });
    expect(twimlet).toEqual({ ok: true, url: CLASSICAL, body: expect.stringMatching(/<Play loop="0">http:\/\/com\.twilio\.music\.classical\.s3\.amazonaws\.com\/[^<]+<\/Play>/) });
    const file = await webhooks.fetchTwiml({ url: 'http://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3', method: 'POST', params: {}, accountSid: ACCOUNT });
    expect(file).toMatchObject({ ok: false, code: TwilioErrorCode.InvalidContentType });
    const other = await webhooks.fetchTwiml({ url: 'https://twimlets.com/echo?Twiml=%3CResponse%2F%3E', method: 'GET', params: {}, accountSid: ACCOUNT });
    expect(other).toMatchObject({ ok: false, code: TwilioErrorCode.HttpBadHostName });
  });

  it('an HTTP redirect from a loopback app to the twimlet is answered the same way', async () => {
    receiver.on('/music', (_request, res) => res.writeHead(302, { Location: CLASSICAL }).end());
    const moved = await webhooks.fetchTwiml({ url: `${receiver.origin}/music`, method: 'POST', params: {}, accountSid: ACCOUNT });
    expect(moved).toMatchObject({ ok: true, body: expect.stringContaining('<Play loop="0">') });
  });

  it('the audio fetcher plays a bucket file as the built-in hold music; another S3 file is still refused (11210)', async () => {
    expect((await audio.fetch('http://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3')).samples).toEqual(music);
    await expect(audio.fetch('http://my-bucket.s3.amazonaws.com/music.mp3')).rejects.toMatchObject({ code: TwilioErrorCode.HttpBadHostName });
  });

  it('a holdUrl of <Say> then <Redirect> to the twimlet plays the speech, then the built-in music in a loop', async () => {
    receiver.twiml('/rescue-hold', `<Response><Say>Please hold</Say><Redirect method="GET">${CLASSICAL.replace(/&/g, '&amp;')}</Redirect></Response>`);
    const speech = new FakeSpeech();
    const spoken = await speech.synthesize('Please hold');
    const { source } = playFromUrl(
      { url: `${receiver.origin}/rescue-hold`, method: 'POST', accountSid: ACCOUNT, params: {}, loop: true },
      { webhooks, audio, speech, log },
    );
    try {
      const speechFrames = spoken.samples.length / FRAME_SAMPLES;
      const heard: Int16Array[] = [await firstFrame(source)];
      for (let i = 1; i < speechFrames; i++) heard.push(source.next() as Int16Array);
      expect(concat(heard)).toEqual(spoken.samples);
      // The music follows the speech once the twimlet's document has been answered (locally, no request made).
      const musicFrames = music.length / FRAME_SAMPLES;
      const first = await firstFrame(source);
      expect(first).toEqual(music.subarray(0, FRAME_SAMPLES));
      for (let i = 1; i < musicFrames; i++) source.next();
      expect(await firstFrame(source)).toEqual(first); // and loops
      expect(receiver.received.map((r) => r.path)).toEqual(['/music', '/rescue-hold']);
    } finally {
      source.stop();
    }
  });

  it("a call's <Redirect> to the twimlet plays the built-in hold music until the call ends", async () => {
    receiver.twiml('/voice', `<Response><Say>One moment</Say><Redirect method="GET">${CLASSICAL.replace(/&/g, '&amp;')}</Redirect></Response>`);
    const clock = new FakeClock();
    const leg = new FakeLeg(clock);
    const deps = {
      core: new FakeTelephonyCore(), webhooks, clock, speech: new FakeSpeech(), audio, recordings: new MemoryRecordingStore(), log,
      publicOrigin: 'https://127.0.0.1:8443',
    };
    const run = runTwiml(leg, { url: `${receiver.origin}/voice`, answered: true }, deps);
    await until(() => leg.played.length === 1);
    await clock.advance(100 * 2); // FakeSpeech: 100 ms a word
    await until(() => leg.played.length === 2);
    expect(leg.played[1].samples).toEqual(music);
    leg.farEndHangsUp();
    expect((await run).verbs).toEqual(['Say', 'Redirect', 'Play']);
    expect(leg.played).toHaveLength(2); // the loop stopped with the call
    expect(log.codes()).toEqual([]);
  });
});

/** Yields to the event loop (the TwiML fetches are real HTTP) until `ready`; fails rather than waiting forever. */
async function until(ready: () => boolean): Promise<void> {
  let done = ready();
  for (let turn = 0; turn < 10_000 && !done; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    done = ready();
  }
  expect(done).toBe(true);
}

async function firstFrame(source: FrameSource): Promise<Int16Array> {
  let frame: Int16Array | undefined;
  await until(() => (frame = source.next()) !== undefined);
  return frame as Int16Array;
}

function concat(frames: Int16Array[]): Int16Array {
  const out = new Int16Array(frames.length * FRAME_SAMPLES);
  frames.forEach((frame, index) => out.set(frame, index * FRAME_SAMPLES));
  return out;
}
