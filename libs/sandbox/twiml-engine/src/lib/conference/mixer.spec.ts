import { FRAME_SAMPLES, InputBuffer, mixTick } from './mixer';

const dc = (value: number) => new Int16Array(FRAME_SAMPLES).fill(value);

describe('mixTick', () => {
  it('gives each listener the sum of the others, never themselves', () => {
    const [a, b, c] = mixTick(
      [
        { id: 'A', frame: dc(1000), audience: 'everyone' },
        { id: 'B', frame: dc(2000), audience: 'everyone' },
        { id: 'C', frame: dc(4000), audience: 'everyone' },
      ],
      [{ id: 'A', hearsConference: true }, { id: 'B', hearsConference: true }, { id: 'C', hearsConference: true }],
    );
    expect([a[0], b[0], c[0], a[FRAME_SAMPLES - 1]]).toEqual([6000, 5000, 3000, 6000]);
  });

  it('clips the sum to int16', () => {
    const [a, b] = mixTick(
      [
        { id: 'A', frame: dc(-30000), audience: 'everyone' },
        { id: 'B', frame: dc(30000), audience: 'everyone' },
        { id: 'C', frame: dc(30000), audience: 'everyone' },
        { id: 'D', frame: dc(-30000), audience: 'everyone' },
      ],
      [{ id: 'A', hearsConference: true }, { id: 'D', hearsConference: false, own: dc(0) }, { id: 'B', hearsConference: true }],
    ).filter((_, index) => index !== 1);
    expect(a[0]).toBe(30000); // 30000 + 30000 - 30000
    expect(b[0]).toBe(-30000);
    const [loud] = mixTick(
      [{ id: 'B', frame: dc(30000), audience: 'everyone' }, { id: 'C', frame: dc(30000), audience: 'everyone' }],
      [{ id: 'A', hearsConference: true }],
    );
    expect(loud[0]).toBe(32767);
  });

  it('a muted or held speaker is heard by nobody; a held listener hears only its own source', () => {
    const [a, held] = mixTick(
      [
        { id: 'A', frame: dc(1000), audience: 'everyone' },
        { id: 'H', frame: dc(2000), audience: 'nobody' },
        { id: 'M', frame: dc(4000), audience: 'nobody' },
      ],
      [{ id: 'A', hearsConference: true }, { id: 'H', hearsConference: false, own: dc(77) }],
    );
    expect(a[0]).toBe(0);
    expect(held[0]).toBe(77);
  });

  it('a coach is heard only by the participant it coaches, and hears everyone', () => {
    const [agent, customer, coach] = mixTick(
      [
        { id: 'agent', frame: dc(1000), audience: 'everyone' },
        { id: 'customer', frame: dc(2000), audience: 'everyone' },
        { id: 'coach', frame: dc(4000), audience: { only: 'agent' } },
      ],
      [{ id: 'agent', hearsConference: true }, { id: 'customer', hearsConference: true }, { id: 'coach', hearsConference: true }],
    );
    expect([agent[0], customer[0], coach[0]]).toEqual([6000, 1000, 3000]);
  });

  it('room audio (beeps, announcements) reaches everyone who hears the conference', () => {
    const [a, held] = mixTick([{ id: 'A', frame: dc(100), audience: 'everyone' }], [{ id: 'A', hearsConference: true }, { id: 'H', hearsConference: false }], dc(500));
    expect([a[0], held[0]]).toEqual([500, 0]);
  });
});

describe('InputBuffer', () => {
  it('re-frames audio into 160-sample frames and drops the oldest beyond its cap', () => {
    const buffer = new InputBuffer(320);
    expect(buffer.take()).toBeUndefined();
    buffer.push(dc(1).subarray(0, 100));
    buffer.push(dc(2));
    const first = buffer.take() as Int16Array;
    expect([first[0], first[99], first[100]]).toEqual([1, 1, 2]);
    buffer.push(dc(3));
    buffer.push(dc(4));
    // 100 samples of 2 were left; with two more frames 420 > 320, so those oldest 100 are dropped.
    const next = buffer.take() as Int16Array;
    expect([next[0], next[159]]).toEqual([3, 3]);
  });
});
