import { TestBed } from '@angular/core/testing';
import { describeVoiceError } from '@switchboard/shared-voice-model';
import { CallOutcomeNotice } from './call-outcome';

describe('CallOutcomeNotice', () => {
  it('shows a failed call with its code and the next step from the error vocabulary', async () => {
    const fixture = TestBed.createComponent(CallOutcomeNotice);
    fixture.componentRef.setInput('outcome', { kind: 'failed', error: describeVoiceError(53405) });
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    expect(element.querySelector('[data-testid=call-outcome]')?.textContent).toContain('error 53405');
    expect(element.querySelector('[data-testid=call-outcome-guidance]')?.textContent).toBe(describeVoiceError(53405).nextStep);
  });

  it('explains busy and no-answer, and says nothing extra for a completed call', async () => {
    const fixture = TestBed.createComponent(CallOutcomeNotice);
    const element = fixture.nativeElement as HTMLElement;
    fixture.componentRef.setInput('outcome', { kind: 'busy' });
    await fixture.whenStable();
    expect(element.textContent).toContain('Line busy');
    expect(element.querySelector('[data-testid=call-outcome-guidance]')?.textContent).toContain('few minutes');
    fixture.componentRef.setInput('outcome', { kind: 'completed' });
    await fixture.whenStable();
    expect(element.textContent).toContain('Call ended');
    expect(element.querySelector('[data-testid=call-outcome-guidance]')).toBeNull();
  });
});
