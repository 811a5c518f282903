import { loadAppConfig } from './app-config';
import { TWILIO_ENV, problemsOf } from './config-spec-helpers';

const AWAY_RULE = 'AWAY_REASONS must be a comma-separated list of id:Label (ids unique, a-z 0-9 _ - up to 40 characters; labels 1-60 characters)';

describe('AWAY_REASONS and DISPOSITION_CODES', () => {
  it('default to break, meeting, training, lunch and four dispositions, in both modes and when blank', () => {
    for (const env of [{}, { AWAY_REASONS: ' ', DISPOSITION_CODES: '' }, TWILIO_ENV]) {
      const { availability } = loadAppConfig(env);
      expect(availability.awayReasons).toEqual([
        { id: 'break', label: 'Break' }, { id: 'meeting', label: 'Meeting' }, { id: 'training', label: 'Training' }, { id: 'lunch', label: 'Lunch' },
      ]);
      expect(availability.dispositionCodes.map((c) => c.id)).toEqual(['resolved', 'follow-up', 'escalated', 'no-resolution']);
      expect(availability.dispositionCodes[1]).toEqual({ id: 'follow-up', label: 'Follow-up needed' });
    }
  });

  it('takes a configured list in its order, trimming spaces; a label may hold a colon', () => {
    const { availability } = loadAppConfig({ AWAY_REASONS: ' coaching : Coaching session , it_issue:IT: laptop broken', DISPOSITION_CODES: 'sale:Sale' });
    expect(availability.awayReasons).toEqual([{ id: 'coaching', label: 'Coaching session' }, { id: 'it_issue', label: 'IT: laptop broken' }]);
    expect(availability.dispositionCodes).toEqual([{ id: 'sale', label: 'Sale' }]);
    expect(Object.isFrozen(availability.awayReasons)).toBe(true);
  });

  it.each([
    'break', 'break:', ':Break', 'Break:Break', 'coffee break:Coffee', 'break:Break,break:Again', 'break:Break,', `break:${'x'.repeat(61)}`,
    `${'a'.repeat(41)}:Long id`,
  ])('refuses AWAY_REASONS=%s, naming the variable', (value) => {
    expect(problemsOf({ AWAY_REASONS: value })).toEqual([AWAY_RULE]);
  });

  it('refuses a bad DISPOSITION_CODES by its own name', () => {
    expect(problemsOf({ DISPOSITION_CODES: 'resolved' })).toEqual([AWAY_RULE.replace('AWAY_REASONS', 'DISPOSITION_CODES')]);
  });
});

describe('WRAP_UP_SECONDS', () => {
  it('defaults to 60 and takes 0 (no automatic end) up to 3600', () => {
    expect(loadAppConfig({}).availability.wrapUpSeconds).toBe(60);
    expect(loadAppConfig({ WRAP_UP_SECONDS: '0' }).availability.wrapUpSeconds).toBe(0);
    expect(loadAppConfig({ ...TWILIO_ENV, WRAP_UP_SECONDS: '3600' }).availability.wrapUpSeconds).toBe(3600);
  });

  it.each(['3601', '-1', '1.5', 'soon'])('refuses %s, naming the variable', (value) => {
    expect(problemsOf({ WRAP_UP_SECONDS: value })[0]).toMatch(/^WRAP_UP_SECONDS must be (a whole number )?between 0 and 3600/);
  });
});
