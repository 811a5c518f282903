import {
  ConferenceCommandError,
  ConferenceCommands,
  type AddParticipantCommand,
  type ConferenceCommandFailure,
  type ConferenceParticipant,
  type ConferenceSummary,
  type EndCallMode,
  type MediaSource,
  type ParticipantRef,
  type WebhookTarget,
} from './conference-commands';

/** One command as the fake received it, for assertions. */
export type RecordedConferenceCommand =
  | { readonly name: 'addParticipant'; readonly command: AddParticipantCommand }
  | { readonly name: 'setHold'; readonly conferenceSid: string; readonly participant: ParticipantRef; readonly hold: boolean; readonly holdMusic?: MediaSource }
  | { readonly name: 'setMuted'; readonly conferenceSid: string; readonly participant: ParticipantRef; readonly muted: boolean }
  | { readonly name: 'setCoaching'; readonly conferenceSid: string; readonly participant: ParticipantRef; readonly callSidToCoach: string | null }
  | { readonly name: 'setEndConferenceOnExit'; readonly conferenceSid: string; readonly participant: ParticipantRef; readonly endConferenceOnExit: boolean }
  | { readonly name: 'removeParticipant'; readonly conferenceSid: string; readonly participant: ParticipantRef }
  | { readonly name: 'completeConference'; readonly conferenceSid: string }
  | { readonly name: 'findConferenceByName'; readonly friendlyName: string }
  | { readonly name: 'listParticipants'; readonly conferenceSid: string }
  | { readonly name: 'redirectCall'; readonly callSid: string; readonly twiml: WebhookTarget }
  | { readonly name: 'endCall'; readonly callSid: string; readonly mode: EndCallMode };

const SCRIPTED_STATUS: Readonly<Record<ConferenceCommandFailure, number | null>> = {
  'conference-gone': 404, 'participant-gone': 404, 'call-gone': 404, 'not-connected': 400, rejected: 400, 'telephony-unavailable': null,
};

interface FakeConference {
  sid: string;
  friendlyName: string;
  status: ConferenceSummary['status'];
  participants: Map<string, ConferenceParticipant>;
}

/**
 * In-memory ConferenceCommands for unit tests of callers: Twilio's rules in miniature (a name creates a
 * conference, a label is unique, only connected participants can be updated, the conference ends when
 * its last participant or one with endConferenceOnExit leaves) and the same ConferenceCommandError
 * failures. Added participants stay `ringing` until `answer()`, unless `answerImmediately` is set.
 */
export class FakeConferenceCommands extends ConferenceCommands {
  readonly received: RecordedConferenceCommand[] = [];
  /** Status of every call the fake dialled; `in-progress` once answered. */
  readonly calls = new Map<string, string>();
  private readonly conferences = new Map<string, FakeConference>();
  private readonly failures: ConferenceCommandFailure[] = [];
  private serial = 0;

  constructor(private readonly options: { readonly answerImmediately?: boolean } = {}) {
    super();
  }

  /** The next command fails with this (one per call of failNext, in order), before it changes anything. */
  failNext(failure: ConferenceCommandFailure): void {
    this.failures.push(failure);
  }

  /** The callee answers: the participant is connected and the conference in progress. */
  answer(callSid: string): void {
    const { conference, participant } = this.locate(callSid);
    this.calls.set(callSid, 'in-progress');
    conference.participants.set(callSid, { ...participant, status: 'connected' });
    if (participant.startConferenceOnEnter) conference.status = 'in-progress';
  }

  /** The participant's call ends from its side (hang-up, no answer, a crashed browser). */
  hangUp(callSid: string, status = 'completed'): void {
    this.calls.set(callSid, status);
    const found = [...this.conferences.values()].find((conference) => conference.participants.has(callSid));
    if (found) this.leave(found, callSid);
  }

  conference(sid: string): ConferenceSummary | undefined {
    const found = this.conferences.get(sid);
    return found && { sid: found.sid, friendlyName: found.friendlyName, status: found.status };
  }

  async addParticipant(command: AddParticipantCommand): Promise<{ callSid: string; conferenceSid: string }> {
    this.record({ name: 'addParticipant', command });
    const conference = 'sid' in command.conference ? this.live(command.conference.sid) : this.byNameOrNew(command.conference.friendlyName);
    if ([...conference.participants.values()].some((p) => p.label === command.label)) {
      throw new ConferenceCommandError('rejected', `Label ${command.label} is taken in this conference`, 400, 20001);
    }
    const callSid = this.sid('CA');
    this.calls.set(callSid, 'ringing');
    conference.participants.set(callSid, {
      callSid,
      conferenceSid: conference.sid,
      label: command.label,
      status: 'ringing',
      hold: false,
      muted: command.muted ?? false,
      coaching: command.coachCallSid !== undefined,
      callSidToCoach: command.coachCallSid ?? null,
      startConferenceOnEnter: command.startConferenceOnEnter,
      endConferenceOnExit: command.endConferenceOnExit,
    });
    if (this.options.answerImmediately) this.answer(callSid);
    return { callSid, conferenceSid: conference.sid };
  }

  async setHold(conferenceSid: string, participant: ParticipantRef, hold: boolean, holdMusic?: MediaSource): Promise<ConferenceParticipant> {
    this.record({ name: 'setHold', conferenceSid, participant, hold, ...(holdMusic ? { holdMusic } : {}) });
    return this.update(conferenceSid, participant, { hold });
  }

  async setMuted(conferenceSid: string, participant: ParticipantRef, muted: boolean): Promise<ConferenceParticipant> {
    this.record({ name: 'setMuted', conferenceSid, participant, muted });
    return this.update(conferenceSid, participant, { muted });
  }

  async setCoaching(conferenceSid: string, participant: ParticipantRef, callSidToCoach: string | null): Promise<ConferenceParticipant> {
    this.record({ name: 'setCoaching', conferenceSid, participant, callSidToCoach });
    return this.update(conferenceSid, participant, { coaching: callSidToCoach !== null, callSidToCoach });
  }

  async setEndConferenceOnExit(conferenceSid: string, participant: ParticipantRef, endConferenceOnExit: boolean): Promise<ConferenceParticipant> {
    this.record({ name: 'setEndConferenceOnExit', conferenceSid, participant, endConferenceOnExit });
    return this.update(conferenceSid, participant, { endConferenceOnExit });
  }

  async removeParticipant(conferenceSid: string, participant: ParticipantRef): Promise<void> {
    this.record({ name: 'removeParticipant', conferenceSid, participant });
    const found = this.participant(this.live(conferenceSid), participant);
    this.hangUp(found.callSid);
  }

  async completeConference(conferenceSid: string): Promise<ConferenceSummary> {
    this.record({ name: 'completeConference', conferenceSid });
    const conference = this.live(conferenceSid);
    for (const callSid of [...conference.participants.keys()]) this.hangUp(callSid);
    conference.status = 'completed';
    return { sid: conference.sid, friendlyName: conference.friendlyName, status: conference.status };
  }

  async findConferenceByName(friendlyName: string): Promise<ConferenceSummary | null> {
    this.record({ name: 'findConferenceByName', friendlyName });
    const found = this.liveByName(friendlyName);
    return found ? { sid: found.sid, friendlyName: found.friendlyName, status: found.status } : null;
  }

  async listParticipants(conferenceSid: string): Promise<readonly ConferenceParticipant[]> {
    this.record({ name: 'listParticipants', conferenceSid });
    return [...this.live(conferenceSid).participants.values()];
  }

  async redirectCall(callSid: string, twiml: WebhookTarget): Promise<void> {
    this.record({ name: 'redirectCall', callSid, twiml });
    const status = this.calls.get(callSid);
    if (status === undefined) throw new ConferenceCommandError('call-gone', `No call ${callSid}`, 404, 20404);
    if (status !== 'in-progress') throw new ConferenceCommandError('not-connected', 'Call is not in-progress. Cannot redirect.', 400, 21220);
    // The call leaves its conference for the new TwiML.
    const found = [...this.conferences.values()].find((conference) => conference.participants.has(callSid));
    if (found) this.leave(found, callSid);
  }

  async endCall(callSid: string, mode: EndCallMode): Promise<{ status: string }> {
    this.record({ name: 'endCall', callSid, mode });
    const status = this.calls.get(callSid);
    if (status === undefined) throw new ConferenceCommandError('call-gone', `No call ${callSid}`, 404, 20404);
    if (status === 'ringing') this.hangUp(callSid, 'canceled');
    else if (status === 'in-progress' && mode === 'hang-up') this.hangUp(callSid, 'completed');
    return { status: this.calls.get(callSid) ?? status };
  }

  private record(command: RecordedConferenceCommand): void {
    this.received.push(command);
    const failure = this.failures.shift();
    if (failure) throw new ConferenceCommandError(failure, `Scripted failure: ${failure}`, SCRIPTED_STATUS[failure]);
  }

  private update(conferenceSid: string, ref: ParticipantRef, change: Partial<ConferenceParticipant>): ConferenceParticipant {
    const conference = this.live(conferenceSid);
    const found = this.participant(conference, ref);
    if (found.status !== 'connected') throw new ConferenceCommandError('not-connected', `Participant ${found.callSid} is not connected`, 400, 21220);
    const updated = { ...found, ...change };
    conference.participants.set(found.callSid, updated);
    return updated;
  }

  private leave(conference: FakeConference, callSid: string): void {
    const leaving = conference.participants.get(callSid);
    conference.participants.delete(callSid);
    if (conference.status !== 'completed' && (leaving?.endConferenceOnExit || conference.participants.size === 0)) {
      conference.status = 'completed';
      for (const other of [...conference.participants.keys()]) this.hangUp(other);
    }
  }

  private live(sid: string): FakeConference {
    const found = this.conferences.get(sid);
    if (!found || found.status === 'completed') throw new ConferenceCommandError('conference-gone', `No live conference ${sid}`, 404, 20404);
    return found;
  }

  private liveByName(friendlyName: string): FakeConference | undefined {
    return [...this.conferences.values()].reverse().find((c) => c.friendlyName === friendlyName && c.status !== 'completed');
  }

  private byNameOrNew(friendlyName: string): FakeConference {
    const existing = this.liveByName(friendlyName);
    if (existing) return existing;
    const created: FakeConference = { sid: this.sid('CF'), friendlyName, status: 'init', participants: new Map() };
    this.conferences.set(created.sid, created);
    return created;
  }

  private participant(conference: FakeConference, ref: ParticipantRef): ConferenceParticipant {
    const found = conference.participants.get(ref) ?? [...conference.participants.values()].find((p) => p.label === ref);
    if (!found) throw new ConferenceCommandError('participant-gone', `No participant ${ref} in ${conference.sid}`, 404, 20404);
    return found;
  }

  private locate(callSid: string): { conference: FakeConference; participant: ConferenceParticipant } {
    for (const conference of this.conferences.values()) {
      const participant = conference.participants.get(callSid);
      if (participant) return { conference, participant };
    }
    throw new Error(`FakeConferenceCommands: no participant with call ${callSid}`);
  }

  private sid(prefix: 'CA' | 'CF'): string {
    this.serial += 1;
    return `${prefix}${this.serial.toString(16).padStart(32, '0')}`;
  }
}
