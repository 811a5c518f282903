import { LiveAnnouncer } from '@angular/cdk/a11y';
import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import { SessionStore } from '@switchboard/softphone-data-access-api';
import { CallRatingService, LineTestService } from '@switchboard/softphone-data-access-quality';
import { selectSoftphoneViewModel, toStatusView } from '@switchboard/softphone-data-access-voice';
import { DISPLAY_LOCALE } from '@switchboard/softphone-ui';
import { lineTest } from '@switchboard/softphone-ui/testing';
import { Subject, throwError } from 'rxjs';
import { LineTestOffer, LineTestOfferState } from './line-test-offer';
import { RatingSection } from './rating-section';
import { FakeLineTests, FakeRatings, callView, idleViewModel } from './testing-fixtures';

const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('quality prompts in the panel', () => {
  let store: MockStore;
  let ratings: FakeRatings;
  let lineTests: FakeLineTests;
  let announce: jest.SpyInstance;
  /** The session as the offer reads it: who is signed in (a new value is a new sign-in). */
  const session = { agent: signal<{ identity: string } | null>({ identity: 'alice' }) };

  beforeEach(() => {
    session.agent.set({ identity: 'alice' });
    ratings = new FakeRatings();
    lineTests = new FakeLineTests();
    TestBed.configureTestingModule({
      providers: [
        provideMockStore(), provideHttpClient(), provideHttpClientTesting(), { provide: DISPLAY_LOCALE, useValue: 'en-GB' },
        { provide: CallRatingService, useValue: ratings }, { provide: LineTestService, useValue: lineTests }, { provide: SessionStore, useValue: session },
      ],
    });
    store = TestBed.inject(MockStore);
    store.overrideSelector(selectSoftphoneViewModel, idleViewModel());
    announce = jest.spyOn(TestBed.inject(LiveAnnouncer), 'announce').mockResolvedValue();
  });

  function setViewModel(patch: Parameters<typeof idleViewModel>[0]) {
    store.overrideSelector(selectSoftphoneViewModel, idleViewModel(patch));
    store.refreshState();
  }

  describe('rating prompt', () => {
    async function render() {
      const fixture = TestBed.createComponent(RatingSection);
      await fixture.whenStable();
      const root = fixture.nativeElement as HTMLElement;
      const click = async (testId: string) => {
        root.querySelector<HTMLElement>(`[data-testid=${testId}]`)?.click();
        await fixture.whenStable();
      };
      return { fixture, root, click };
    }

    it('asks after a call with warnings, announces it, and sends the score with Twilio’s issue names', async () => {
      const { fixture, root, click } = await render();
      expect(root.querySelector('[data-testid=rating-prompt]')).toBeNull();
      ratings.pending.set({ callSid: 'CA1', warnings: ['high-jitter', 'high-packet-loss'], endedAt: '2026-12-06T10:00:00.000Z' });
      await fixture.whenStable();
      const prompt = root.querySelector('[data-testid=rating-prompt]');
      expect(text(prompt?.querySelector('h2'))).toBe('How was the call?');
      expect(text(prompt?.querySelector('.why'))).toBe('It had warnings: Choppy audio, Audio dropping out.');
      expect(announce).toHaveBeenCalledWith('How was the call? Rate it from 1 to 5, or choose Not now.', 'polite');
      const submit = root.querySelector<HTMLButtonElement>('[data-testid=rating-submit]');
      expect(submit?.disabled).toBe(true);
      await click('rating-score-2');
      expect(root.querySelector('[data-testid=rating-score-2]')?.getAttribute('aria-pressed')).toBe('true');
      expect(root.querySelector('[data-testid=rating-score-2]')?.getAttribute('aria-label')).toBe('2, Bad');
      root.querySelector<HTMLElement>('[data-testid=rating-issue-choppy-audio] button, [data-testid=rating-issue-choppy-audio] [role=option]')?.click();
      await fixture.whenStable();
      const done = new Subject<void>();
      ratings.result = () => done;
      await click('rating-submit');
      expect(ratings.rated).toEqual([{ score: 2, issues: ['choppy-audio'] }]);
      done.complete();
      await fixture.whenStable();
      expect(announce).toHaveBeenLastCalledWith('Thank you, your rating is saved.', 'polite');
    });

    it('says when the rating could not be saved, and dismisses on Not now', async () => {
      const { fixture, root, click } = await render();
      ratings.pending.set({ callSid: 'CA1', warnings: ['low-mos'], endedAt: '2026-12-06T10:00:00.000Z' });
      await fixture.whenStable();
      ratings.result = () => throwError(() => ({ status: 0, error: null, message: 'offline' }));
      await click('rating-score-4');
      await click('rating-submit');
      expect(root.querySelector('[data-testid=rating-error]')?.getAttribute('role')).toBe('alert');
      expect(text(root.querySelector('[data-testid=rating-error]'))).toMatch(/^The rating was not saved: .+ Try again, or choose Not now\.$/);
      await click('rating-dismiss');
      expect(ratings.pending()).toBeNull();
      expect(root.querySelector('[data-testid=rating-prompt]')).toBeNull();
    });

    it('gives way to the next call: a ringing call replaces the question', async () => {
      const { fixture, root } = await render();
      ratings.pending.set({ callSid: 'CA1', warnings: ['low-mos'], endedAt: '2026-12-06T10:00:00.000Z' });
      await fixture.whenStable();
      expect(root.querySelector('[data-testid=rating-prompt]')).not.toBeNull();
      // The rated call, still closing in the store: hidden meanwhile, but not dropped.
      setViewModel({ activeCall: callView({ callSid: 'CA1', phase: 'open' }) });
      await fixture.whenStable();
      expect(root.querySelector('[data-testid=rating-prompt]')).toBeNull();
      expect(ratings.pending()).not.toBeNull();
      setViewModel({ incomingCall: callView({ callId: 'in-2', callSid: 'CA2', direction: 'incoming', phase: 'pending', connectedAt: null }) });
      await fixture.whenStable();
      expect(root.querySelector('[data-testid=rating-prompt]')).toBeNull();
      expect(ratings.pending()).toBeNull();
    });
  });

  describe('line-test offer', () => {
    async function render() {
      const fixture = TestBed.createComponent(LineTestOffer);
      await fixture.whenStable();
      const root = fixture.nativeElement as HTMLElement;
      return { fixture, root, offer: () => root.querySelector('[data-testid=line-test-offer]') };
    }

    it('is offered only when a test is due and the phone is online and idle', async () => {
      const { fixture, offer } = await render();
      expect(text(offer()?.querySelector('h2'))).toContain('Test your line before taking calls');
      setViewModel({ activeCall: callView() });
      await fixture.whenStable();
      expect(offer()).toBeNull();
      setViewModel({ status: toStatusView('registering', null, null) });
      await fixture.whenStable();
      expect(offer()).toBeNull();
      setViewModel({});
      lineTests.due.set(false);
      await fixture.whenStable();
      expect(offer()).toBeNull();
    });

    it('runs the test with a determinate progress bar and words, announces each phase, and shows the verdict', async () => {
      const { fixture, root, offer } = await render();
      root.querySelector<HTMLButtonElement>('[data-testid=line-test-offer-run]')?.click();
      expect(lineTests.started).toBe(1);
      lineTests.runs.next({ phase: 'starting', elapsedSeconds: 0, expectedSeconds: 15, result: null, message: null });
      lineTests.runs.next({ phase: 'measuring', elapsedSeconds: 6, expectedSeconds: 15, result: null, message: null });
      await fixture.whenStable();
      const progress = root.querySelector('[data-testid=line-test-progress]');
      expect(progress?.querySelector('mat-progress-bar')?.getAttribute('aria-valuenow')).toBe('40');
      expect(progress?.querySelector('mat-progress-bar')?.getAttribute('aria-label')).toBe('Line test progress');
      expect(text(progress?.querySelector('.words'))).toBe('Measuring your line… 6 of 15 seconds');
      expect(announce).toHaveBeenCalledWith('Line test started. It takes about 15 seconds.', 'polite');
      expect(announce).toHaveBeenCalledWith('Measuring your line.', 'polite');
      lineTests.due.set(false); // the service now holds a fresh test: the card stays to show it
      lineTests.runs.next({ phase: 'done', elapsedSeconds: 15, expectedSeconds: 15, result: lineTest({ verdict: 'poor' }), message: null });
      await fixture.whenStable();
      const result = root.querySelector('[data-testid=line-test-result]');
      expect(result?.getAttribute('data-verdict')).toBe('poor');
      expect(text(result?.querySelector('.verdict'))).toContain('Poor');
      expect(text(result?.querySelector('.advice'))).toContain('Use a wired connection');
      expect(text(result?.querySelector('.figures'))).toContain('Round trip45 ms');
      expect(announce).toHaveBeenLastCalledWith(expect.stringMatching(/^Line test finished: Poor\. Callers will hear you badly/), 'polite');
      root.querySelector<HTMLButtonElement>('[data-testid=line-test-offer-close]')?.click();
      await fixture.whenStable();
      expect(offer()).toBeNull();
    });

    it('skip hides it until the next sign-in', async () => {
      const { fixture, root, offer } = await render();
      root.querySelector<HTMLButtonElement>('[data-testid=line-test-offer-skip]')?.click();
      await fixture.whenStable();
      expect(offer()).toBeNull();
      expect(TestBed.inject(LineTestOfferState).skipped()).toBe(true);
      session.agent.set({ identity: 'alice' }); // the same session restored: still skipped
      await fixture.whenStable();
      expect(offer()).toBeNull();
      session.agent.set(null); // signed out…
      await fixture.whenStable();
      session.agent.set({ identity: 'alice' }); // …and in again
      await fixture.whenStable();
      expect(offer()).not.toBeNull();
    });
  });
});
