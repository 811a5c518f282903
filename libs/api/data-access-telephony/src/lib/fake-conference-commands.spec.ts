import { FakeConferenceCommands } from '../testing';
import { ConferenceCommandError, type AddParticipantCommand } from './conference-commands';

const add = (label: string, conference: AddParticipantCommand['conference'], extra: Partial<AddParticipantCommand> = {}): AddParticipantCommand => ({
  conference, to: `client:${label}`, from: '+14155550100', label, timeoutSeconds: 20, startConferenceOnEnter: true, endConferenceOnExit: false,
  beep: false, callStatusCallback: { path: '/webhooks/voice/status' }, conferenceStatusCallback: { path: '/webhooks/voice/conference-status' },
  conferenceEvents: ['join', 'leave'], ...extra,
});
const failureOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: ConferenceCommandError) => error.failure);

/** The fake keeps Twilio's rules, so callers' unit tests exercise the same outcomes as the real adapter gives. */
describe('FakeConferenceCommands', () => {
  it('creates a conference by name, keeps participants ringing until answered, and records every command', async () => {
    const fake = new FakeConferenceCommands();
    const customer = await fake.addParticipant(add('customer', { friendlyName: 'call-1' }));
    expect(await fake.findConferenceByName('call-1')).toEqual({ sid: customer.conferenceSid, friendlyName: 'call-1', status: 'init' });
    expect(await failureOf(fake.setHold(customer.conferenceSid, 'customer', true))).toBe('not-connected');
    fake.answer(customer.callSid);
    expect(await fake.setHold(customer.conferenceSid, 'customer', true)).toMatchObject({ callSid: customer.callSid, hold: true });
    const agent = await fake.addParticipant(add('agent', { friendlyName: 'call-1' }));
    expect(agent.conferenceSid).toBe(customer.conferenceSid);
    expect(await failureOf(fake.addParticipant(add('agent', { sid: customer.conferenceSid })))).toBe('rejected');
    expect(fake.received.map((c) => c.name)).toEqual(['addParticipant', 'findConferenceByName', 'setHold', 'setHold', 'addParticipant', 'addParticipant']);
  });

  it('ends the conference when the last participant or one with endConferenceOnExit leaves; then it is gone', async () => {
    const fake = new FakeConferenceCommands({ answerImmediately: true });
    const customer = await fake.addParticipant(add('customer', { friendlyName: 'call-2' }));
    const agent = await fake.addParticipant(add('agent', { sid: customer.conferenceSid }, { endConferenceOnExit: true }));
    await fake.removeParticipant(customer.conferenceSid, 'customer');
    expect(await failureOf(fake.setMuted(customer.conferenceSid, 'customer', true))).toBe('participant-gone');
    fake.hangUp(agent.callSid);
    expect(fake.conference(customer.conferenceSid)?.status).toBe('completed');
    expect(await failureOf(fake.listParticipants(customer.conferenceSid))).toBe('conference-gone');
    expect(await fake.findConferenceByName('call-2')).toBeNull();
  });

  it('ends or cancels calls as Twilio does, redirects only answered ones, and fails on request', async () => {
    const fake = new FakeConferenceCommands();
    const ringing = await fake.addParticipant(add('target', { friendlyName: 'call-3' }));
    expect(await failureOf(fake.redirectCall(ringing.callSid, { path: '/webhooks/voice/voicemail' }))).toBe('not-connected');
    expect(await fake.endCall(ringing.callSid, 'cancel-if-not-answered')).toEqual({ status: 'canceled' });
    const answered = await fake.addParticipant(add('customer', { friendlyName: 'call-4' }));
    fake.answer(answered.callSid);
    expect(await fake.endCall(answered.callSid, 'cancel-if-not-answered')).toEqual({ status: 'in-progress' });
    await fake.redirectCall(answered.callSid, { path: '/webhooks/voice/voicemail' });
    expect(await fake.endCall(answered.callSid, 'hang-up')).toEqual({ status: 'completed' });
    expect(await failureOf(fake.endCall(`CA${'9'.repeat(32)}`, 'hang-up'))).toBe('call-gone');
    fake.failNext('telephony-unavailable');
    const error = await fake.completeConference(answered.conferenceSid).catch((caught: ConferenceCommandError) => caught);
    expect([error instanceof ConferenceCommandError, (error as ConferenceCommandError).retryable]).toEqual([true, true]);
  });
});
