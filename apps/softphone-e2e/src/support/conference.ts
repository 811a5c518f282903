import { request } from 'node:https';
import { SANDBOX_CREDENTIALS } from '@switchboard/shared-sandbox-defaults';
import type { RunningStack } from './fixtures';
import { eventually } from './softphone';

/**
 * A customer call anchored in a conference as the sandbox sees it: its Participants (Twilio's REST
 * resource, read as the API reads it) and what each participant's leg hears (the sandbox's leg audio
 * meter, a test hook: GET /sandbox/calls/<CallSid>/audio).
 */
export interface RestParticipant {
  readonly call_sid: string;
  readonly label: string | null;
  readonly hold: boolean;
  readonly muted: boolean;
}

/** GET on the sandbox's Twilio REST surface, signed in with the account's credentials as the API is. */
export function twilioRest<T>(sandboxUrl: string, path: string): Promise<{ status: number; body: T }> {
  const url = new URL(`/2010-04-01/Accounts/${SANDBOX_CREDENTIALS.accountSid}${path}`, sandboxUrl);
  const auth = Buffer.from(`${SANDBOX_CREDENTIALS.accountSid}:${SANDBOX_CREDENTIALS.authToken}`).toString('base64');
  return new Promise((resolveResponse, reject) => {
    const req = request(url, { method: 'GET', rejectUnauthorized: false, headers: { authorization: `Basic ${auth}` } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, body: JSON.parse(text) as T }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The participants of the conference `sb-<customerCallSid>` once it has started (empty when it has none or
 * has ended). `beforeStart`: also while it has not (Twilio's status init: an inbound customer waiting alone
 * while agents ring, their legs already participants), as a list without Status gives every live one.
 */
export async function conferenceParticipants(
  stack: RunningStack,
  customerCallSid: string,
  { beforeStart = false }: { readonly beforeStart?: boolean } = {},
): Promise<readonly RestParticipant[]> {
  const conferences = await twilioRest<{ conferences: { sid: string }[] }>(
    stack.sandboxUrl,
    `/Conferences.json?FriendlyName=sb-${customerCallSid}${beforeStart ? '' : '&Status=in-progress'}`,
  );
  const conference = conferences.body.conferences[0];
  if (!conference) return [];
  return (await twilioRest<{ participants: RestParticipant[] }>(stack.sandboxUrl, `/Conferences/${conference.sid}/Participants.json`)).body.participants;
}

/** The customer's participant (the leg that placed the call). */
export async function customerParticipant(stack: RunningStack, customerCallSid: string): Promise<RestParticipant | undefined> {
  return (await conferenceParticipants(stack, customerCallSid)).find((p) => p.call_sid === customerCallSid);
}

/** The CallSid of `identity`'s leg in the customer's conference (agents join labelled `client:<identity>`), once it has joined. */
export async function agentLegSid(stack: RunningStack, customerCallSid: string, identity: string, timeout = 20_000): Promise<string> {
  const found = await eventually(
    async () => (await conferenceParticipants(stack, customerCallSid)).find((p) => p.label === `client:${identity}`),
    (participant) => participant !== undefined,
    timeout,
    `${identity}'s participant in the conference of ${customerCallSid}`,
  );
  return (found as RestParticipant).call_sid;
}

export interface AudioLevel {
  /** RMS in 16-bit sample units; 0 is digital silence. */
  readonly rms: number;
  readonly dbfs: number | null;
}

/** What a conference leg was sent over the window: overall and per source (other CallSids, 'hold', 'wait', 'announce', 'conference'). */
export interface LegAudio extends AudioLevel {
  readonly callSid: string;
  readonly conferenceSid: string;
  readonly windowMs: number;
  readonly frames: number;
  readonly sources: Readonly<Record<string, AudioLevel>>;
}

/** Below this RMS a source is inaudible (the sandbox's silence threshold, about -50 dBFS). */
export const AUDIBLE_RMS = 100;

/**
 * What `callSid` heard over the last `windowMs` (2 s by default: Chromium's fake microphone beeps about once
 * a second, so a shorter window can fall between two beeps); undefined while it is in no live conference.
 */
export async function legAudio(stack: RunningStack, callSid: string, windowMs = 2000): Promise<LegAudio | undefined> {
  const response = await stack.sandbox<LegAudio>('GET', `/sandbox/calls/${callSid}/audio?windowMs=${windowMs}`);
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new Error(`GET /sandbox/calls/${callSid}/audio answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** How loud `source` is in what the leg heard (0 when absent: not heard at all). */
export function heard(audio: LegAudio | undefined, source: string): number {
  return audio?.sources[source]?.rms ?? 0;
}

/**
 * Waits until what `callSid` heard matches: `hears` sources audible and `notHears` sources absent from its
 * mix over a whole window (so after a hold or a transfer took effect end to end), and returns that reading.
 */
export async function waitForLegAudio(
  stack: RunningStack,
  callSid: string,
  expected: { readonly hears?: readonly string[]; readonly notHears?: readonly string[] },
  what: string,
  timeout = 20_000,
): Promise<LegAudio> {
  const { hears = [], notHears = [] } = expected;
  const reading = await eventually(
    () => legAudio(stack, callSid),
    (audio) =>
      audio !== undefined &&
      audio.frames * 20 >= audio.windowMs &&
      hears.every((source) => heard(audio, source) >= AUDIBLE_RMS) &&
      notHears.every((source) => audio.sources[source] === undefined),
    timeout,
    what,
  );
  return reading as LegAudio;
}
