import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import type { Voicemail } from '@switchboard/shared-contracts';
import { DISPLAY_LOCALE } from '../locale/display-locale';
import { VoicemailList } from './voicemail-list';

const vm = (id: string, heard: boolean): Voicemail => ({
  id, heard, recordingSid: 'RE' + id, callSid: 'CA' + id, from: '+15005550006', calledTarget: 'alice', durationSeconds: 75,
  receivedAt: '2026-11-24T09:00:00.000Z',
});

describe('VoicemailList', () => {
  it('plays each message from its same-origin URL and offers "mark as heard" only for new ones', async () => {
    const fixture = TestBed.createComponent(VoicemailList);
    fixture.componentRef.setInput('items', [vm('a', false), vm('b', true)]);
    fixture.componentRef.setInput('audioUrl', (id: string) => `/api/voicemails/${id}/audio`);
    const marked: string[] = [];
    fixture.componentInstance.markHeard.subscribe((id) => marked.push(id));
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const audio = Array.from(element.querySelectorAll('audio')).map((a) => a.getAttribute('src'));
    expect(audio).toEqual(['/api/voicemails/a/audio', '/api/voicemails/b/audio']);
    expect(element.textContent).toContain('1:15');
    const buttons = await TestbedHarnessEnvironment.loader(fixture).getAllHarnesses(MatButtonHarness.with({ text: /Mark as heard/ }));
    expect(buttons.length).toBe(1);
    await buttons[0].click();
    expect(marked).toEqual(['a']);
  });

  it('says when there is no voicemail', async () => {
    const fixture = TestBed.createComponent(VoicemailList);
    fixture.componentRef.setInput('audioUrl', (id: string) => id);
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid=voicemail-empty]')).not.toBeNull();
  });

  it('names the caller from the directory and writes the time in the agent’s locale', async () => {
    TestBed.configureTestingModule({ providers: [{ provide: DISPLAY_LOCALE, useValue: 'fr-FR' }] });
    const fixture = TestBed.createComponent(VoicemailList);
    fixture.componentRef.setInput('items', [{ ...vm('a', false), from: 'client:bob' }, { ...vm('b', true), from: '+14155550100' }]);
    fixture.componentRef.setInput('agents', [{ identity: 'bob', displayName: 'Bob Brown' }]);
    fixture.componentRef.setInput('audioUrl', (id: string) => id);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const callers = Array.from(element.querySelectorAll('[data-testid=voicemail-from]')).map((e) => e.textContent?.replace(/\s+/g, ' ').trim());
    expect(callers).toEqual(['New: Bob Brown (bob)', '+1 415 555 0100']);
    expect(element.querySelector('time')?.textContent).toContain('24/11/2026');
  });
});
