/**
 * The panel's keyboard shortcuts. Alt+letter avoids the browser's own Ctrl shortcuts and typing;
 * the container listens, the buttons show them (tooltip, `aria-keyshortcuts`).
 */
export const SOFTPHONE_SHORTCUTS = {
  answer: { key: 'a', label: 'Alt+A', aria: 'Alt+A' },
  decline: { key: 'd', label: 'Alt+D', aria: 'Alt+D' },
  hangUp: { key: 'h', label: 'Alt+H', aria: 'Alt+H' },
  mute: { key: 'm', label: 'Alt+M', aria: 'Alt+M' },
  // Call control (issue 12). Alt+H is taken by hang up, so hold is Alt+O ("hOld").
  hold: { key: 'o', label: 'Alt+O', aria: 'Alt+O' },
  transfer: { key: 't', label: 'Alt+T', aria: 'Alt+T' },
  consult: { key: 'k', label: 'Alt+K', aria: 'Alt+K' },
  rejoin: { key: 'j', label: 'Alt+J', aria: 'Alt+J' },
  // Availability (issue 13): opens the status menu ("Status").
  status: { key: 's', label: 'Alt+S', aria: 'Alt+S' },
} as const;

export type SoftphoneShortcut = keyof typeof SOFTPHONE_SHORTCUTS;

/**
 * Which shortcut a key press means, if any. `KeyboardEvent.code` is used because Alt+letter types
 * a different character on macOS (Alt+A is "å"). Presses while typing in a field are ignored
 * unless they carry Alt (letters alone would be text).
 */
export function shortcutFor(event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code' | 'key' | 'repeat'>): SoftphoneShortcut | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.repeat) return null;
  const letter = /^Key([A-Z])$/.exec(event.code)?.[1]?.toLowerCase() ?? event.key.toLowerCase();
  for (const [name, shortcut] of Object.entries(SOFTPHONE_SHORTCUTS)) {
    if (shortcut.key === letter) return name as SoftphoneShortcut;
  }
  return null;
}
