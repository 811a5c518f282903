import { SOFTPHONE_SHORTCUTS, shortcutFor } from './shortcuts';

const press = (code: string, extra: Partial<KeyboardEvent> = {}) => ({
  altKey: true, ctrlKey: false, metaKey: false, shiftKey: false, repeat: false, code, key: code.slice(3).toLowerCase(), ...extra,
});

describe('shortcutFor', () => {
  it('maps Alt+A/D/H/M by physical key, so macOS Option letters work too', () => {
    expect(shortcutFor(press('KeyA', { key: 'å' }))).toBe('answer');
    expect(shortcutFor(press('KeyD'))).toBe('decline');
    expect(shortcutFor(press('KeyH'))).toBe('hangUp');
    expect(shortcutFor(press('KeyM'))).toBe('mute');
  });

  it('maps the call-control shortcuts, and no two shortcuts share a key', () => {
    expect(['KeyO', 'KeyT', 'KeyK', 'KeyJ'].map((code) => shortcutFor(press(code)))).toEqual(['hold', 'transfer', 'consult', 'rejoin']);
    const keys = Object.values(SOFTPHONE_SHORTCUTS).map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('ignores plain letters, other modifiers, auto-repeat and other keys', () => {
    expect(shortcutFor(press('KeyA', { altKey: false }))).toBeNull();
    expect(shortcutFor(press('KeyA', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press('KeyM', { repeat: true }))).toBeNull();
    expect(shortcutFor(press('KeyZ'))).toBeNull();
  });
});
