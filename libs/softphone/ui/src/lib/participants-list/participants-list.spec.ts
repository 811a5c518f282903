import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import type { CallParticipant } from '@switchboard/shared-contracts';
import { ParticipantsListHarness } from '../testing/call-control-harnesses';
import { ParticipantsList } from './participants-list';

const person = (patch: Partial<CallParticipant>): CallParticipant => ({
  participantId: 'p',
  displayName: 'Someone',
  identity: null,
  maskedNumber: null,
  role: 'agent',
  held: false,
  muted: false,
  joinedAt: '2026-12-06T09:00:00.000Z',
  ...patch,
});

describe('ParticipantsList', () => {
  it('lists each person with role, identity or masked number, and held/muted in words', async () => {
    const fixture = TestBed.createComponent(ParticipantsList);
    fixture.componentRef.setInput('participants', [
      person({ participantId: 'c', displayName: 'Caller', role: 'customer', maskedNumber: '+1 ••• ••• 0100', held: true }),
      person({ participantId: 'b', displayName: 'Bob Brown', identity: 'bob', muted: true }),
      person({ participantId: 's', displayName: 'Sue Smith', identity: 'sue', role: 'supervisor', held: true, muted: true }),
    ]);
    const list = await TestbedHarnessEnvironment.harnessForFixture(fixture, ParticipantsListHarness);
    expect(await list.getParticipants()).toEqual([
      { name: 'Caller', role: 'Caller · +1 ••• ••• 0100', states: ['On hold'] },
      { name: 'Bob Brown', role: 'Agent · bob', states: ['Muted'] },
      { name: 'Sue Smith', role: 'Supervisor · sue', states: ['On hold', 'Muted'] },
    ]);
    const icons = (fixture.nativeElement as HTMLElement).querySelectorAll('mat-icon');
    expect([...icons].every((icon) => icon.getAttribute('aria-hidden') === 'true')).toBe(true);
  });

  it('says so when nobody else is there', async () => {
    const fixture = TestBed.createComponent(ParticipantsList);
    const list = await TestbedHarnessEnvironment.harnessForFixture(fixture, ParticipantsListHarness);
    expect(await list.getParticipants()).toEqual([]);
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Nobody else yet.');
  });

  it('shows the agent\'s own entry first as "You", not by their name like a colleague', async () => {
    const fixture = TestBed.createComponent(ParticipantsList);
    fixture.componentRef.setInput('participants', [
      person({ participantId: 'c', displayName: 'Caller', role: 'customer', maskedNumber: '+1 ••• ••• 0100', held: true }),
      person({ participantId: 'a', displayName: 'Alice Adams', identity: 'alice', muted: true }),
      person({ participantId: 'b', displayName: 'Bob Brown', identity: 'bob' }),
    ]);
    fixture.componentRef.setInput('selfIdentity', 'alice');
    const list = await TestbedHarnessEnvironment.harnessForFixture(fixture, ParticipantsListHarness);
    expect(await list.getParticipants()).toEqual([
      { name: 'You', role: 'Agent', states: ['Muted'] },
      { name: 'Caller', role: 'Caller · +1 ••• ••• 0100', states: ['On hold'] },
      { name: 'Bob Brown', role: 'Agent · bob', states: [] },
    ]);
    expect((fixture.nativeElement as HTMLElement).textContent).not.toContain('Alice Adams');
  });
});
