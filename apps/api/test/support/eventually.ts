/**
 * Polls `read` until `check` holds and returns that value; throws, naming `what` and the last value, after
 * `timeoutMs`. For state the API learns of asynchronously (the sandbox's callbacks) and announces to nobody.
 */
export async function eventually<T>(
  read: () => Promise<T>, check: (value: T) => boolean, what: string, { timeoutMs = 20_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((next) => setTimeout(next, intervalMs));
  }
}
