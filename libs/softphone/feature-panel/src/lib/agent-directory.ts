import { computed, inject, type Signal } from '@angular/core';
import { Store } from '@ngrx/store';
import { AgentDirectoryStore } from '@switchboard/softphone-data-access-api';
import { MONITOR_TO_PREFIX, selectCallControlView, selectSoftphoneViewModel } from '@switchboard/softphone-data-access-voice';
import { describeParty, injectHomeCountry, type PartyView } from '@switchboard/softphone-ui';

/**
 * Names the other party of a call: colleagues by directory name, numbers written for reading here.
 * A rejoined call is named by who waited for the agent: its own address (the API's rejoin `to`) names no one.
 * A supervisor's monitor call (`monitor:bob`) is named as the agent's call: `Bob Brown’s call`.
 */
export function injectPartyNamer(): Signal<(address: string) => PartyView> {
  const directory = inject(AgentDirectoryStore);
  const homeCountry = injectHomeCountry();
  const store = inject(Store);
  const callControl = store.selectSignal(selectCallControlView);
  const softphone = store.selectSignal(selectSoftphoneViewModel);
  return computed(() => {
    const agents = directory.agents();
    const { rejoinedCustomer, callId } = callControl();
    const active = softphone().activeCall;
    const rejoinAddress = rejoinedCustomer !== null && active !== null && active.callId === callId ? active.remote : null;
    return (address: string) =>
      address.startsWith(MONITOR_TO_PREFIX)
        ? { name: `${describeParty(`client:${address.slice(MONITOR_TO_PREFIX.length)}`, agents).name}’s call`, detail: null }
        : rejoinAddress !== null && address === rejoinAddress ? { name: rejoinedCustomer as string, detail: null } : describeParty(address, agents, homeCountry);
  });
}
