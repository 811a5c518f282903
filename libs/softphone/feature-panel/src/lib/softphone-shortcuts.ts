import type { Action } from '@ngrx/store';
import { SoftphonePanelActions, type SoftphoneViewModel } from '@switchboard/softphone-data-access-voice';
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
  }
}
