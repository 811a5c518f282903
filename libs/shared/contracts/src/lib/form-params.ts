/**
 * Reads one form parameter as Twilio (or the voice sandbox) posts it. A repeated key (an array), a
 * non-string or a value over `maxLength` is treated as absent: Twilio never repeats the parameters we
 * read, so a repeat is not a genuine request. Own keys only, so `toString` is never a parameter.
 */
export function formParam(body: unknown, name: string, maxLength = 256): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  if (!Object.prototype.hasOwnProperty.call(body, name)) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' && value.length <= maxLength ? value : undefined;
}
