import type { CallHandoff } from '@switchboard/shared-contracts';
import { describeHandoff } from './handoff-words';

const at = '2026-11-24T09:00:00.000Z';
const transfer = (outcome: string, targetDisplay = 'Alice Smith'): CallHandoff => ({ kind: 'transfer', byDisplay: 'Bob', targetDisplay, outcome, at });
const consult = (outcome: string): CallHandoff => ({ kind: 'consult', byDisplay: 'Bob', targetDisplay: 'Alice', outcome, at });
const rescue = (outcome: 'rejoined' | 'voicemail' | 'open' | 'ended'): CallHandoff => ({ kind: 'rescue', byDisplay: 'Bob', outcome, at });

describe('describeHandoff', () => {
  it('says who moved a transfer, to whom, and where the caller ended up', () => {
    expect(describeHandoff(transfer('transferred'))).toBe('Transferred to Alice Smith by Bob');
    expect(describeHandoff(transfer('no-answer'))).toBe('Bob tried to transfer to Alice Smith: no answer; the call came back');
    expect(describeHandoff(transfer('declined'))).toBe('Bob tried to transfer to Alice Smith: declined; the call came back');
    expect(describeHandoff(transfer('failed'))).toBe('Bob tried to transfer to Alice Smith: could not be reached; the call came back');
    expect(describeHandoff(transfer('returned'))).toBe('Bob tried to transfer to Alice Smith; the call came back');
    expect(describeHandoff(transfer('voicemail', 'support'))).toBe('Bob transferred to support; nobody answered, the caller went to voicemail');
    expect(describeHandoff(transfer('ringing'))).toBe('Bob is transferring to Alice Smith');
    expect(describeHandoff(transfer('cancelled'))).toBe('Bob cancelled a transfer to Alice Smith');
    expect(describeHandoff(transfer('something-new'))).toBe('Bob transferred to Alice Smith: something new');
  });

  it('writes a number target for reading, the national way at home', () => {
    expect(describeHandoff(transfer('transferred', '+14155550100'), 'US')).toBe('Transferred to (415) 555-0100 by Bob');
    expect(describeHandoff(transfer('transferred', '+14155550100'), 'GB')).toBe('Transferred to +1 415 555 0100 by Bob');
  });

  it('says how a consult ended', () => {
    expect(describeHandoff(consult('three-way'))).toBe('Consult with Alice by Bob: three-way');
    expect(describeHandoff(consult('completed'))).toBe('Consult with Alice by Bob: completed, handed over');
    expect(describeHandoff(consult('cancelled'))).toBe('Consult with Alice by Bob: cancelled');
    expect(describeHandoff(consult('no-answer'))).toBe('Consult with Alice by Bob: no answer');
    expect(describeHandoff(consult('answered'))).toBe('Consult with Alice by Bob: in progress');
    expect(describeHandoff(consult('returned'))).toBe('Consult with Alice by Bob: came back');
  });

  it('says who dropped out of the call and what followed', () => {
    expect(describeHandoff(rescue('rejoined'))).toBe('Bob was disconnected; rejoined');
    expect(describeHandoff(rescue('voicemail'))).toBe('Bob was disconnected; the caller went to voicemail');
    expect(describeHandoff(rescue('open'))).toBe('Bob was disconnected; waiting for them to rejoin');
    expect(describeHandoff(rescue('ended'))).toBe('Bob was disconnected; the call ended before they rejoined');
  });
});
