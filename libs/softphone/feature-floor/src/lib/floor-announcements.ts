import { UNREACHABLE_REASON_WORDS, type FloorSnapshot } from '@switchboard/shared-contracts';

/**
 * What a screen-reader user hears when the board changes in a way that matters: an agent became
 * unreachable (or reachable again), a caller joined the queue. Every other change (clocks, counts,
 * quality) is there to read, not announced. Empty on the first board: nothing *changed* yet.
 */
export function floorAnnouncements(previous: FloorSnapshot | null, next: FloorSnapshot): string[] {
  if (!previous) return [];
  const said: string[] = [];
  const before = new Map(previous.agents.map((agent) => [agent.identity, agent]));
  for (const agent of next.agents) {
    const was = before.get(agent.identity);
    if (!was || was.reachability.reachable === agent.reachability.reachable) continue;
    const { reachable, reason } = agent.reachability;
    said.push(reachable
      ? `${agent.displayName} is reachable again.`
      : `${agent.displayName} became unreachable${reason ? `: ${UNREACHABLE_REASON_WORDS[reason]}` : ''}.`);
  }
  const waiting = new Set(previous.queue.map((caller) => caller.callSid));
  for (const caller of next.queue) {
    if (!waiting.has(caller.callSid)) said.push(`A caller is waiting in the queue, position ${caller.position} of ${next.queue.length}.`);
  }
  return said;
}
