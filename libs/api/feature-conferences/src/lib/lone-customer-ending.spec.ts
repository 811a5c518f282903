import type { ConferencesRepository, CurrentParticipant, TransferRecord, TransfersRepository } from '@switchboard/api-data-access-db';
import { CallProgressEvents } from '@switchboard/api-data-access-telephony';
import { FakeConferenceCommands } from '@switchboard/api-data-access-telephony/testing';
import { LoneCustomerEnding } from './lone-customer-ending';

const CUSTOMER_NAME = `sb-CA${'c'.repeat(32)}`;

/** A customer and bob in a conference of the fake provider; the record's current participants and ringing transfer are set per test. */
async function setUp() {
  const fake = new FakeConferenceCommands({ answerImmediately: true });
  const customer = await fake.addParticipant({
    conference: { friendlyName: CUSTOMER_NAME }, to: '+14155550188', from: '+14155550100', label: 'customer',
    startConferenceOnEnter: true, endConferenceOnExit: false,
  } as Parameters<FakeConferenceCommands['addParticipant']>[0]);
  const bob = await fake.addParticipant({
    conference: { friendlyName: CUSTOMER_NAME }, to: 'client:bob', from: '+14155550188', label: 'client:bob',
    startConferenceOnEnter: true, endConferenceOnExit: false,
  } as Parameters<FakeConferenceCommands['addParticipant']>[0]);
  const conferenceSid = customer.conferenceSid;
  const record = { present: [] as Pick<CurrentParticipant, 'callSid' | 'label'>[], ringingTransfer: undefined as TransferRecord | undefined };
  const conferences = { currentParticipants: async () => record.present } as unknown as ConferencesRepository;
  const transfers = { findRinging: async () => record.ringingTransfer } as unknown as TransfersRepository;
  const progress = new CallProgressEvents();
  const ending = new LoneCustomerEnding(conferences, transfers, progress, fake);
  ending.onModuleInit();
  const left = async (callSid: string, label: string) => {
    progress.publish({ kind: 'conference', conferenceSid, friendlyName: CUSTOMER_NAME, event: 'participant-leave', callSid, label });
    await ending.settled();
  };
  const completes = () => fake.received.filter((command) => command.name === 'completeConference');
  return { fake, customer, bob, conferenceSid, record, left, completes, ending };
}

describe('LoneCustomerEnding', () => {
  it("ends the conference, and so the customer's call, when the last agent leaves the customer alone; once", async () => {
    const { fake, customer, bob, conferenceSid, record, left, completes } = await setUp();
    fake.hangUp(bob.callSid);
    record.present = [{ callSid: customer.callSid, label: 'customer' }];
    expect(fake.conference(conferenceSid)?.status).toBe('in-progress'); // the gap: endConferenceOnExit=false
    await left(bob.callSid, 'client:bob');
    expect(completes()).toEqual([{ name: 'completeConference', conferenceSid }]);
    expect(fake.conference(conferenceSid)?.status).toBe('completed');
    expect(fake.calls.get(customer.callSid)).toBe('completed');
    // Another agent's leave heard later (or the same one processed again) asks nothing more.
    await left(`CA${'a'.repeat(32)}`, 'client:alice');
    expect(completes()).toHaveLength(1);
  });

  it('leaves the conference alone while another agent, or a transfer target that answered, is still in it', async () => {
    const { customer, bob, record, left, completes } = await setUp();
    record.present = [{ callSid: customer.callSid, label: 'customer' }, { callSid: `CA${'a'.repeat(32)}`, label: 'client:alice' }];
    await left(bob.callSid, 'client:bob');
    record.present = [{ callSid: customer.callSid, label: 'customer' }, { callSid: `CA${'e'.repeat(32)}`, label: 'transfer' }];
    await left(bob.callSid, 'client:bob');
    expect(completes()).toEqual([]);
  });

  it('leaves it alone while a transfer target is ringing, when the customer already left, and on the customer leaving', async () => {
    const { customer, bob, record, left, completes } = await setUp();
    record.present = [{ callSid: customer.callSid, label: 'customer' }];
    record.ringingTransfer = { transferId: 't1' } as TransferRecord;
    await left(bob.callSid, 'client:bob');
    record.ringingTransfer = undefined;
    record.present = [];
    await left(bob.callSid, 'client:bob');
    record.present = [{ callSid: bob.callSid, label: 'client:bob' }];
    await left(customer.callSid, 'customer');
    expect(completes()).toEqual([]);
  });

  it('takes a conference the provider already ended as done, without throwing', async () => {
    const { fake, customer, bob, record, left, completes } = await setUp();
    record.present = [{ callSid: customer.callSid, label: 'customer' }];
    fake.failNext('conference-gone');
    await expect(left(bob.callSid, 'client:bob')).resolves.toBeUndefined();
    expect(completes()).toHaveLength(1);
  });
});
