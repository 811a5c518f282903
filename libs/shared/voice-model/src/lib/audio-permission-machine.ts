import type { TransitionTable } from './machine';

/** Microphone permission, asked before the Device exists (DESIGN.md §4). */
export type MicrophonePermission = 'unknown' | 'prompting' | 'granted' | 'denied';

export const MICROPHONE_PERMISSIONS: readonly MicrophonePermission[] = ['unknown', 'prompting', 'granted', 'denied'];

export const MICROPHONE_PERMISSION_TRANSITIONS: TransitionTable<MicrophonePermission> = {
  unknown: ['prompting', 'granted', 'denied'],
  prompting: ['granted', 'denied'],
  // granted → denied: revoked in the browser's site settings; denied → granted: allowed later
  // (seen through navigator.permissions 'change'), which enables calling without a reload.
  granted: ['denied', 'prompting'],
  denied: ['granted', 'prompting'],
};

/** Outgoing calls need a microphone; incoming calls still ring so the agent can be told. */
export const canPlaceCalls = (permission: MicrophonePermission): boolean => permission === 'granted';
