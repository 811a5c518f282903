import { createHmac } from 'node:crypto';
import { loadAppConfig } from '@switchboard/api-data-access-config';
import { XMLParser } from 'fast-xml-parser';
import { getExpectedTwilioSignature } from 'twilio';
import { TwilioSignatureVerifier } from './twilio-signature-verifier';
import { TwilioTwimlRenderer } from './twilio-twiml-renderer';
import { TwilioVoiceTokenIssuer } from './twilio-voice-token-issuer';

const config = loadAppConfig({ VOICE_TOKEN_TTL_SECONDS: '600' });
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });

describe('TwilioVoiceTokenIssuer', () => {
  it('signs with the API key secret (KeyObject) a token the plain secret verifies', () => {
    const { token, expiresAt } = new TwilioVoiceTokenIssuer(config).issue('alice');
    const [header, payload, signature] = token.split('.');
    expect(createHmac('sha256', config.twilio.apiKeySecret).update(`${header}.${payload}`).digest('base64url')).toBe(signature);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(600);
    expect(expiresAt.getTime()).toBe(claims.exp * 1000);
  });
});

describe('TwilioSignatureVerifier', () => {
  it('accepts Twilio signatures over URL and params and refuses any change', () => {
    const verifier = new TwilioSignatureVerifier();
    const token = config.twilio.authToken;
    const url = 'https://x.test/webhooks/voice/status?a=1';
    const signature = getExpectedTwilioSignature(token, url, { CallSid: 'CA1' });
    expect(verifier.isValid(token, signature, url, { CallSid: 'CA1' })).toBe(true);
    expect(verifier.isValid(token, signature, url, { CallSid: 'CA2' })).toBe(false);
    expect(verifier.isValid(token, signature, 'https://x.test/webhooks/voice/status', { CallSid: 'CA1' })).toBe(false);
    expect(verifier.isValid(token, signature, 'not a url', { CallSid: 'CA1' })).toBe(false);
    expect(verifier.isValid('0'.repeat(32), signature, url, { CallSid: 'CA1' })).toBe(false); // another token's key
  });
});

describe('TwilioTwimlRenderer', () => {
  const renderer = new TwilioTwimlRenderer();
  it('escapes spoken text so a caller cannot inject verbs', () => {
    const text = renderer.render({ kind: 'say-and-hang-up', message: '<Dial>+1900</Dial> & "x"' });
    expect(xml.parse(text)).toEqual({ '?xml': { '@version': '1.0', '@encoding': 'UTF-8' }, Response: { Say: '<Dial>+1900</Dial> & "x"', Hangup: '' } });
  });

  it('renders a bare hang-up as <Hangup/> alone, the same text every time', () => {
    const first = renderer.render({ kind: 'hang-up' });
    expect(xml.parse(first)).toEqual({ '?xml': { '@version': '1.0', '@encoding': 'UTF-8' }, Response: { Hangup: '' } });
    expect(renderer.render({ kind: 'hang-up' })).toBe(first);
  });

  it('renders the line test as <Say>, <Pause length> and <Hangup>, and no <Dial>', () => {
    const text = renderer.render({ kind: 'line-test', message: 'Testing your line.', pauseSeconds: 10 });
    expect(text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say>Testing your line.</Say><Pause length="10"/><Hangup/></Response>');
  });

  it('renders <Reject> with its reason and nothing else', () => {
    for (const reason of ['rejected', 'busy'] as const) {
      expect(xml.parse(renderer.render({ kind: 'reject', reason })).Response).toEqual({ Reject: { '@reason': reason } });
    }
  });

  it('rings every member of a group inside one <Dial>', () => {
    const parsed = xml.parse(renderer.render({ kind: 'dial-clients', identities: ['a', 'b'], timeoutSeconds: 20, actionUrl: 'https://x.test/d', answerOnBridge: true }));
    expect(parsed.Response.Dial.Client).toEqual(['a', 'b']);
    expect(parsed.Response.Dial['@timeout']).toBe('20');
  });

  it('anchors a caller in a named <Conference> with its label, flags, callbacks, and GET wait music only when given', () => {
    const plan = {
      kind: 'dial-conference', conferenceName: 'sb-CA1', participantLabel: 'customer', startConferenceOnEnter: false, endConferenceOnExit: true,
      beep: false, actionUrl: 'https://x.test/d?anchor=exit', statusCallbackUrl: 'https://x.test/c', statusCallbackEvents: ['start', 'end', 'join'],
    } as const;
    const parsed = xml.parse(renderer.render({ ...plan, waitUrl: 'https://m.test/hold.mp3?a=1&b=2' }));
    expect(parsed.Response.Dial).toEqual({
      '@action': 'https://x.test/d?anchor=exit', '@method': 'POST',
      Conference: {
        '#text': 'sb-CA1', '@participantLabel': 'customer', '@startConferenceOnEnter': 'false', '@endConferenceOnExit': 'true', '@beep': 'false',
        '@waitUrl': 'https://m.test/hold.mp3?a=1&b=2', '@waitMethod': 'GET', '@statusCallback': 'https://x.test/c', '@statusCallbackMethod': 'POST',
        '@statusCallbackEvent': 'start end join',
      },
    });
    expect(xml.parse(renderer.render(plan)).Response.Dial.Conference['@waitUrl']).toBeUndefined();
    // The queue's wait document is a webhook of the API's: fetched with POST, as every webhook.
    expect(xml.parse(renderer.render({ ...plan, waitUrl: 'https://x.test/q', waitMethod: 'POST' })).Response.Dial.Conference['@waitMethod']).toBe('POST');
    expect(xml.parse(renderer.render(plan)).Response.Dial['@timeLimit']).toBeUndefined();
    expect(xml.parse(renderer.render({ ...plan, timeLimitSeconds: 3600 })).Response.Dial['@timeLimit']).toBe('3600');
  });

  it('joins a supervisor muted (listen) or coaching one call (whisper), and neither attribute unless asked', () => {
    const plan = {
      kind: 'dial-conference', conferenceName: 'sb-CA1', participantLabel: 'monitor:sam', startConferenceOnEnter: false, endConferenceOnExit: false,
      beep: false, actionUrl: 'https://x.test/d?anchor=exit', statusCallbackUrl: 'https://x.test/c', statusCallbackEvents: ['join'],
    } as const;
    const conference = (extra: object) => xml.parse(renderer.render({ ...plan, ...extra })).Response.Dial.Conference;
    expect(conference({ muted: true })['@muted']).toBe('true');
    expect(conference({ coachCallSid: 'CA2' })['@coach']).toBe('CA2');
    expect([conference({})['@muted'], conference({})['@coach'], conference({ muted: false })['@muted']]).toEqual([undefined, undefined, undefined]);
  });
});
