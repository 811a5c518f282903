/**
 * Custom parameters between the sandbox and the Voice SDK, in the forms the SDK itself uses.
 *
 * SDK → sandbox (`invite.twilio.params`): `device.connect({ params })` encodes both name and value
 * with `encodeURIComponent` (call.ts), so a form decode gives back both exactly.
 *
 * Sandbox → SDK (`invite.parameters.Params`, from `<Client><Parameter>`): the SDK's `queryToJson`
 * (util.ts) splits on `&` and `=`, keeps the name as it stands and decodes only the value
 * (`+` as a space, then `decodeURIComponent`). Twilio therefore sends names raw and values
 * encoded; its own suite expects `custom + param` back as a name. A raw name round-trips whatever
 * it holds (`+`, spaces, `%`, non-ASCII) except `&` and `=`, which that parser splits on: those two
 * are percent-encoded so the other parameters stay intact (the SDK then shows them as `%26`/`%3D`).
 */
export function encodeParamsForSdk(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name.replace(/[&=]/g, (c) => encodeURIComponent(c))}=${encodeURIComponent(value)}`)
    .join('&');
}

/** `invite.twilio.params` as the SDK built it (a later duplicate name wins, as in a form). */
export function decodeParamsFromSdk(query: string | undefined): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(query ?? ''));
}
