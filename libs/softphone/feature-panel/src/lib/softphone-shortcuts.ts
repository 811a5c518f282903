import type { Action } from '@ngrx/store';
import { SoftphonePanelActions, type CallControlView, type SoftphoneViewModel } from '@switchboard/softphone-data-access-voice';
import { shortcutFor } from '@switchboard/softphone-ui';

/** Fields where letters are text. */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'range', 'submit', 'reset'].includes(target.type);
}

/**
 * The action a key press asks for, or null. A shortcut with nothing to act on (Alt+A with no call
 * ringing) is left alone, so inside a text field it still types (Option+A is "å" on a Mac).
 * While typing in a field, mute is ignored (toggling the microphone mid-sentence by accident is
 * worse than a missing shortcut); answer, decline and hang up are urgent and still act.
 */
export function shortcutAction(event: KeyboardEvent, vm: SoftphoneViewModel): Action | null {
  const shortcut = shortcutFor(event);
  if (!shortcut) return null;
  if (shortcut === 'mute' && isEditable(event.target)) return null;
  const ringing = vm.incomingCall ?? vm.waitingCall;
  const active = vm.activeCall;
  switch (shortcut) {
    case 'answer':
      return ringing ? SoftphonePanelActions.answerClicked({ callId: ringing.callId }) : null;
    case 'decline':
      return ringing ? SoftphonePanelActions.declineClicked({ callId: ringing.callId }) : null;
    case 'hangUp':
      return active && active.phase !== 'pending' ? SoftphonePanelActions.hangUpClicked({ callId: active.callId }) : null;
    case 'mute':
      if (!active?.canControl) return null;
      return active.isMuted
        ? SoftphonePanelActions.unmuteClicked({ callId: active.callId })
        : SoftphonePanelActions.muteClicked({ callId: active.callId });
    // Call control is the call-control section's (it opens the transfer dialog): see callControlShortcut.
    case 'hold':
    case 'transfer':
    case 'consult':
    case 'rejoin':
    case 'status': // the availability status's: it opens the status menu
      return null;
  }
}

/** What a call-control shortcut asks for now; null when it has nothing to act on (so the key still types). */
export type CallControlIntent = 'hold' | 'resume' | 'transfer' | 'consult' | 'rejoin';

/**
 * Alt+O hold/resume, Alt+T transfer, Alt+K consult, Alt+J rejoin. Like mute, hold is ignored while
 * typing in a field (holding the caller mid-sentence by accident is worse than a missing shortcut);
 * a request already in flight makes every shortcut wait.
 */
export function callControlShortcut(event: KeyboardEvent, view: CallControlView): CallControlIntent | null {
  const shortcut = shortcutFor(event);
  if (shortcut === 'rejoin') return view.rejoin && !view.rejoin.isRejoining ? 'rejoin' : null;
  if (!view.visible || view.isPending) return null;
  switch (shortcut) {
    case 'hold':
      if (isEditable(event.target)) return null;
      return view.canResume ? 'resume' : view.canHold ? 'hold' : null;
    case 'transfer':
      return view.canTransfer ? 'transfer' : null;
    case 'consult':
      return view.canTransfer ? 'consult' : null;
    default:
      return null;
  }
}
