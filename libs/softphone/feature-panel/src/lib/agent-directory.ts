import { computed, inject, type Signal } from '@angular/core';
import { AgentDirectoryStore } from '@switchboard/softphone-data-access-api';
import { describeParty, injectHomeCountry, type PartyView } from '@switchboard/softphone-ui';

/** Names the other party of a call: colleagues by directory name, numbers written for reading here. */
export function injectPartyNamer(): Signal<(address: string) => PartyView> {
  const directory = inject(AgentDirectoryStore);
  const homeCountry = injectHomeCountry();
  return computed(() => {
    const agents = directory.agents();
    return (address: string) => describeParty(address, agents, homeCountry);
  });
}
