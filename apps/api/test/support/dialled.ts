import { ConferenceCommands, type AddParticipantCommand } from '@switchboard/api-data-access-telephony';
import { PUBLIC_BASE_URL, type TestApi } from '../support';

/**
 * What a voice webhook's TwiML connects the call to. With CUSTOMER_CALL_ANCHOR=direct a phone call is
 * `<Dial><Number>`; with `conference` (the default) the caller's leg joins `<Dial><Conference>` and the API
 * adds the other side over REST, so "dialled" is that TwiML plus the participant (see FakeTelephony).
 */
export interface TwimlDial {
  readonly kind: 'number' | 'conference' | 'client';
  /** The first number, the conference's name, or the first client. */
  readonly target: string;
  /** Path and query of the `<Dial action>`: where the provider posts once the caller's `<Dial>` is over. */
  readonly actionPath: string;
  readonly timeLimit: string | undefined;
}

const textOf = (node: unknown): string => (typeof node === 'string' ? node : String((node as Record<string, unknown>)['#text'] ?? ''));

/** The `<Dial>` of parsed TwiML (support.ts parseTwiml), or null when it dials nothing. */
export function dialOf(twiml: Record<string, unknown>): TwimlDial | null {
  const dial = twiml['Dial'] as Record<string, unknown> | undefined;
  if (dial === undefined) return null;
  const action = String(dial['@action'] ?? '');
  const actionPath = action.startsWith(PUBLIC_BASE_URL) ? action.slice(PUBLIC_BASE_URL.length) : action;
  const timeLimit = dial['@timeLimit'] as string | undefined;
  const first = (name: string) => (dial[name] as unknown[] | undefined)?.[0];
  if (dial['Number']) return { kind: 'number', target: textOf(first('Number')), actionPath, timeLimit };
  if (dial['Conference'] !== undefined) return { kind: 'conference', target: textOf(dial['Conference']), actionPath, timeLimit };
  if (dial['Client']) return { kind: 'client', target: textOf(first('Client')), actionPath, timeLimit };
  throw new Error(`a <Dial> of nothing known: ${JSON.stringify(dial)}`);
}

/**
 * The provider's REST side for an app without the voice sandbox: the app's ConferenceCommands records every
 * participant the API adds (the number of an agent's anchored phone call, the agents rung for an inbound
 * caller) and answers with a made-up call SID; redirects and cancels succeed and are recorded. Nothing is
 * ever answered, so what the API dials is all a test sees.
 */
export interface FakeTelephony {
  /** Every participant the API added, in order. */
  readonly added: AddParticipantCommand[];
  /** The participants added to `conferenceName`, once `count` of them were (the API adds them after it answered the TwiML). */
  addedTo(conferenceName: string, count?: number): Promise<AddParticipantCommand[]>;
}

export function fakeTelephony(api: TestApi): FakeTelephony {
  const commands = api.app.get(ConferenceCommands);
  const added: AddParticipantCommand[] = [];
  const waiters: Array<{ name: string; count: number; resolve: (found: AddParticipantCommand[]) => void }> = [];
  const inConference = (name: string) => added.filter((command) => 'friendlyName' in command.conference && command.conference.friendlyName === name);
  const settle = () => {
    for (const waiter of [...waiters]) {
      const found = inConference(waiter.name);
      if (found.length < waiter.count) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(found);
    }
  };
  let placed = 0;
  jest.spyOn(commands, 'addParticipant').mockImplementation(async (command) => {
    added.push(command);
    settle();
    placed++;
    // `CAfa…`: never one of the SIDs the specs make (callSid(n) starts with zeros).
    return { callSid: `CAfa${placed.toString(16).padStart(30, '0')}`, conferenceSid: `CFfa${placed.toString(16).padStart(30, '0')}` };
  });
  jest.spyOn(commands, 'redirectCall').mockResolvedValue(undefined);
  jest.spyOn(commands, 'endCall').mockResolvedValue({ status: 'canceled' });
  return {
    added,
    addedTo: (name, count = 1) => new Promise((resolve) => {
      waiters.push({ name, count, resolve });
      settle();
    }),
  };
}
