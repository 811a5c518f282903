import { loadAppConfig } from '@switchboard/api-data-access-config';
import { WEBHOOK_ROUTES } from '@switchboard/shared-contracts';
import { XMLParser } from 'fast-xml-parser';
import { queuedCustomerPlan } from './queued-customer-plan';
import { PROVIDER_HOLD_MUSIC_FILE, queuePositionMessage, queueWaitTwiml } from './queue-wait';

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false }).parse(xml) as { Response: Record<string, unknown> };
const SID = `CA${'ab'.repeat(16)}`;

describe('queue wait', () => {
  const config = loadAppConfig({ SWITCHBOARD_MODE: 'sandbox', PUBLIC_BASE_URL: 'https://switchboard.test' });

  it("says the caller's position, then plays Twilio's hold music once (the document ends, so it is fetched again)", () => {
    const twiml = parse(queueWaitTwiml(2, config));
    expect(twiml.Response).toEqual({ Say: 'You are caller number 2 in the queue. Please hold: the next available agent will take your call.', Play: PROVIDER_HOLD_MUSIC_FILE });
    expect(queuePositionMessage(1)).toContain('caller number 1');
  });

  it('plays HOLD_MUSIC_URL instead when set, escaped, and says nothing once the caller left the queue', () => {
    const withMusic = { ...config, calls: { ...config.calls, holdMusicUrl: 'https://music.test/hold.mp3?a=1&b=2' } };
    expect(queueWaitTwiml(null, withMusic)).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Play>https://music.test/hold.mp3?a=1&amp;b=2</Play></Response>');
  });

  it("anchors a queued caller in their conference with the signed queue-wait webhook as its waitUrl", () => {
    const plan = queuedCustomerPlan(SID, config);
    expect(plan).toMatchObject({ kind: 'dial-conference', conferenceName: `sb-${SID}`, participantLabel: 'customer', startConferenceOnEnter: false, endConferenceOnExit: true });
    expect(plan).toMatchObject({ waitUrl: `https://switchboard.test${WEBHOOK_ROUTES.queueWait}?call=${SID}`, waitMethod: 'POST' });
  });
});
