import { FakeClock } from '@switchboard/sandbox-model';
import { TwimlError } from '../twiml/twiml-errors';
import { parseWebhookUrl } from './connection-overrides';
import { attemptWithOverrides, type Attempt } from './webhook-attempts';

const VOICE = 'http://127.0.0.1:3000/voice?x=1';

/** What a scripted server does on each attempt, and when (on the fake clock) each attempt began. */
function scripted(clock: FakeClock, steps: readonly Step[]): { attempt: Attempt<string>; startedAt: number[] } {
  const origin = clock.now();
  const startedAt: number[] = [];
  const attempt: Attempt<string> = (signal, progress) => {
    const step = steps[Math.min(startedAt.length, steps.length - 1)];
    startedAt.push(clock.now() - origin);
    return new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error('aborted')));
      void (async () => {
        if (step.kind === 'refused') return reject(new Error('ECONNREFUSED'));
        if (step.kind === 'never-connects') return;
        progress.connected();
        if (step.kind === 'silent') return;
        for (const gap of step.packetGapsMs ?? []) {
          await clock.sleep(gap, signal);
          if (signal.aborted) return;
          progress.received();
        }
        resolve({ status: step.status, value: `answer ${startedAt.length}` });
      })();
    });
  };
  return { attempt, startedAt };
}

type Step =
  | { readonly kind: 'refused' }
  | { readonly kind: 'never-connects' }
  | { readonly kind: 'silent' }
  | { readonly kind: 'answers'; readonly status: number; readonly packetGapsMs?: readonly number[] };

async function run(url: string, steps: readonly Step[]) {
  const clock = new FakeClock();
  const origin = clock.now();
  const { attempt, startedAt } = scripted(clock, steps);
  const { overrides } = parseWebhookUrl(url);
  const outcome = await clock
    .runUntilSettled(attemptWithOverrides(attempt, overrides, clock))
    .then((answer) => ({ status: answer.status, attempts: answer.attempts }))
    .catch((error: TwimlError) => ({ code: error.code, message: error.message }));
  return { outcome, startedAt, endedAt: clock.now() - origin };
}

describe('parseWebhookUrl: Twilio\'s connection overrides in the URL fragment', () => {
  it('strips the fragment and keeps Twilio\'s defaults without one (ct 5 s, rt 15 s, tt 15 s, rc 1, rp ct,rt)', () => {
    const { url, overrides, warnings } = parseWebhookUrl(VOICE);
    expect(url).toBe(VOICE);
    expect(overrides).toMatchObject({ connectTimeoutMs: 5000, readTimeoutMs: 15_000, totalTimeoutMs: 15_000, retryCount: 1, sni: true });
    expect([...overrides.retryOn].sort()).toEqual(['ct', 'rt']);
    expect(warnings).toEqual([]);
  });

  it('reads ct, rt, tt, rc, rp, sni and e', () => {
    const { url, overrides, warnings } = parseWebhookUrl(`${VOICE}#ct=1000&rt=2000&tt=9000&rc=3&rp=4xx,5xx&sni=n&e=dublin`);
    expect(url).toBe(VOICE);
    expect(overrides).toMatchObject({
      connectTimeoutMs: 1000, readTimeoutMs: 2000, totalTimeoutMs: 9000, totalTimeoutGiven: true, retryCount: 3, sni: false, edge: 'dublin',
    });
    expect([...overrides.retryOn].sort()).toEqual(['4xx', '5xx']);
    expect(warnings).toEqual([]);
    expect([...parseWebhookUrl(`${VOICE}#rp=all`).overrides.retryOn].sort()).toEqual(['4xx', '5xx', 'ct', 'rt']);
  });

  it('brings out-of-range values into Twilio\'s ranges and says so', () => {
    const { overrides, warnings } = parseWebhookUrl(`${VOICE}#ct=50&rt=99999&rc=9&tt=abc&x=1`);
    expect(overrides).toMatchObject({ connectTimeoutMs: 100, readTimeoutMs: 15_000, retryCount: 5, totalTimeoutMs: 15_000 });
    expect(warnings).toEqual([
      expect.stringContaining('ct=50'), expect.stringContaining('rt=99999'), expect.stringContaining('tt=abc'),
      expect.stringContaining('rc=9'), expect.stringContaining('"x"'),
    ]);
  });

  it('refuses a retry policy Twilio does not know with 11243', () => {
    expect(() => parseWebhookUrl(`${VOICE}#rp=ct,sometimes`)).toThrow(expect.objectContaining({ code: 11243 }));
  });
});

describe('attemptWithOverrides: timers and retries on the fake clock', () => {
  it('by default tries to connect twice for 5 s each, then fails with 11205 (Twilio\'s "two 5-second attempts")', async () => {
    const result = await run(VOICE, [{ kind: 'never-connects' }]);
    expect(result.startedAt).toEqual([0, 5000]);
    expect(result).toMatchObject({ endedAt: 10_000, outcome: { code: 11205 } });
  });

  it('a refused connection is a connect failure: retried at once by default, then 11205', async () => {
    const result = await run(VOICE, [{ kind: 'refused' }]);
    expect(result.startedAt).toEqual([0, 0]);
    expect(result.outcome).toMatchObject({ code: 11205 });
  });

  it('#ct=1000&rc=3: four connect attempts, one second each', async () => {
    const result = await run(`${VOICE}#ct=1000&rc=3`, [{ kind: 'never-connects' }]);
    expect(result.startedAt).toEqual([0, 1000, 2000, 3000]);
    expect(result).toMatchObject({ endedAt: 4000, outcome: { code: 11205 } });
  });

  it('#rc=0: one attempt only', async () => {
    const result = await run(`${VOICE}#rc=0&ct=1000`, [{ kind: 'never-connects' }]);
    expect(result.startedAt).toEqual([0]);
  });

  it('#rt=2000: a server that never answers is given up on after 2 s and tried once more', async () => {
    const result = await run(`${VOICE}#rt=2000`, [{ kind: 'silent' }]);
    expect(result.startedAt).toEqual([0, 2000]);
    expect(result).toMatchObject({ endedAt: 4000, outcome: { code: 11205, message: expect.stringContaining('(rt)') } });
  });

  it('rt is the gap allowed between packets, not the whole answer', async () => {
    const result = await run(`${VOICE}#rt=2000`, [{ kind: 'answers', status: 200, packetGapsMs: [1500, 1500, 1500, 1500] }]);
    expect(result).toMatchObject({ startedAt: [0], endedAt: 6000, outcome: { status: 200, attempts: 1 } });
  });

  it('#tt ends all attempts with 11203 when it runs out first', async () => {
    const result = await run(`${VOICE}#tt=3000&rt=2000&rc=5`, [{ kind: 'silent' }]);
    expect(result.startedAt).toEqual([0, 2000]);
    expect(result).toMatchObject({ endedAt: 3000, outcome: { code: 11203 } });
  });

  it('the default 15 s budget reports 11205, as Twilio documents for it', async () => {
    const result = await run(VOICE, [{ kind: 'silent' }]);
    expect(result).toMatchObject({ startedAt: [0], endedAt: 15_000, outcome: { code: 11205 } });
  });

  it('5xx is not retried by default, and is with #rp=5xx (up to rc)', async () => {
    const fails = [{ kind: 'answers', status: 503 }, { kind: 'answers', status: 200 }] as const;
    expect((await run(VOICE, fails)).outcome).toEqual({ status: 503, attempts: 1 });
    expect((await run(`${VOICE}#rp=5xx`, fails)).outcome).toEqual({ status: 200, attempts: 2 });
    expect((await run(`${VOICE}#rp=5xx&rc=2`, [{ kind: 'answers', status: 500 }])).outcome).toEqual({ status: 500, attempts: 3 });
  });

  it('4xx only with #rp=4xx or all', async () => {
    const steps = [{ kind: 'answers', status: 404 }, { kind: 'answers', status: 200 }] as const;
    expect((await run(`${VOICE}#rp=5xx,ct,rt`, steps)).outcome).toEqual({ status: 404, attempts: 1 });
    expect((await run(`${VOICE}#rp=all`, steps)).outcome).toEqual({ status: 200, attempts: 2 });
  });
});
