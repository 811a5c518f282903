/**
 * Every HTTP path the API serves. The client, the API and the tests import these; nobody types a
 * path by hand. Webhook paths are what a Twilio account (or the voice sandbox) is configured to call.
 */
export const API_ROUTES = {
  auth: {
    login: '/api/auth/login',
    logout: '/api/auth/logout',
    me: '/api/auth/me',
  },
  voice: {
    token: '/api/voice/token',
  },
  /** Public: what the client needs before sign-in (mode, sandbox signaling host, SDK defaults). */
  clientConfig: '/api/client-config',
  agents: '/api/agents',
  /** The ring groups a call can be transferred to (RingGroupEntry[]), beside the agent directory. */
  ringGroups: '/api/ring-groups',
  calls: {
    list: '/api/calls',
    ringAgent: '/api/calls/ring-agent',
    /** Ask before dialling a phone number whether the calling policy allows it (the webhook enforces it again). */
    checkNumber: '/api/calls/check-number',
    /** Call control (call-control.ts), addressed by the CallSid of the agent's own leg. */
    hold: (callSid: string) => `/api/calls/${encodeURIComponent(callSid)}/hold`,
    transfer: (callSid: string) => `/api/calls/${encodeURIComponent(callSid)}/transfer`,
    consult: (callSid: string, action: 'complete' | 'cancel' | 'three-way') =>
      `/api/calls/${encodeURIComponent(callSid)}/consult/${action}`,
    rejoin: (callSid: string) => `/api/calls/${encodeURIComponent(callSid)}/rejoin`,
    /** The calls the agent dropped out of and may rejoin now (RejoinableCallsResponse); asked once the page is back. */
    rejoinable: '/api/calls/rejoinable',
    /** The agent hangs up on purpose: the API takes their leg out of the conference (no rescue follows). */
    hangUp: (callSid: string) => `/api/calls/${encodeURIComponent(callSid)}/hang-up`,
    participants: (callSid: string) => `/api/calls/${encodeURIComponent(callSid)}/participants`,
  },
  /** The signed-in agent's availability: GET (with the away reasons and dispositions), PUT to choose a state (availability.ts). */
  availability: '/api/availability',
  /** The signed-in agent's own changes of state, newest first (AvailabilityHistoryResponse). */
  availabilityHistory: '/api/availability/history',
  /** PUT, supervisors only: set an agent's state (e.g. end a forgotten break). */
  agentAvailability: (identity: string) => `/api/agents/${encodeURIComponent(identity)}/availability`,
  /** PUT, the signed-in agent's tab reports its Device and page state (PresenceReport → PresenceResponse). */
  presence: '/api/presence',
  /** GET, supervisors only: the live board's snapshot (FloorSnapshot). */
  floor: '/api/floor',
  /** PUT, the supervisor monitoring a customer call changes listen / whisper / barge (SetMonitorModeRequest). */
  monitor: (customerCallSid: string) => `/api/calls/${encodeURIComponent(customerCallSid)}/monitor`,
  /** Issue 14: call-quality records, ratings, registration timings and line tests (quality.ts). */
  quality: {
    /** POST QualityRecordInput → QualityRecordCreated (also as a sendBeacon body). */
    records: '/api/quality/records',
    /** PUT QualityRatingInput: the agent's rating of their own leg. */
    rating: (callSid: string) => `/api/quality/records/${encodeURIComponent(callSid)}/rating`,
    /** GET QualityRecordsResponse: the legs of one history call (CallRecord.id) the viewer may see. */
    forCall: (callId: string) => `/api/calls/${encodeURIComponent(callId)}/quality`,
    /** POST RegistrationSetupInput. */
    registrations: '/api/quality/registrations',
    /** POST LineTestInput → LineTest; GET LineTestsResponse (own, or `?identity=` for a supervisor). */
    lineTests: '/api/quality/line-tests',
  },
  /** Issue 14, supervisors only: InsightsReport and the same calls as CSV (InsightsQuery in the query string). */
  insights: {
    report: '/api/insights',
    csv: '/api/insights/calls.csv',
  },
  voicemails: {
    list: '/api/voicemails',
    one: (id: string) => `/api/voicemails/${encodeURIComponent(id)}`,
    audio: (id: string) => `/api/voicemails/${encodeURIComponent(id)}/audio`,
  },
  health: {
    live: '/health/live',
    ready: '/health/ready',
  },
  docs: '/api/docs',
} as const;

export const WEBHOOK_ROUTES = {
  /** TwiML App voice URL: the SDK's `device.connect()` lands here. */
  outgoing: '/webhooks/voice/outgoing',
  /** A phone number's voice URL: inbound calls from the phone network. */
  incoming: '/webhooks/voice/incoming',
  /** `<Dial action>`: what happens after the agents were rung. */
  dialComplete: '/webhooks/voice/dial-complete',
  /** `<Record recordingStatusCallback>`: a voicemail is ready. */
  recordingStatus: '/webhooks/voice/recording-status',
  /** `<Record action>`: after the caller left a message. */
  voicemailComplete: '/webhooks/voice/voicemail-complete',
  /** Call status callbacks (REST calls, `<Number statusCallback>`, TwiML App status callback). */
  status: '/webhooks/voice/status',
  /** `<Conference statusCallback>` and Participants `conferenceStatusCallback`: conference and participant events. */
  conferenceStatus: '/webhooks/voice/conference-status',
  /** `url` of a REST call that rings an agent for a supervisor: greets, then connects the supervisor. */
  ringAgentAnswered: '/webhooks/voice/ring-agent-answered',
  /** Call status callback of each leg a transfer dials (`?transfer=<id>`); passed with every Participants request. */
  transferStatus: '/webhooks/voice/transfer-status',
  /** `holdUrl` of a customer whose agent dropped out: a short message, then hold music, while the agent may rejoin. */
  rescueHold: '/webhooks/voice/rescue-hold',
  /** `waitUrl` of a queued customer's conference: the caller's position, then hold music (re-fetched when it ends). */
  queueWait: '/webhooks/voice/queue-wait',
} as const;

/** Name of the httpOnly, SameSite=Strict session cookie. */
export const SESSION_COOKIE = 'sb_session';
