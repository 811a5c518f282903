import { FRAME_SAMPLES } from './tones';
import { WebRtcEndpoint } from './webrtc-endpoint';

/** Two sandbox endpoints connected to each other over loopback (real ICE, DTLS-SRTP and RTP). */
async function connectedPair(): Promise<{ caller: WebRtcEndpoint; callee: WebRtcEndpoint }> {
  const caller = new WebRtcEndpoint({ announcedIp: '127.0.0.1', label: 'caller' });
  const callee = new WebRtcEndpoint({ announcedIp: '127.0.0.1', label: 'callee' });
  const answer = await callee.answer(await caller.offer());
  await caller.acceptAnswer(answer);
  await Promise.all([nextFrame(caller), nextFrame(callee)]);
  return { caller, callee };
}

/** Resolves with the arrival time of the next frame the endpoint receives. */
function nextFrame(endpoint: WebRtcEndpoint, accept: (frame: Int16Array) => boolean = () => true): Promise<number> {
  return new Promise((resolve) => {
    const stop = endpoint.onFrame((frame) => {
      if (!accept(frame)) return;
      stop();
      resolve(Date.now());
    });
  });
}

/** Werift's ICE agent and its selected pair, for sending one connectivity check by hand. */
interface IceInternals {
  localUsername: string;
  remoteUsername: string;
  remotePassword: string;
  iceControlling: boolean;
  nominated?: { protocol: { request(message: unknown, addr: unknown, key: Buffer, retransmissions: number): Promise<unknown> }; remoteAddr: unknown };
  buildRequest(options: { nominate: boolean; localUsername: string; remoteUsername: string; iceControlling: boolean }): unknown;
}

/** One STUN binding request from `endpoint` to its peer over the selected pair (a few retransmissions). */
async function connectivityCheck(endpoint: WebRtcEndpoint): Promise<'answered' | 'unanswered'> {
  const pc = (endpoint as unknown as { pc: { iceTransports: { connection: IceInternals }[] } }).pc;
  const ice = pc.iceTransports[0].connection;
  if (!ice.nominated) throw new Error('no selected ICE pair');
  const { localUsername, remoteUsername, iceControlling } = ice;
  const request = ice.buildRequest({ nominate: false, localUsername, remoteUsername, iceControlling });
  return ice.nominated.protocol.request(request, ice.nominated.remoteAddr, Buffer.from(ice.remotePassword, 'utf8'), 2).then(
    () => 'answered',
    () => 'unanswered',
  );
}

/** Counts what `from` sends (its source is pulled once per 20 ms frame) and what `to` receives. */
function countFrames(from: WebRtcEndpoint, to: WebRtcEndpoint, frames: number): Promise<{ sent: number; received: number }> {
  let received = 0;
  // Only the marked frames count: between sources the pacer sends silence.
  const stopCounting = to.onFrame((frame) => {
    if (frame[0] > 500) received++;
  });
  return new Promise((resolve) => {
    let sent = 0;
    from.setSource(() => {
      sent++;
      if (sent === frames) {
        from.setSource(undefined);
        // Let the last packet cross loopback before counting.
        setTimeout(() => {
          stopCounting();
          resolve({ sent, received });
        }, 100);
      }
      return new Int16Array(FRAME_SAMPLES).fill(1000);
    });
  });
}

describe('WebRtcEndpoint fault hooks (two real werift endpoints over loopback)', () => {
  let pair: { caller: WebRtcEndpoint; callee: WebRtcEndpoint };

  beforeEach(async () => {
    pair = await connectedPair();
  }, 20_000);

  afterEach(() => {
    pair.caller.close();
    pair.callee.close();
  });

  it('stall(ms) stops sending and ignores what arrives until it is over, then media resumes both ways', async () => {
    const { caller, callee } = pair;
    // Frames the callee makes from now on are loud: any the caller hears were sent after stall() was called.
    // (Frames sent just before it may still be in flight, so the caller waits for a loud one.)
    callee.setSource(() => new Int16Array(FRAME_SAMPLES).fill(3000));
    const stalledAt = Date.now();
    callee.stall(300);
    // Nothing the caller sends is taken in, and the callee sends nothing, until the stall ends.
    const [calleeHears, callerHears] = await Promise.all([nextFrame(callee), nextFrame(caller, (f) => f[0] > 2000)]);
    expect(calleeHears).toBeGreaterThanOrEqual(stalledAt + 300);
    expect(callerHears).toBeGreaterThanOrEqual(stalledAt + 300);
  });

  it('stall(ms) also leaves the peer\'s ICE connectivity checks unanswered until it is over', async () => {
    const { caller, callee } = pair;
    expect(await connectivityCheck(caller)).toBe('answered');
    callee.stall(3000);
    expect(await connectivityCheck(caller)).toBe('unanswered');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await connectivityCheck(caller)).toBe('answered');
  });

  it('lose(100, ms) drops every packet for that long', async () => {
    const { caller, callee } = pair;
    const lossAt = Date.now();
    caller.lose(100, 300);
    const [calleeHears, callerHears] = await Promise.all([nextFrame(callee), nextFrame(caller)]);
    expect(calleeHears).toBeGreaterThanOrEqual(lossAt + 300);
    expect(callerHears).toBeGreaterThanOrEqual(lossAt + 300);
  });

  it('lose(50, ms) drops some packets but not all; lose(0) none', async () => {
    const { caller, callee } = pair;
    caller.lose(50, 30_000);
    const lossy = await countFrames(caller, callee, 60);
    // Binomial(60, ½): outside 10..50 has a probability below 1e-7.
    expect(lossy.received).toBeGreaterThanOrEqual(10);
    expect(lossy.received).toBeLessThanOrEqual(50);
    caller.lose(0, 30_000);
    const clean = await countFrames(caller, callee, 30);
    expect(clean.received).toBe(30);
  }, 20_000);

  it('reports digits the client signalled instead of sending RFC 4733, ignoring anything that is not a DTMF key', () => {
    const digits: string[] = [];
    pair.callee.onDigit((digit) => digits.push(digit));
    pair.callee.receiveSignaledDigits('1w2#*x9d');
    expect(digits).toEqual(['1', '2', '#', '*', '9', 'D']);
  });
});
