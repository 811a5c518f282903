import { loadAppConfig } from '@switchboard/api-data-access-config';
import { NumberCheckController } from './number-check.controller';

describe('NumberCheckController', () => {
  const controller = new NumberCheckController(loadAppConfig({}));

  it('allows a number the calling policy allows, in E.164', () => {
    expect(controller.checkNumber({ to: '+1 415 555 0111' })).toEqual({ allowed: true, e164: '+14155550111' });
  });

  it('refuses in words that never repeat the number', () => {
    const to = '+1 900 555 0199';
    const answer = controller.checkNumber({ to });
    expect(answer).toMatchObject({ allowed: false, reason: 'blocked-prefix' });
    expect(answer.allowed === false && answer.message).toMatch(/blocked by your organisation's calling policy/);
    expect(JSON.stringify(answer)).not.toContain('900');
  });

  it('explains a number it cannot read', () => {
    expect(controller.checkNumber({ to: 'call bob' })).toMatchObject({ allowed: false, reason: 'unparseable' });
  });
});
