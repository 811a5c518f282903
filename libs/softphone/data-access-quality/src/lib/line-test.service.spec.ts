import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { API_ROUTES, type LineTest, type LineTestInput } from '@switchboard/shared-contracts';
import { ClientConfigStore, SessionStore } from '@switchboard/softphone-data-access-api';
import { VOICE_CLOCK, VOICE_PORT, VOICE_TOKEN_SOURCE, type PreflightReportData } from '@switchboard/softphone-data-access-voice';
import { FakeVoicePort, FakeVoiceTokenSource } from '@switchboard/softphone-data-access-voice/testing';
import { VirtualTimeScheduler, throwError } from 'rxjs';
import { LINE_TEST_SCHEDULER, LineTestService, type LineTestProgress } from './line-test.service';

const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);
const HOUR = 3_600_000;

function stored(input: LineTestInput, over: Partial<LineTest> = {}): LineTest {
  return { ...input, id: 'lt1', identity: 'alice', verdict: 'excellent', platform: { browser: 'Chrome', browserVersion: '131', os: 'Linux' }, ...over };
}

const report: PreflightReportData = {
  callSid: 'CA9',
  edge: 'ashburn',
  callQuality: 'great',
  mos: { min: 4.1, avg: 4.3, max: 4.4 },
  rtt: { min: 20, avg: 30, max: 40 },
  jitter: { min: 0, avg: 1, max: 3 },
  packetLossPercent: 0,
  timing: { signalingMs: 100, iceMs: 20, dtlsMs: 30, peerConnectionMs: 50 },
  warnings: [],
  startedAt: T0,
  endedAt: T0 + 15_000,
};

function setUp(options: { agent?: boolean; tokens?: FakeVoiceTokenSource; maxAgeHours?: number; voice?: FakeVoicePort } = {}) {
  const voice = options.voice ?? new FakeVoicePort();
  const scheduler = new VirtualTimeScheduler();
  let now = T0;
  const agent = signal(options.agent === false ? null : { identity: 'alice', displayName: 'Alice' });
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: VOICE_PORT, useValue: voice },
      { provide: VOICE_TOKEN_SOURCE, useValue: options.tokens ?? new FakeVoiceTokenSource() },
      { provide: VOICE_CLOCK, useValue: { now: () => now } },
      { provide: LINE_TEST_SCHEDULER, useValue: scheduler },
      { provide: ClientConfigStore, useValue: { config: signal({ mode: 'sandbox', lineTestMaxAgeHours: options.maxAgeHours ?? 24 }) } },
      { provide: SessionStore, useValue: { agent } },
    ],
  });
  const service = TestBed.inject(LineTestService);
  TestBed.tick();
  const http = TestBed.inject(HttpTestingController);
  const advance = (ms: number) => {
    now += ms;
    scheduler.maxFrames = scheduler.frame + ms;
    scheduler.flush();
  };
  return { service, voice, http, advance, agent, setNow: (ms: number) => (now = ms) };
}

describe('LineTestService', () => {
  it('runs the preflight with a fresh token, reports progress every second, and ends done with the stored test', () => {
    const t = setUp();
    t.http.expectOne(API_ROUTES.quality.lineTests).flush({ lineTests: [] });
    const seen: LineTestProgress[] = [];
    let completed = false;
    t.service.run().subscribe({ next: (p) => seen.push(p), complete: () => (completed = true) });
    expect(t.service.running()).toBe(true);
    expect(t.voice.commandsNamed('runPreflight')).toEqual([{ method: 'runPreflight', args: ['eyJ.fake.token', undefined] }]);
    expect(seen.map((p) => p.phase)).toEqual(['starting', 'connecting']);
    t.advance(1000);
    t.voice.emitPreflight({ kind: 'connected', callSid: 'CA9' });
    t.advance(1000);
    t.advance(1000);
    t.voice.emitPreflight({ kind: 'warning', name: 'high-rtt', description: 'x' });
    t.voice.emitPreflight({ kind: 'completed', report });
    const post = t.http.expectOne((r) => r.url === API_ROUTES.quality.lineTests && r.method === 'POST');
    const input = post.request.body as LineTestInput;
    expect(input).toEqual({
      callSid: 'CA9',
      startedAt: new Date(T0).toISOString(),
      endedAt: new Date(T0 + 15_000).toISOString(),
      callQuality: 'great',
      edge: 'ashburn',
      mos: report.mos,
      rtt: report.rtt,
      jitter: report.jitter,
      packetLossPercent: 0,
      timing: report.timing,
      warnings: ['high-rtt'],
      error: null,
    });
    post.flush(stored(input));
    expect(seen.map((p) => [p.phase, p.elapsedSeconds])).toEqual([
      ['starting', 0],
      ['connecting', 0],
      ['connecting', 1],
      ['measuring', 1],
      ['measuring', 2],
      ['measuring', 3],
      ['done', 3],
    ]);
    expect(seen.at(-1)?.result?.id).toBe('lt1');
    expect(seen.every((p) => p.expectedSeconds > 0)).toBe(true);
    expect(completed).toBe(true);
    expect(t.service.running()).toBe(false);
    expect(t.service.lastTest()?.id).toBe('lt1');
    expect(t.service.due()).toBe(false);
  });

  it('a failed preflight is stored with its code and ends failed with what to do', () => {
    const t = setUp();
    t.http.expectOne(API_ROUTES.quality.lineTests).flush({ lineTests: [] });
    const seen: LineTestProgress[] = [];
    t.service.run().subscribe((p) => seen.push(p));
    t.voice.emitPreflight({ kind: 'failed', code: 31000, message: 'boom' });
    const post = t.http.expectOne((r) => r.method === 'POST');
    const input = post.request.body as LineTestInput;
    expect(input).toMatchObject({ callQuality: null, error: { code: 31000, message: 'boom' } });
    post.flush(stored(input, { verdict: 'poor' }));
    const last = seen.at(-1);
    expect(last?.phase).toBe('failed');
    expect(last?.message).toMatch(/^The line test failed: .+/);
    expect(last?.result?.verdict).toBe('poor');
  });

  it('no token: fails at once with a message, without running the preflight', () => {
    const t = setUp({ tokens: new FakeVoiceTokenSource([throwError(() => new Error('401'))]) });
    t.http.expectOne(API_ROUTES.quality.lineTests).flush({ lineTests: [] });
    const seen: LineTestProgress[] = [];
    t.service.run().subscribe((p) => seen.push(p));
    expect(seen.at(-1)).toMatchObject({ phase: 'failed', result: null, message: expect.stringMatching(/voice token/) });
    expect(t.voice.commandsNamed('runPreflight')).toEqual([]);
    expect(t.service.running()).toBe(false);
  });

  it('due: unknown until loaded; then when there is no test or the last is older than lineTestMaxAgeHours', () => {
    const t = setUp({ maxAgeHours: 24 });
    expect(t.service.due()).toBe(false);
    const input = { ...report, startedAt: new Date(T0 - 25 * HOUR).toISOString(), endedAt: new Date(T0 - 25 * HOUR).toISOString() };
    t.http.expectOne(API_ROUTES.quality.lineTests).flush({ lineTests: [stored({ ...input, error: null } as unknown as LineTestInput)] });
    expect(t.service.due()).toBe(true);

    TestBed.resetTestingModule();
    const fresh = setUp({ maxAgeHours: 24 });
    fresh.http.expectOne(API_ROUTES.quality.lineTests).flush({ lineTests: [stored({ ...input, endedAt: new Date(T0 - 2 * HOUR).toISOString() } as unknown as LineTestInput)] });
    expect(fresh.service.due()).toBe(false);

    TestBed.resetTestingModule();
    const none = setUp();
    none.http.expectOne(API_ROUTES.quality.lineTests).flush({ lineTests: [] });
    expect(none.service.due()).toBe(true);
  });

  it('loads after sign-in only, and forgets at sign-out', () => {
    const t = setUp({ agent: false });
    t.http.expectNone(API_ROUTES.quality.lineTests);
    t.agent.set({ identity: 'alice', displayName: 'Alice' });
    TestBed.tick();
    t.http.expectOne(API_ROUTES.quality.lineTests).flush({ lineTests: [] });
    expect(t.service.due()).toBe(true);
    t.agent.set(null);
    TestBed.tick();
    expect(t.service.due()).toBe(false);
    expect(t.service.lastTest()).toBeNull();
  });

  it('a port error (no SDK) ends failed with what to do, and is stored as a failed test', () => {
    const voice = new FakeVoicePort({ runPreflight: () => throwError(() => Object.assign(new Error('The voice SDK could not load'), { code: null })) });
    const t = setUp({ voice });
    t.http.expectOne(API_ROUTES.quality.lineTests).flush({ lineTests: [] });
    const seen: LineTestProgress[] = [];
    t.service.run().subscribe((p) => seen.push(p));
    const post = t.http.expectOne((r) => r.method === 'POST');
    expect((post.request.body as LineTestInput).error).toEqual({ code: 31000, message: 'The voice SDK could not load' });
    post.flush(stored(post.request.body as LineTestInput, { verdict: 'poor' }));
    expect(seen.at(-1)).toMatchObject({ phase: 'failed', message: expect.stringMatching(/^The line test failed: /) });
  });
});
