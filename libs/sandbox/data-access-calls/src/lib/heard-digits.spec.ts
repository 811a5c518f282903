import { systemClock } from '@switchboard/sandbox-model';
import { concatPcm, dtmfTone, silence, type Pcm8k } from '@switchboard/sandbox-util-audio';
import { CallCore } from './call-core';
import type { AudioPort, FrameSource } from './media-port';
import type { PartyNetwork } from './party-network';

/**
 * `heardDigits`, a sandbox test surface (not Twilio): digits heard in-band in the audio each leg was
 * sent, as the phone at its end would hear them (a conference carries key presses as tones).
 */

const ACCOUNT = 'AC' + '1'.repeat(32);
const nobody: PartyNetwork = { ring: () => ({ ringing: Promise.resolve(), outcome: new Promise(() => undefined), cancel: () => undefined }) };

/** The far end's audio port: the test pulls every frame the core sends, like a media endpoint's 20 ms pacer. */
class PullingPort implements AudioPort {
  private source: FrameSource | undefined;
  onFrame(): () => void {
    return () => undefined;
  }
  onDigit(): () => void {
    return () => undefined;
  }
  setSource(source: FrameSource | undefined): void {
    this.source = source;
  }
  close(): void {
    this.source = undefined;
  }
  pull(frames: number): void {
    for (let i = 0; i < frames; i++) this.source?.();
  }
}

function setup() {
  const core = new CallCore({ clients: nobody, phones: nobody, clock: systemClock });
  const port = new PullingPort();
  const leg = core.startLeg({ accountSid: ACCOUNT, from: 'client:alice', to: '+14155550150', direction: 'inbound' }, port, {
    answer: async () => undefined,
    hangup: () => undefined,
  });
  /** Sends `audio` to the leg as a conference mix does, frame by frame, each pulled as it is queued. */
  const send = (audio: Pcm8k) => {
    for (let offset = 0; offset < audio.samples.length; offset += 160) {
      leg.sendFrame({ sampleRate: 8000, samples: audio.samples.slice(offset, offset + 160) });
      port.pull(1);
    }
  };
  return { core, port, leg, send };
}

describe('heardDigits: DTMF tones heard in what a leg was sent', () => {
  it('a live leg records the digits of the tones it was sent, and tells onHeardDigit listeners', () => {
    const { core, leg, send } = setup();
    const heard: string[] = [];
    leg.onHeardDigit((digit) => heard.push(digit));
    send(concatPcm([silence(40), dtmfTone('1'), silence(80), dtmfTone('2'), silence(80), dtmfTone('#'), silence(80)]));
    expect(core.getLeg(leg.callSid)).toMatchObject({ digits: '', heardDigits: '12#' });
    expect(heard).toEqual(['1', '2', '#']);
  });

  it('frames with nothing to send count as silence, so a key pressed twice is heard twice', () => {
    const { core, leg, port, send } = setup();
    send(dtmfTone('5'));
    port.pull(3); // 60 ms of nothing queued: the leg is sent silence
    send(dtmfTone('5'));
    port.pull(3);
    expect(core.getLeg(leg.callSid)?.heardDigits).toBe('55');
  });

  it('speech-like audio and a lone tone are not digits', () => {
    const { core, leg, send } = setup();
    const hum = new Int16Array(8000).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
    send({ sampleRate: 8000, samples: hum });
    expect(core.getLeg(leg.callSid)?.heardDigits).toBe('');
  });

  it('a tracked leg (a simulated PSTN caller) reports what it heard, kept to the last 64 digits', () => {
    const { core } = setup();
    const leg = {
      callSid: 'CA' + 'e'.repeat(32), accountSid: ACCOUNT, from: '+14155550150', to: '+14155550100', direction: 'inbound' as const,
      ended: new AbortController().signal,
      answer: async () => undefined,
      play: async () => undefined,
      onDigit: () => () => undefined,
      startRecording: () => ({ stop: () => ({ sampleRate: 8000 as const, samples: new Int16Array(0) }) }),
      hangup: () => undefined,
    };
    const tracked = core.trackLeg(leg);
    for (const digit of '7'.repeat(70) + '*#') tracked.heardDigit?.(digit);
    expect(core.getLeg(leg.callSid)?.heardDigits).toBe('7'.repeat(62) + '*#');
  });
});
