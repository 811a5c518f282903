import {
  CALL_CONTROL_EVENTS_LIST,
  CALL_CONTROL_MOVES,
  CALL_CONTROL_PHASES,
  CALL_CONTROL_PHASE_WORDS,
  CALL_CONTROL_TRANSITIONS,
  isCallControlPending,
  isInControlledCall,
  nextCallControlPhase,
  type CallControlEvent,
  type CallControlPhase,
} from './call-control-machine';
import { reachableFrom } from './machine';

/**
 * The whole table written out a second time, by hand, as "event → phase" per phase: every
 * (phase, event) pair not listed here must be refused. Changing the table means changing this.
 */
const EXPECTED: Readonly<Record<CallControlPhase, string>> = {
  'no-call': 'call-controllable→idle-in-call rescue-offered→rejoin-offered',
  'idle-in-call': 'hold-requested→holding transfer-opened→choosing-target leg-dropped→dropped call-ended→no-call',
  holding: 'hold-confirmed→held request-failed→idle-in-call leg-dropped→dropped call-ended→no-call',
  held: 'resume-requested→resuming transfer-opened→choosing-while-held leg-dropped→dropped call-ended→no-call',
  resuming: 'resume-confirmed→idle-in-call request-failed→held leg-dropped→dropped call-ended→no-call',
  'choosing-target':
    'transfer-dismissed→idle-in-call cold-transfer-requested→transfer-ringing consult-requested→consult-ringing leg-dropped→dropped call-ended→no-call',
  'choosing-while-held':
    'transfer-dismissed→held cold-transfer-requested→transfer-ringing consult-requested→consult-ringing leg-dropped→dropped call-ended→no-call',
  'transfer-ringing':
    'target-answered→transferred target-missed→returned-to-you request-failed→returned-to-you cancel-requested→cancelling leg-dropped→dropped call-ended→no-call',
  transferred: 'call-ended→no-call notice-dismissed→no-call',
  'returned-to-you':
    'hold-requested→holding transfer-opened→choosing-target leg-dropped→dropped call-ended→no-call notice-dismissed→idle-in-call',
  'consult-ringing':
    'target-answered→consulting target-missed→returned-to-you request-failed→returned-to-you cancel-requested→cancelling leg-dropped→dropped call-ended→no-call',
  consulting:
    'complete-requested→completing cancel-requested→cancelling three-way-requested→joining-three-way target-missed→returned-to-you leg-dropped→dropped call-ended→no-call',
  completing: 'complete-confirmed→transferred request-failed→consulting leg-dropped→dropped call-ended→no-call',
  cancelling: 'cancel-confirmed→idle-in-call request-failed→consulting leg-dropped→dropped call-ended→no-call',
  'joining-three-way': 'three-way-confirmed→three-way request-failed→consulting leg-dropped→dropped call-ended→no-call',
  'three-way': 'leg-dropped→dropped call-ended→no-call',
  dropped: 'rescue-offered→rejoin-offered call-ended→no-call',
  'rejoin-offered': 'rejoin-requested→rejoining rejoin-expired→expired notice-dismissed→no-call',
  rejoining: 'rejoin-confirmed→back-in-call request-failed→rejoin-offered rejoin-expired→expired',
  'back-in-call':
    'resume-requested→resuming transfer-opened→choosing-while-held notice-dismissed→held leg-dropped→dropped call-ended→no-call',
  expired: 'notice-dismissed→no-call rescue-offered→rejoin-offered',
};

const expectedMoves = (phase: CallControlPhase): ReadonlyMap<string, string> =>
  new Map(EXPECTED[phase].split(' ').map((pair) => pair.split('→') as [string, string]));

describe('call-control table', () => {
  const cases = CALL_CONTROL_PHASES.flatMap((phase) => CALL_CONTROL_EVENTS_LIST.map((event) => [phase, event] as const));

  it('has a row for every phase and names only known phases and events', () => {
    expect(Object.keys(CALL_CONTROL_TRANSITIONS).sort()).toEqual([...CALL_CONTROL_PHASES].sort());
    expect(Object.keys(EXPECTED).sort()).toEqual([...CALL_CONTROL_PHASES].sort());
    for (const phase of CALL_CONTROL_PHASES) {
      for (const [event, to] of Object.entries(CALL_CONTROL_TRANSITIONS[phase])) {
        expect(CALL_CONTROL_EVENTS_LIST).toContain(event);
        expect(CALL_CONTROL_PHASES).toContain(to);
      }
    }
  });

  it.each(cases)('%s × %s: allowed exactly as written out, refused otherwise', (phase: CallControlPhase, event: CallControlEvent) => {
    expect(nextCallControlPhase(phase, event)).toBe(expectedMoves(phase).get(event) ?? null);
  });

  it('never traps the agent: from every phase the call can end (no-call is reachable)', () => {
    for (const phase of CALL_CONTROL_PHASES) expect(reachableFrom(CALL_CONTROL_MOVES, phase).has('no-call')).toBe(true);
  });

  it('every phase is reachable from no-call (no dead rows)', () => {
    expect([...reachableFrom(CALL_CONTROL_MOVES, 'no-call')].sort()).toEqual([...CALL_CONTROL_PHASES].sort());
  });

  it('every pending request can fail back to where it came from, except waiting on the target', () => {
    const pending = CALL_CONTROL_PHASES.filter(isCallControlPending);
    expect(pending.sort()).toEqual(['cancelling', 'completing', 'holding', 'joining-three-way', 'rejoining', 'resuming']);
    for (const phase of pending) expect(nextCallControlPhase(phase, 'request-failed')).not.toBeNull();
  });

  it('a cold transfer nobody answers comes back to the agent, who can act on the call at once', () => {
    let phase: CallControlPhase = 'idle-in-call';
    for (const event of ['transfer-opened', 'cold-transfer-requested', 'target-missed'] as const) {
      phase = nextCallControlPhase(phase, event) ?? phase;
    }
    expect(phase).toBe('returned-to-you');
    expect(isInControlledCall(phase)).toBe(true);
    expect(nextCallControlPhase(phase, 'hold-requested')).toBe('holding');
  });

  it('rescue: a dropped leg is offered, rejoined, and the customer is still on hold until resumed', () => {
    const path: CallControlEvent[] = ['leg-dropped', 'rescue-offered', 'rejoin-requested', 'rejoin-confirmed', 'resume-requested', 'resume-confirmed'];
    const phases = path.reduce<CallControlPhase[]>((seen, event) => [...seen, nextCallControlPhase(seen[seen.length - 1], event) as CallControlPhase], ['held']);
    expect(phases).toEqual(['held', 'dropped', 'rejoin-offered', 'rejoining', 'back-in-call', 'resuming', 'idle-in-call']);
  });

  it('has words for every phase', () => {
    for (const phase of CALL_CONTROL_PHASES) expect(CALL_CONTROL_PHASE_WORDS[phase].length).toBeGreaterThan(3);
  });
});
