import { MONITOR_PARAMS } from '@switchboard/shared-contracts';
import { voiceRootState } from '../../testing';
import { selectSoftphoneViewModel } from '../softphone.selectors';
import { CallCommandEvents, CallSdkEvents } from './call-sdk.actions';
import { callFeature, initialCallState, type CallState } from './call.feature';
import { MonitorEvents, monitorCallOf, monitorCallRequest } from './monitor-call';

const placed = (): CallState => {
  const { to, params } = monitorCallRequest('CA-customer', 'bob');
  let state = callFeature.reducer(initialCallState, CallCommandEvents.outgoingStarted({ callId: 'm1', to, at: 1000, params }));
  state = callFeature.reducer(state, CallSdkEvents.accepted({ callId: 'm1', callSid: 'CA-sam', at: 2000 }));
  return state;
};

const activeCallOf = (call: CallState) =>
  selectSoftphoneViewModel(voiceRootState({ connection: { phase: 'registered' }, audioDevices: { permission: 'granted' }, call })).activeCall;

describe('a monitor call', () => {
  it('is placed to monitor:<agent> with the customer call and listen as its custom parameters', () => {
    expect(monitorCallRequest('CA-customer', 'bob')).toEqual({
      to: 'monitor:bob',
      params: { [MONITOR_PARAMS.callSid]: 'CA-customer', [MONITOR_PARAMS.mode]: 'listen' },
    });
  });

  it('shows in the view as a monitor call of that agent, listening', () => {
    expect(activeCallOf(placed())).toMatchObject({ callId: 'm1', phase: 'open', monitor: { customerCallSid: 'CA-customer', agentIdentity: 'bob', mode: 'listen' } });
  });

  it('follows the mode the API confirmed', () => {
    const state = callFeature.reducer(placed(), MonitorEvents.modeChanged({ callId: 'm1', mode: 'whisper' }));
    expect(activeCallOf(state)?.monitor?.mode).toBe('whisper');
  });

  it('is not any other call: an ordinary outgoing call, or one whose parameters lack the customer call', () => {
    const ordinary = callFeature.reducer(initialCallState, CallCommandEvents.outgoingStarted({ callId: 'c1', to: 'client:bob', at: 1000 }));
    expect(activeCallOf(ordinary)?.monitor).toBeNull();
    expect(monitorCallOf({ remote: 'monitor:bob', customParameters: {} })).toBeNull();
    expect(monitorCallOf({ remote: 'client:bob', customParameters: { [MONITOR_PARAMS.callSid]: 'CA1' } })).toBeNull();
  });
});
