import type {
  AddParticipantRequest,
  ConferenceControl,
  ConferenceRequestError,
  ConferenceResult,
  ConferenceStatus,
  ConferenceView,
  ParticipantUpdate,
  ParticipantView,
} from '@switchboard/sandbox-model';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * An in-memory ConferenceControl for the REST resources' tests: conferences and participants as plain
 * records, one account's view per call, with the errors the port promises (20404 unknown or another
 * account's, 21220 hold/mute of a participant that is not connected). It records the requests it carried out.
 */
export class FakeConferenceControl implements ConferenceControl {
  readonly added: AddParticipantRequest[] = [];
  readonly updates: { callSidOrLabel: string; update: ParticipantUpdate }[] = [];
  readonly announcements: { conferenceSid: string; url: string; method: 'GET' | 'POST' }[] = [];
  private readonly conferences = new Map<string, Mutable<ConferenceView>>();
  private readonly participants = new Map<string, Mutable<ParticipantView>[]>();
  private counter = 0;

  constructor(private readonly now: () => number) {}

  /** A conference as `<Dial><Conference>` would have made it. */
  seedConference(accountSid: string, friendlyName: string, status: ConferenceStatus, dateCreated = this.now()): ConferenceView {
    const view: Mutable<ConferenceView> = { sid: this.sid('CF'), accountSid, friendlyName, status, dateCreated, dateUpdated: dateCreated };
    this.conferences.set(view.sid, view);
    this.participants.set(view.sid, []);
    return view;
  }

  /** A participant already in `conferenceSid`. */
  seedParticipant(conferenceSid: string, fields: Partial<ParticipantView> = {}): ParticipantView {
    const conference = this.conferences.get(conferenceSid);
    if (!conference) throw new Error(`no conference ${conferenceSid}`);
    const at = this.now();
    const view: Mutable<ParticipantView> = {
      callSid: this.sid('CA'), conferenceSid, accountSid: conference.accountSid, status: 'connected', hold: false, muted: false,
      coaching: false, startConferenceOnEnter: true, endConferenceOnExit: false, dateCreated: at, dateUpdated: at, ...fields,
    };
    this.participants.get(conferenceSid)?.push(view);
    return view;
  }

  list(accountSid: string, filter?: { readonly friendlyName?: string; readonly status?: ConferenceStatus }): readonly ConferenceView[] {
    return [...this.conferences.values()].filter(
      (view) =>
        view.accountSid === accountSid &&
        (filter?.friendlyName === undefined || view.friendlyName === filter.friendlyName) &&
        (filter?.status === undefined || view.status === filter.status),
    );
  }

  fetch(accountSid: string, conferenceSid: string): ConferenceView | undefined {
    const view = this.conferences.get(conferenceSid);
    return view && view.accountSid === accountSid ? { ...view } : undefined;
  }

  complete(accountSid: string, conferenceSid: string): ConferenceResult<ConferenceView> {
    const view = this.own(accountSid, conferenceSid);
    if (!view) return notFound(conferenceSid);
    view.status = 'completed';
    view.reasonConferenceEnded = 'conference-ended-via-api';
    view.dateUpdated = this.now();
    this.participants.set(conferenceSid, []);
    return { ...view };
  }

  announce(accountSid: string, conferenceSid: string, url: string, method: 'GET' | 'POST'): ConferenceResult<ConferenceView> {
    const view = this.own(accountSid, conferenceSid);
    if (!view) return notFound(conferenceSid);
    this.announcements.push({ conferenceSid, url, method });
    return { ...view };
  }

  listParticipants(accountSid: string, conferenceSid: string): ConferenceResult<readonly ParticipantView[]> {
    if (!this.own(accountSid, conferenceSid)) return notFound(conferenceSid);
    return (this.participants.get(conferenceSid) ?? []).map((view) => ({ ...view }));
  }

  fetchParticipant(accountSid: string, conferenceSid: string, callSidOrLabel: string): ConferenceResult<ParticipantView> {
    const view = this.participant(accountSid, conferenceSid, callSidOrLabel);
    return view ? { ...view } : notFound(callSidOrLabel);
  }

  async addParticipant(request: AddParticipantRequest): Promise<ConferenceResult<ParticipantView>> {
    let conference = this.own(request.accountSid, request.conference);
    if (!conference) {
      if (/^CF[0-9a-f]{32}$/i.test(request.conference)) return notFound(request.conference);
      conference =
        [...this.conferences.values()].find(
          (view) => view.accountSid === request.accountSid && view.friendlyName === request.conference && view.status !== 'completed',
        ) ?? this.seedConference(request.accountSid, request.conference, 'init');
    }
    this.added.push(request);
    return this.seedParticipant(conference.sid, {
      status: 'queued', label: request.label, muted: request.muted, coaching: request.coaching ?? false,
      callSidToCoach: request.callSidToCoach, startConferenceOnEnter: request.startConferenceOnEnter,
      endConferenceOnExit: request.endConferenceOnExit,
    });
  }

  updateParticipant(accountSid: string, conferenceSid: string, callSidOrLabel: string, update: ParticipantUpdate): ConferenceResult<ParticipantView> {
    const view = this.participant(accountSid, conferenceSid, callSidOrLabel);
    if (!view) return notFound(callSidOrLabel);
    if ((update.hold !== undefined || update.muted !== undefined) && view.status !== 'connected') {
      return { error: { status: 400, code: 21220, message: `Participant ${view.callSid} is not connected.` } };
    }
    this.updates.push({ callSidOrLabel, update });
    if (update.hold !== undefined) view.hold = update.hold;
    if (update.muted !== undefined) view.muted = update.muted;
    if (update.coaching !== undefined) view.coaching = update.coaching;
    if (update.callSidToCoach !== undefined) view.callSidToCoach = update.callSidToCoach;
    if (update.endConferenceOnExit !== undefined) view.endConferenceOnExit = update.endConferenceOnExit;
    view.dateUpdated = this.now();
    return { ...view };
  }

  removeParticipant(accountSid: string, conferenceSid: string, callSidOrLabel: string): ConferenceResult<true> {
    const view = this.participant(accountSid, conferenceSid, callSidOrLabel);
    if (!view) return notFound(callSidOrLabel);
    this.participants.set(conferenceSid, (this.participants.get(conferenceSid) ?? []).filter((other) => other !== view));
    return true;
  }

  private own(accountSid: string, conferenceSid: string): Mutable<ConferenceView> | undefined {
    const view = this.conferences.get(conferenceSid);
    return view && view.accountSid === accountSid ? view : undefined;
  }

  private participant(accountSid: string, conferenceSid: string, callSidOrLabel: string): Mutable<ParticipantView> | undefined {
    if (!this.own(accountSid, conferenceSid)) return undefined;
    return this.participants.get(conferenceSid)?.find((view) => view.callSid === callSidOrLabel || view.label === callSidOrLabel);
  }

  private sid(prefix: 'CF' | 'CA'): string {
    this.counter += 1;
    return `${prefix}${this.counter.toString(16).padStart(32, '0')}`;
  }
}

function notFound(what: string): ConferenceRequestError {
  return { error: { status: 404, code: 20404, message: `The requested resource ${what} was not found` } };
}
