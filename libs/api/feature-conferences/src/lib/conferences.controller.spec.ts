import { HttpStatus } from '@nestjs/common';
import type { CallbackInboxRepository, ConferencesRepository, ReceivedCallback } from '@switchboard/api-data-access-db';
import { parseConferenceCallback } from './conference-callback-params';
import { ConferenceCallbackProcessor } from './conference-callback-processor';
import { ConferencesController } from './conferences.controller';

const CF = `CF${'b'.repeat(32)}`;
const CA = `CA${'c'.repeat(32)}`;
const join = (extra: Record<string, string> = {}) => ({
  ConferenceSid: CF, FriendlyName: 'room', SequenceNumber: '3', StatusCallbackEvent: 'participant-join', CallSid: CA,
  Timestamp: 'Sun, 06 Dec 2026 10:00:03 +0000', Muted: 'false', Hold: 'false', ...extra,
});

function world(inboxFails = false, applyFails = false) {
  const received: ReceivedCallback[] = [];
  const inbox = {
    receive: jest.fn(async (callback: ReceivedCallback) => {
      if (inboxFails) throw new Error('Connection terminated unexpectedly');
      received.push(callback);
      return { id: received.length, alreadyProcessed: false };
    }),
    markProcessed: jest.fn(async () => undefined),
    markFailed: jest.fn(async () => undefined),
  };
  const conferences = { applyEvent: jest.fn(async () => { if (applyFails) throw new Error('canceling statement due to statement timeout'); return 'stored'; }) };
  const processor = new ConferenceCallbackProcessor(inbox as unknown as CallbackInboxRepository, conferences as unknown as ConferencesRepository);
  return { controller: new ConferencesController(inbox as unknown as CallbackInboxRepository, processor), inbox, conferences, received };
}

describe('ConferencesController', () => {
  it('stores the raw callback under conference SID + SequenceNumber, then applies it and marks it done', async () => {
    const { controller, inbox, conferences, received } = world();
    await controller.conferenceStatus(join({ 'Odd\u0000Name': 'x\u0000' }), 'token-1');
    expect(received).toEqual([expect.objectContaining({ kind: 'conference', deliveryKey: `conference:${CF}:3`, idempotencyToken: 'token-1' })]);
    expect(received[0].params).toMatchObject({ ConferenceSid: CF, 'Odd\uFFFDName': 'x\uFFFD' });
    expect(conferences.applyEvent).toHaveBeenCalledWith(expect.objectContaining({ conferenceSid: CF, sequenceNumber: 3, callSid: CA, at: new Date('2026-12-06T10:00:03Z') }), expect.any(Function));
    expect(inbox.markProcessed).toHaveBeenCalledWith(1);
  });

  it('answers 503 when the inbox cannot be written', async () => {
    const { controller } = world(true);
    await expect(controller.conferenceStatus(join())).rejects.toMatchObject({ status: HttpStatus.SERVICE_UNAVAILABLE });
  });

  it('answers 503 when applying fails after the raw callback was stored, and leaves the row pending', async () => {
    const { controller, inbox } = world(false, true);
    await expect(controller.conferenceStatus(join())).rejects.toMatchObject({ status: HttpStatus.SERVICE_UNAVAILABLE });
    expect(inbox.markFailed).toHaveBeenCalledWith(1, expect.stringContaining('statement timeout'));
    expect(inbox.markProcessed).not.toHaveBeenCalled();
  });

  it('answers (204) a signed callback it cannot place without storing it', async () => {
    const { controller, inbox } = world();
    for (const bad of [join({ ConferenceSid: 'CF1' }), join({ SequenceNumber: '-1' }), join({ StatusCallbackEvent: 'DROP TABLE' }), join({ CallSid: 'CA1' }), 'junk', null]) {
      await expect(controller.conferenceStatus(bad)).resolves.toBeUndefined();
    }
    expect(inbox.receive).not.toHaveBeenCalled();
  });
});

describe('parseConferenceCallback', () => {
  const now = new Date('2026-12-06T11:00:00Z');

  it('reads a participant event and a conference event', () => {
    expect(parseConferenceCallback(join(), now)).toMatchObject({ ok: true, notes: [], event: { event: 'participant-join', callSid: CA, sequenceNumber: 3 } });
    const end = parseConferenceCallback({ ConferenceSid: CF, SequenceNumber: '9', StatusCallbackEvent: 'conference-end' }, now);
    expect(end).toMatchObject({ ok: true, deliveryKey: `conference:${CF}:9`, event: { callSid: null, at: now } });
  });

  it('refuses what cannot be placed, naming the field', () => {
    expect(parseConferenceCallback(join({ ConferenceSid: `CF${'B'.repeat(32)}` }), now)).toEqual({ ok: false, reason: expect.stringContaining('ConferenceSid') });
    expect(parseConferenceCallback(join({ SequenceNumber: '1e3' }), now)).toEqual({ ok: false, reason: expect.stringContaining('SequenceNumber') });
    expect(parseConferenceCallback(join({ StatusCallbackEvent: '' }), now)).toEqual({ ok: false, reason: expect.stringContaining('StatusCallbackEvent') });
    expect(parseConferenceCallback(join({ CallSid: '' }), now)).toEqual({ ok: false, reason: expect.stringContaining('call SID') });
  });

  it('keeps an event with lesser faults, noting each', () => {
    const parsed = parseConferenceCallback(join({ StatusCallbackEvent: 'participant-teleport', Hold: 'yes', Timestamp: 'soon', CallSidEndingConference: 'x' }), now);
    expect(parsed).toMatchObject({ ok: true, event: { at: now } });
    expect(parsed.ok && parsed.notes).toEqual([
      expect.stringContaining('unknown event'), expect.stringContaining('Hold'), expect.stringContaining('CallSidEndingConference'), expect.stringContaining('Timestamp'),
    ]);
  });
});
