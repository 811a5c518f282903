import { HttpException } from '@nestjs/common';
import type { AgentsRepository } from '@switchboard/api-data-access-db';
import { InProcessEventBus, LiveEventPublisher, type BusMessage } from '@switchboard/api-data-access-live-events';
import { ConferenceCommandError, type ConferenceCommandFailure, type ConferenceCommands } from '@switchboard/api-data-access-telephony';
import { MONITOR_MODES, type MonitorMode } from '@switchboard/shared-contracts';
import type { FloorQueries, MonitoredCall } from './floor-queries';
import { modeOf, MonitorService } from './monitor.service';

const ca = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
const CUSTOMER = ca(1);
const BOB_LEG = ca(2);
const SAM_LEG = ca(3);
const CONFERENCE = `CF${'1'.repeat(32)}`;

/** The monitor leg as the provider would have it, changed by the commands the service gives. */
interface LegState { muted: boolean; coaching: string | null }
const FLAGS: Readonly<Record<MonitorMode, LegState>> = {
  listen: { muted: true, coaching: null }, whisper: { muted: false, coaching: BOB_LEG }, barge: { muted: false, coaching: null },
};

function setUp({ call = callWith(['bob'], [{ identity: 'sam', muted: true, coaching: false }]), failure }: { call?: MonitoredCall | undefined; failure?: ConferenceCommandFailure } = {}) {
  const commands: string[] = [];
  const leg: LegState = { muted: true, coaching: null };
  /** Whether the customer heard the supervisor after each command. */
  const customerHeard: boolean[] = [];
  const after = () => customerHeard.push(!leg.muted && leg.coaching === null);
  const fake = {
    setMuted: async (conferenceSid: string, participant: string, muted: boolean) => {
      if (failure) throw new ConferenceCommandError(failure, 'scripted');
      commands.push(`${conferenceSid}/${participant} muted=${muted}`);
      leg.muted = muted;
      after();
    },
    setCoaching: async (conferenceSid: string, participant: string, callSidToCoach: string | null) => {
      if (failure) throw new ConferenceCommandError(failure, 'scripted');
      commands.push(`${conferenceSid}/${participant} coach=${callSidToCoach}`);
      leg.coaching = callSidToCoach;
      after();
    },
  } as unknown as ConferenceCommands;
  const queries = { monitoredCall: async (sid: string) => (sid === CUSTOMER ? call : undefined) } as unknown as FloorQueries;
  const agents = { findByIdentity: async (identity: string) => (identity === 'sam' ? { displayName: 'Sam Supervisor' } : undefined) } as unknown as AgentsRepository;
  const bus = new InProcessEventBus();
  const messages: BusMessage[] = [];
  bus.subscribe((message) => messages.push(message));
  const service = new MonitorService(queries, fake, agents, new LiveEventPublisher(bus, 'test'));
  return { service, commands, leg, customerHeard, messages };
}

function callWith(agents: readonly string[], monitors: ReadonlyArray<{ identity: string; muted: boolean; coaching: boolean }>): MonitoredCall {
  return {
    conferenceSid: CONFERENCE, customerCallSid: CUSTOMER,
    agentLegs: agents.map((identity, index) => ({ callSid: index === 0 ? BOB_LEG : ca(10 + index), identity })),
    monitors: monitors.map((monitor) => ({ callSid: SAM_LEG, ...monitor })),
  };
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpException) return { status: error.getStatus(), body: { message: error.message, field: (error as { field?: string }).field } };
    throw error;
  }
  throw new Error('not refused');
}

describe('MonitorService', () => {
  it('changes the monitor leg by mute and coaching, answers the new state, and tells sam and the agents on the call', async () => {
    const { service, commands, leg, messages } = setUp();
    expect(await service.setMode('sam', CUSTOMER, 'whisper')).toEqual({ customerCallSid: CUSTOMER, supervisor: 'sam', callSid: SAM_LEG, mode: 'whisper' });
    expect(commands).toEqual([`${CONFERENCE}/${SAM_LEG} coach=${BOB_LEG}`, `${CONFERENCE}/${SAM_LEG} muted=false`]);
    expect(leg).toEqual(FLAGS.whisper);
    await Promise.resolve(); // the in-process bus delivers on a later microtask
    expect(messages.map((m) => [m.event.type, m.event.data, m.audience])).toEqual([[
      'call.monitor', { customerCallSid: CUSTOMER, supervisor: 'sam', supervisorDisplayName: 'Sam Supervisor', mode: 'whisper' }, { agents: ['sam', 'bob'] },
    ]]);
  });

  it('never lets the customer hear a supervisor who is listening or whispering, whatever mode they come from', async () => {
    for (const from of MONITOR_MODES) {
      for (const to of MONITOR_MODES) {
        const { service, leg, customerHeard } = setUp();
        Object.assign(leg, FLAGS[from]);
        await service.setMode('sam', CUSTOMER, to);
        expect([from, to, leg]).toEqual([from, to, FLAGS[to]]);
        if (from !== 'barge' && to !== 'barge') expect([from, to, customerHeard]).toEqual([from, to, [false, false]]);
      }
    }
  });

  it('reads a leg\'s mode from its flags', () => {
    expect([modeOf({ muted: true, coaching: false }), modeOf({ muted: true, coaching: true }), modeOf({ muted: false, coaching: true }), modeOf({ muted: false, coaching: false })])
      .toEqual(['listen', 'listen', 'whisper', 'barge']);
  });

  it('refuses a bad mode (400 naming it), an unknown call (404), a supervisor not in the call or nobody to whisper to (409); nothing is changed', async () => {
    const { service, commands } = setUp();
    expect(await refusal(service.setMode('sam', CUSTOMER, 'shout'))).toEqual({ status: 400, body: { message: 'mode must be one of listen, whisper, barge', field: 'mode' } });
    expect((await refusal(service.setMode('sam', ca(99), 'listen'))).status).toBe(404);
    expect((await refusal(service.setMode('tess', CUSTOMER, 'listen'))).status).toBe(409);
    const alone = setUp({ call: callWith([], [{ identity: 'sam', muted: true, coaching: false }]) });
    expect((await refusal(alone.service.setMode('sam', CUSTOMER, 'whisper'))).status).toBe(409);
    expect(commands).toEqual([]);
    expect(alone.commands).toEqual([]);
  });

  it('answers 503 when the provider does not answer, 409 when the leg or the call is gone, and tells nobody', async () => {
    const unavailable = setUp({ failure: 'telephony-unavailable' });
    expect((await refusal(unavailable.service.setMode('sam', CUSTOMER, 'barge'))).status).toBe(503);
    const gone = setUp({ failure: 'participant-gone' });
    expect((await refusal(gone.service.setMode('sam', CUSTOMER, 'barge'))).status).toBe(409);
    await Promise.resolve();
    expect([...unavailable.messages, ...gone.messages]).toEqual([]);
  });
});
