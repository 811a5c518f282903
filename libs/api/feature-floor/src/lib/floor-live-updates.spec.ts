import { InProcessEventBus, LiveEventPublisher, type BusMessage } from '@switchboard/api-data-access-live-events';
import { CallProgressEvents, type CallProgressNotice } from '@switchboard/api-data-access-telephony';
import type { FloorCall, FloorCounts, MonitorMode } from '@switchboard/shared-contracts';
import { FloorLiveUpdates } from './floor-live-updates';
import type { CurrentCallRow, FloorQueries, MonitoredCall } from './floor-queries';
import type { FloorService } from './floor.service';
import type { MonitorService } from './monitor.service';

const ca = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
const CONFERENCE = `CF${'1'.repeat(32)}`;
const CUSTOMER = ca(1);
const BOB_LEG = ca(2);
const SAM_LEG = ca(3);
const COUNTS: FloorCounts = { answered: 1, missed: 0, abandoned: 0, averageWaitSeconds: 12, averageHandleSeconds: null };

/** The hook over fakes: bob is on the inbound customer call while `bobOnCall`; sam's monitor leg listens while `samIn`. */
function setUp() {
  const state = { bobOnCall: false, samIn: false };
  const bobCall: FloorCall = { customerCallSid: CUSTOMER, agentCallSid: BOB_LEG, direction: 'inbound', party: '+14155550150', since: '2026-12-06T10:00:00.000Z', quality: null };
  const bobRow: CurrentCallRow = { identity: 'bob', agentCallSid: BOB_LEG, customerCallSid: CUSTOMER, conferenceSid: CONFERENCE, direction: 'inbound', party: '+14155550150', since: new Date() };
  const floor = { callOf: async (identity: string) => (identity === 'bob' && state.bobOnCall ? bobCall : null), counts: async () => COUNTS } as unknown as FloorService;
  const queries = {
    currentCalls: async (identities: string[]) => new Map(identities.includes('bob') && state.bobOnCall ? [['bob', bobRow]] : []),
    isInbound: async (callSid: string) => callSid === CUSTOMER,
    callIn: async (): Promise<MonitoredCall> => ({
      conferenceSid: CONFERENCE, customerCallSid: CUSTOMER, agentLegs: [{ callSid: BOB_LEG, identity: 'bob' }],
      monitors: state.samIn ? [{ callSid: SAM_LEG, identity: 'sam', muted: true, coaching: false }] : [],
    }),
  } as unknown as FloorQueries;
  const monitorEvents: Array<[string, MonitorMode | null]> = [];
  const monitors = { publish: async (_call: MonitoredCall, supervisor: string, mode: MonitorMode | null) => void monitorEvents.push([supervisor, mode]) } as unknown as MonitorService;
  const progress = new CallProgressEvents();
  const bus = new InProcessEventBus();
  const messages: BusMessage[] = [];
  bus.subscribe((message) => messages.push(message));
  const updates = new FloorLiveUpdates(floor, queries, monitors, progress, new LiveEventPublisher(bus, 'test'));
  updates.onModuleInit();
  const notify = async (notice: CallProgressNotice) => {
    progress.publish(notice);
    await updates.settled();
    await Promise.resolve(); // the in-process bus delivers on a later microtask
  };
  const conference = (event: string, callSid: string, label: string | null): CallProgressNotice => ({
    kind: 'conference', conferenceSid: CONFERENCE, friendlyName: `sb-${CUSTOMER}`, event, callSid, label,
  });
  const published = () => messages.map((m) => [m.event.type, m.event.data, m.audience]);
  return { state, bobCall, notify, conference, published, monitorEvents, messages, updates };
}

describe('FloorLiveUpdates', () => {
  it("tells the supervisors of an agent's call starting (with today's counts, an inbound call being answered) and ending", async () => {
    const { state, bobCall, notify, conference, published, messages } = setUp();
    await notify(conference('participant-join', CUSTOMER, 'customer'));
    expect(published()).toEqual([]); // the customer is nobody's call on the board

    state.bobOnCall = true;
    await notify(conference('participant-join', BOB_LEG, 'client:bob'));
    expect(published()).toEqual([
      ['floor.call', { identity: 'bob', call: bobCall }, { supervisors: true }],
      ['floor.counts', COUNTS, { supervisors: true }],
    ]);

    messages.length = 0;
    state.bobOnCall = false;
    await notify(conference('participant-leave', BOB_LEG, 'client:bob'));
    await notify(conference('participant-hold', CUSTOMER, 'customer'));
    expect(published()).toEqual([['floor.call', { identity: 'bob', call: null }, { supervisors: true }]]);
  });

  it("recounts today when an inbound call ends, not an outbound one, nor a call still going", async () => {
    const { notify, published } = setUp();
    await notify({ kind: 'call-status', callSid: CUSTOMER, callStatus: 'in-progress' });
    await notify({ kind: 'call-status', callSid: ca(9), callStatus: 'completed' });
    expect(published()).toEqual([]);
    await notify({ kind: 'call-status', callSid: CUSTOMER, callStatus: 'completed' });
    expect(published()).toEqual([['floor.counts', COUNTS, { supervisors: true }]]);
  });

  it("tells of a supervisor's monitor leg joining in its mode and leaving, and never takes it for an agent's call", async () => {
    const { state, notify, conference, published, monitorEvents } = setUp();
    state.samIn = true;
    await notify(conference('participant-join', SAM_LEG, 'monitor:sam'));
    state.samIn = false;
    await notify(conference('participant-leave', SAM_LEG, 'monitor:sam'));
    expect(monitorEvents).toEqual([['sam', 'listen'], ['sam', null]]);
    expect(published()).toEqual([]);
  });
});
