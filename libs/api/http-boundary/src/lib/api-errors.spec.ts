import { badField, httpErrorName } from './api-errors';

describe('API errors', () => {
  it('carries the offending field', () => {
    const error = badField('identity', 'identity is invalid');
    expect(error.getStatus()).toBe(400);
    expect(error.field).toBe('identity');
  });

  it('names statuses', () => {
    expect(httpErrorName(413)).toBe('Payload Too Large');
    expect(httpErrorName(599)).toBe('Internal Server Error');
  });
});
