import twilio from 'twilio';
import type { OutgoingCallRequest, SandboxParts } from '../../src/app/sandbox-app';

/**
 * Test-only stand-in for the TwiML engine: POSTs the TwiML App's voice URL with Twilio's parameters
 * and a real X-Twilio-Signature, understands `<Dial><Client>` only, and hangs up afterwards.
 */
export function standInTwimlRunner(parts: SandboxParts, voiceUrl: string, authToken: string) {
  return (request: OutgoingCallRequest): void => {
    void run(parts, request, voiceUrl, authToken).catch((error: unknown) => {
      parts.log('test.twiml-error', { error: String(error) });
      request.leg.hangup();
    });
  };
}

async function run(parts: SandboxParts, request: OutgoingCallRequest, voiceUrl: string, authToken: string): Promise<void> {
  const { leg } = request;
  const params: Record<string, string> = {
    AccountSid: leg.accountSid,
    ApiVersion: '2010-04-01',
    ApplicationSid: request.applicationSid,
    CallSid: leg.callSid,
    CallStatus: 'ringing',
    Direction: 'inbound',
    From: leg.from,
    Caller: leg.from,
    To: '',
    ...request.params,
  };
  const signature = twilio.getExpectedTwilioSignature(authToken, voiceUrl, params);
  const response = await fetch(voiceUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  if (!response.ok) throw new Error(`voice URL answered ${response.status}`);
  const xml = await response.text();
  const dial = /<Dial([^>]*)>([\s\S]*?)<\/Dial>/.exec(xml);
  if (!dial) return leg.hangup();
  const timeout = Number(/timeout="(\d+)"/.exec(dial[1])?.[1] ?? 30);
  const identity = /<Identity>([^<]+)<\/Identity>/.exec(dial[2])?.[1] ?? '';
  const parameters = Object.fromEntries([...dial[2].matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]));
  const outcome = await parts.core.dial(leg, {
    targets: [{ kind: 'client', identity, parameters }],
    timeoutSeconds: timeout,
    answerOnBridge: true,
  });
  parts.log('test.dial-outcome', { ...outcome });
  leg.hangup();
}
