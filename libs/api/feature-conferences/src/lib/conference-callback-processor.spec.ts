import type { CallbackInboxRepository, ConferenceEventOutcome, ConferencesRepository, PendingCallback } from '@switchboard/api-data-access-db';
import { CallProgressEvents, type CallProgressNotice } from '@switchboard/api-data-access-telephony';
import { ConferenceCallbackProcessor } from './conference-callback-processor';

const CONFERENCE = `CF${'a'.repeat(32)}`;
const CALL = `CA${'b'.repeat(32)}`;
const row = (id: number, params: Record<string, string>): PendingCallback => ({ id, kind: 'conference', params, query: {} } as unknown as PendingCallback);
const JOIN = { ConferenceSid: CONFERENCE, SequenceNumber: '3', StatusCallbackEvent: 'participant-join', CallSid: CALL, FriendlyName: 'sb-x', ParticipantLabel: 'client:bob' };

describe('ConferenceCallbackProcessor announcements', () => {
  it('announces a newly stored event once, with its conference, name, participant and label; a duplicate or unreadable one is not announced', async () => {
    const outcomes: ConferenceEventOutcome[] = ['stored', 'duplicate'];
    const conferences = { applyEvent: async () => outcomes.shift() } as unknown as ConferencesRepository;
    const inbox = { markProcessed: async () => undefined, markFailed: async () => undefined } as unknown as CallbackInboxRepository;
    const progress = new CallProgressEvents();
    const heard: CallProgressNotice[] = [];
    progress.listen((notice) => heard.push(notice));
    const processor = new ConferenceCallbackProcessor(inbox, conferences, progress);

    await processor.processStored(row(1, JOIN));
    await processor.processStored(row(2, JOIN));
    await processor.processStored(row(3, { ...JOIN, ConferenceSid: 'nonsense' }));
    expect(heard).toEqual([
      { kind: 'conference', conferenceSid: CONFERENCE, friendlyName: 'sb-x', event: 'participant-join', callSid: CALL, label: 'client:bob' },
    ]);
  });

  it('works without anyone to announce to (the announcement channel is optional)', async () => {
    const conferences = { applyEvent: async () => 'stored' } as unknown as ConferencesRepository;
    const inbox = { markProcessed: jest.fn(async () => undefined), markFailed: async () => undefined } as unknown as CallbackInboxRepository;
    await new ConferenceCallbackProcessor(inbox, conferences).processStored(row(1, JOIN));
    expect(inbox.markProcessed).toHaveBeenCalledWith(1);
  });
});
