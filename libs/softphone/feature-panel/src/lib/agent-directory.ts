import { inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import type { AgentDirectoryEntry } from '@switchboard/shared-contracts';
import { AgentsApi } from '@switchboard/softphone-data-access-api';
import { catchError, of } from 'rxjs';

/** The directory as a signal; an unreachable directory only means no suggestions, never a broken panel. */
export function injectAgentDirectory() {
  return toSignal(inject(AgentsApi).directory().pipe(catchError(() => of([] as readonly AgentDirectoryEntry[]))), {
    initialValue: [] as readonly AgentDirectoryEntry[],
  });
}

/** `client:bob` → Bob's display name, when Bob is in the directory. */
export function directoryName(from: string, agents: readonly AgentDirectoryEntry[]): string | null {
  if (!from.startsWith('client:')) return null;
  const identity = from.slice('client:'.length);
  return agents.find((a) => a.identity === identity)?.displayName ?? null;
}
