import type { CurrentParticipant } from '@switchboard/api-data-access-db';
import { toParticipantView, type DirectoryEntry } from './call-participant-view';

const now = new Date('2026-12-06T10:00:00.000Z');
const leg = (callSid: string, label: string | null, agentIdentity: string | null): CurrentParticipant =>
  ({ callSid, label, agentIdentity, joinedAt: now, hold: false, muted: false, coaching: false }) as unknown as CurrentParticipant;
const directory = new Map<string, DirectoryEntry>([['bob', { displayName: 'Bob Brown', role: 'agent' }], ['sam', { displayName: 'Sam Supervisor', role: 'supervisor' }]]);

describe('toParticipantView', () => {
  it('shows the customer masked, an agent by name, and a monitoring supervisor by name as a supervisor (not as an outside caller)', () => {
    const view = (participant: CurrentParticipant) => toParticipantView(participant, 'CA1', directory, '+14155550100', now);
    expect(view(leg('CA1', 'customer', null))).toMatchObject({ displayName: '+1 ••• ••• 0100', role: 'customer', identity: null });
    expect(view(leg('CA2', 'client:bob', 'bob'))).toMatchObject({ displayName: 'Bob Brown', role: 'agent', identity: 'bob' });
    expect(view(leg('CA3', 'monitor:sam', null))).toMatchObject({ displayName: 'Sam Supervisor', role: 'supervisor', identity: 'sam' });
    expect(view(leg('CA4', 'transfer', null))).toMatchObject({ displayName: 'Outside caller', role: 'customer' });
  });
});
