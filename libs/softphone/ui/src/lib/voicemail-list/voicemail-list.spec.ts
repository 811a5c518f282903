import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import type { Voicemail } from '@switchboard/shared-contracts';
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
});
