import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import { LegDetails, StatusCallbackRequest } from '@switchboard/sandbox-model';
import { FakeTelephonyCore, MemoryLogger } from '../testing/fakes';
import { WebhookReceiver } from '../testing/webhook-receiver';
import { HttpWebhookClient } from './webhook-client';
import { StatusCallbackSender } from './status-callbacks';

const ACCOUNT = 'ACefc1f744e4b84f26a34fcf28eeb49aac';
const TOKEN = '8c514220389604b8a422ec618db0f784';
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('StatusCallbackSender (real HTTP)', () => {
  let receiver: WebhookReceiver;
  const core = new FakeTelephonyCore();
  const log = new MemoryLogger();
  const sender = new StatusCallbackSender({ webhooks: new HttpWebhookClient({ authToken: () => TOKEN }), log });
  let detach: () => void;

  beforeEach(async () => {
    receiver = await new WebhookReceiver().start();
    let first = true;
    // The first callback is answered slowly: later ones must still arrive after it.
    receiver.on('/status', (_request, res) => {
      const delay = first ? 100 : 0;
      first = false;
      setTimeout(() => {
        res.writeHead(204);
        res.end();
      }, delay);
    });
    detach = sender.attach(core);
  });

  afterEach(async () => {
    detach();
    await receiver.stop();
  });

  const details = (events: StatusCallbackRequest['events']): LegDetails => ({
    accountSid: ACCOUNT,
    from: '+14155550199',
    to: 'client:bob',
    direction: 'outbound-api',
    statusCallback: { url: `${receiver.origin}/status`, method: 'POST', events },
  });

  it('sends the requested events in order, signed, with Twilio\'s parameters', async () => {
    const leg = details(['initiated', 'ringing', 'answered', 'completed']);
    const callSid = 'CA000000000000000000000000000000a1';
    core.emit({ callSid, status: 'queued', at: T0, details: leg });
    core.emit({ callSid, status: 'initiated', at: T0 + 1, details: leg });
    core.emit({ callSid, status: 'ringing', at: T0 + 1000, details: leg });
    core.emit({ callSid, status: 'in-progress', at: T0 + 5000, details: leg });
    core.emit({ callSid, status: 'completed', at: T0 + 65000, durationSeconds: 60, details: leg });
    await sender.idle();
    expect(receiver.received.map((request) => [request.params['CallStatus'], request.params['SequenceNumber']])).toEqual([
      ['initiated', '0'], ['ringing', '1'], ['in-progress', '2'], ['completed', '3'],
    ]);
    for (const request of receiver.received) {
      expect(validateRequest(TOKEN, String(request.headers['x-twilio-signature']), request.url, request.params)).toBe(true);
    }
    expect(receiver.received[3].params).toMatchObject({
      CallSid: callSid, AccountSid: ACCOUNT, From: '+14155550199', To: 'client:bob', Direction: 'outbound-api',
      ApiVersion: '2010-04-01', CallbackSource: 'call-progress-events', CallDuration: '60', Duration: '1',
      Timestamp: 'Tue, 24 Nov 2026 12:01:05 +0000',
    });
    expect(receiver.received[0].params['CallDuration']).toBeUndefined();
  });

  it('sends only the events asked for (default: completed), with ParentCallSid for Dial children', async () => {
    const callSid = 'CA000000000000000000000000000000b2';
    const leg: LegDetails = { ...details(['completed']), direction: 'outbound-dial', parentCallSid: 'CA000000000000000000000000000000p1' };
    core.emit({ callSid, status: 'initiated', at: T0, details: leg });
    core.emit({ callSid, status: 'ringing', at: T0, details: leg });
    core.emit({ callSid, status: 'no-answer', at: T0 + 30000, durationSeconds: 0, details: leg });
    await sender.idle();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].params).toMatchObject({
      CallStatus: 'no-answer', SequenceNumber: '0', ParentCallSid: 'CA000000000000000000000000000000p1', CallDuration: '0',
    });
  });

  it('uses a watched leg\'s callback when events carry none, and sends nothing for legs without one', async () => {
    sender.watch('CA000000000000000000000000000000c3', details(['answered']));
    core.emit({ callSid: 'CA000000000000000000000000000000c3', status: 'in-progress', at: T0 });
    core.emit({ callSid: 'CA000000000000000000000000000000d4', status: 'in-progress', at: T0 });
    await sender.idle();
    expect(receiver.received.map((request) => request.params['CallSid'])).toEqual(['CA000000000000000000000000000000c3']);
  });
});
