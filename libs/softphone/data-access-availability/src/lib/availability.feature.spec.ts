import type { Action } from '@ngrx/store';
import type { AgentAvailability, AvailabilityResponse } from '@switchboard/shared-contracts';
import { SessionEvents } from '@switchboard/softphone-data-access-voice';
import { AvailabilityApiEvents, AvailabilityLiveEvents, AvailabilityMenuActions, PresenceReportEvents } from './availability.actions';
import { availabilityFeature, initialOwnAvailabilityState, type OwnAvailabilityState } from './availability.feature';
import { AVAILABILITY_SYNC_TRANSITIONS, CHOICES_BY_STATE, type AvailabilitySync } from './availability.machine';
import { selectAvailabilityMenuView, selectUnreachableView, selectWrapUpView } from './availability.selectors';

const reduce = (actions: readonly Action[], from: OwnAvailabilityState = initialOwnAvailabilityState): OwnAvailabilityState =>
  actions.reduce((state, action) => availabilityFeature.reducer(state, action), from);

const at = (second: number) => `2026-12-06T10:00:${String(second).padStart(2, '0')}.000Z`;
const availability = (patch: Partial<AgentAvailability> = {}): AgentAvailability => ({ identity: 'bob', state: 'available', reason: null, since: at(0), ...patch });
const response = (own: AgentAvailability = availability()): AvailabilityResponse => ({
  availability: own,
  awayReasons: [{ id: 'break', label: 'Break' }, { id: 'lunch', label: 'Lunch' }],
  dispositionCodes: [{ id: 'resolved', label: 'Resolved' }],
  wrapUpSeconds: 60,
});
const loaded = (own?: AgentAvailability) => [AvailabilityApiEvents.loadStarted(), AvailabilityApiEvents.loaded({ response: response(own) })];
const problem = { message: 'The API says why.', nextStep: 'Do this.' };

describe('availability slice', () => {
  describe('sync table', () => {
    const ALL: AvailabilitySync[] = ['signed-out', 'loading', 'ready', 'saving', 'load-failed'];
    it('can reach every phase from signed-out and return to signed-out from every other', () => {
      for (const phase of ALL) {
        if (phase !== 'signed-out') expect(AVAILABILITY_SYNC_TRANSITIONS[phase]).toContain('signed-out');
      }
      expect(AVAILABILITY_SYNC_TRANSITIONS['signed-out']).toEqual(['loading']);
    });

    it.each([
      ['a load answer without a load', [AvailabilityApiEvents.loaded({ response: response() })], 'signed-out', { kind: 'sync', from: 'signed-out', to: 'ready' }],
      ['a PUT answer while signed out', [AvailabilityApiEvents.changed({ availability: availability() })], 'signed-out', { kind: 'sync', from: 'signed-out', to: 'ready' }],
      ['a choice before the state is known', [AvailabilityApiEvents.loadStarted(), AvailabilityMenuActions.availableChosen()], 'loading', { kind: 'choice', why: 'not-ready' }],
    ] as const)('refuses %s and records it', (_, actions, sync, rejected) => {
      const state = reduce(actions);
      expect(state.sync).toBe(sync);
      expect(state.rejected).toMatchObject(rejected);
    });
  });

  describe('choices by state', () => {
    it.each([
      ['available', 'away', true],
      ['available', 'available', false],
      ['away', 'available', true],
      ['offline', 'available', true],
      ['offline', 'away', true],
      ['on-call', 'available', false],
      ['on-call', 'away', false],
      ['wrap-up', 'away', false],
      ['wrap-up', 'available', false],
    ] as const)('from %s, choosing %s is sent: %s', (from, choice, sent) => {
      expect(CHOICES_BY_STATE[from].includes(choice)).toBe(sent);
      const action = choice === 'away' ? AvailabilityMenuActions.awayChosen({ reason: 'break' }) : AvailabilityMenuActions.availableChosen();
      const state = reduce([...loaded(availability({ state: from })), action]);
      expect(state.sync).toBe(sent ? 'saving' : 'ready');
      expect(state.pending).toEqual(sent ? (choice === 'away' ? { state: 'away', reason: 'break' } : { state: 'available' }) : null);
      if (!sent) expect(state.rejected).toMatchObject({ kind: 'choice', choice });
    });

    it('away for another reason is a change; for the same reason it is not', () => {
      const away = availability({ state: 'away', reason: 'break' });
      expect(reduce([...loaded(away), AvailabilityMenuActions.awayChosen({ reason: 'lunch' })]).pending).toEqual({ state: 'away', reason: 'lunch' });
      expect(reduce([...loaded(away), AvailabilityMenuActions.awayChosen({ reason: 'break' })]).rejected).toMatchObject({ why: 'same-state' });
    });

    it('takes one choice at a time: a second while saving is refused, the answer makes it ready again', () => {
      const saving = reduce([...loaded(), AvailabilityMenuActions.awayChosen({ reason: 'break' })]);
      const second = reduce([AvailabilityMenuActions.awayChosen({ reason: 'lunch' })], saving);
      expect(second.pending).toEqual({ state: 'away', reason: 'break' });
      expect(second.rejected).toMatchObject({ why: 'not-ready' });
      const answered = reduce([AvailabilityApiEvents.changed({ availability: availability({ state: 'away', reason: 'break', since: at(5) }) })], second);
      expect(answered).toMatchObject({ sync: 'ready', pending: null, own: { state: 'away', reason: 'break' }, lastChange: { previous: 'available', by: { kind: 'self' } } });
    });

    it('ends wrap-up only with the card, sending the disposition and the note if any', () => {
      const wrapUp = availability({ state: 'wrap-up', wrapUp: { callSid: 'CA1', endsAt: at(59) } });
      expect(reduce([...loaded(wrapUp), AvailabilityMenuActions.wrapUpDone({ disposition: 'resolved', note: 'Refund sent' })]).pending).toEqual({
        state: 'available', disposition: 'resolved', note: 'Refund sent',
      });
      expect(reduce([...loaded(wrapUp), AvailabilityMenuActions.wrapUpDone({ disposition: 'resolved', note: null })]).pending).toEqual({ state: 'available', disposition: 'resolved' });
      expect(reduce([...loaded(), AvailabilityMenuActions.wrapUpDone({ disposition: 'resolved', note: null })]).rejected).toMatchObject({ why: 'not-in-wrap-up' });
    });

    it('keeps the state after a refused PUT, with what to do', () => {
      const state = reduce([...loaded(), AvailabilityMenuActions.awayChosen({ reason: 'break' }), AvailabilityApiEvents.changeFailed({ problem })]);
      expect(state).toMatchObject({ sync: 'ready', pending: null, problem, own: { state: 'available' } });
      expect(reduce([AvailabilityMenuActions.problemDismissed()], state).problem).toBeNull();
    });
  });

  describe('changes from the API', () => {
    it('takes a supervisor\'s change from the live event, naming who made it', () => {
      const state = reduce([
        ...loaded(availability({ state: 'away', reason: 'break' })),
        AvailabilityLiveEvents.availabilityChanged({ event: { availability: availability({ since: at(9) }), previous: 'away', by: { kind: 'supervisor', identity: 'sam' } } }),
      ]);
      expect(state.own?.state).toBe('available');
      expect(state.lastChange).toEqual({ previous: 'away', by: { kind: 'supervisor', identity: 'sam' } });
    });

    it('drops an answer or event older than what it shows (any arrival order gives the same state)', () => {
      const newer = availability({ state: 'on-call', since: at(20) });
      const older = availability({ state: 'away', reason: 'break', since: at(10) });
      const event = (a: AgentAvailability) => AvailabilityLiveEvents.availabilityChanged({ event: { availability: a, previous: 'available', by: { kind: 'system' } } });
      expect(reduce([...loaded(), event(newer), event(older)]).own).toEqual(newer);
      expect(reduce([...loaded(), event(older), event(newer)]).own).toEqual(newer);
      const repeated = reduce([...loaded(), event(newer)]);
      expect(reduce([event(newer)], repeated)).toEqual(repeated);
    });

    it('ignores live events before the first load (its answer carries them), and a reload after reconnecting keeps the menu usable', () => {
      const early = reduce([AvailabilityLiveEvents.availabilityChanged({ event: { availability: availability(), previous: 'offline', by: { kind: 'system' } } })]);
      expect(early.own).toBeNull();
      const reloaded = reduce([...loaded(), AvailabilityApiEvents.loadStarted(), AvailabilityApiEvents.loadFailed({ problem })]);
      expect(reloaded).toMatchObject({ sync: 'ready', problem, own: { state: 'available' } });
      expect(reduce([AvailabilityApiEvents.loadStarted(), AvailabilityApiEvents.loadFailed({ problem })]).sync).toBe('load-failed');
    });

    it('keeps the newest reachability from presence answers and events, and forgets everything on sign-out', () => {
      const unreachable = { identity: 'bob', reachable: false, reason: 'tab-frozen' as const, since: at(30) };
      const state = reduce([
        ...loaded(),
        AvailabilityLiveEvents.reachabilityChanged({ reachability: unreachable }),
        PresenceReportEvents.answered({ reachability: { identity: 'bob', reachable: true, reason: null, since: at(10) } }),
      ]);
      expect(state.reachability).toEqual(unreachable);
      expect(reduce([SessionEvents.signedOut()], state)).toEqual(initialOwnAvailabilityState);
    });
  });

  describe('views', () => {
    it('shows the state with its reason and offers what the state allows', () => {
      const state = reduce(loaded(availability({ state: 'away', reason: 'lunch' })));
      const view = selectAvailabilityMenuView.projector(state);
      expect(view).toMatchObject({ state: 'away', label: 'Away: Lunch', canChooseAvailable: true, canChooseAway: true, hint: null });
      expect(view.awayOptions).toEqual([{ id: 'break', label: 'Break', isCurrent: false }, { id: 'lunch', label: 'Lunch', isCurrent: true }]);
      const onCall = selectAvailabilityMenuView.projector(reduce(loaded(availability({ state: 'on-call' }))));
      expect(onCall).toMatchObject({ label: 'On a call', canChooseAvailable: false, canChooseAway: false, hint: expect.stringMatching(/on a call/) });
    });

    it('shows the wrap-up card only in wrap-up, and the banner only while unreachable', () => {
      const wrapUp = reduce(loaded(availability({ state: 'wrap-up', wrapUp: { callSid: 'CA1', endsAt: at(59) } })));
      expect(selectWrapUpView.projector(wrapUp)).toEqual({ callSid: 'CA1', endsAt: at(59), dispositions: [{ id: 'resolved', label: 'Resolved' }], isSaving: false, problem: null });
      expect(selectWrapUpView.projector(reduce(loaded()))).toBeNull();
      expect(selectUnreachableView.projector({ identity: 'bob', reachable: false, reason: 'tab-frozen', since: at(1) })).toEqual({
        reason: 'tab-frozen', words: 'Tab frozen by the browser', nextStep: expect.stringMatching(/Bring this tab to the front/),
      });
      expect(selectUnreachableView.projector({ identity: 'bob', reachable: true, reason: null, since: at(1) })).toBeNull();
    });
  });
});
