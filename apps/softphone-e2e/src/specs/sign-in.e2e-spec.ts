import { expect, test } from '../support/fixtures';
import { eventually, signIn, waitForChip } from '../support/softphone';
import { registrationCount } from '../support/call-checks';

test.describe('signing in and out', () => {
  test('goes online (registered with the sandbox) on sign-in, and offline and unregistered on sign-out', async ({ stack, newAgent }) => {
    const alice = await newAgent();
    const registeredBefore = await registrationCount(stack.sandbox, 'alice');

    await signIn(alice.page, stack.apiUrl, 'alice');
    await waitForChip(alice.page, 'registered');
    expect(await alice.page.getByTestId('status-chip').first().innerText()).toMatch(/online/i);

    // The API knows the session; the sandbox holds one more registration for alice.
    const me = await alice.page.request.get(`${stack.apiUrl}/api/auth/me`);
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ identity: 'alice' });
    await eventually(() => registrationCount(stack.sandbox, 'alice'), (n) => n === registeredBefore + 1, 10_000, 'alice registered in the sandbox');
    const sessionCookie = (await alice.context.cookies(stack.apiUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
    expect(sessionCookie).not.toBe('');

    await alice.page.getByTestId('sign-out-button').click();

    // What alice sees: the sign-in page (no status chip any more).
    await alice.page.getByTestId('sign-in-submit').waitFor();
    expect(new URL(alice.page.url()).pathname).toBe('/sign-in');
    expect(await alice.page.getByTestId('status-chip').count()).toBe(0);

    // The sandbox no longer has her registered, and the old session cookie is refused by the API.
    await eventually(() => registrationCount(stack.sandbox, 'alice'), (n) => n === registeredBefore, 10_000, 'alice unregistered in the sandbox');
    const stale = await fetch(`${stack.apiUrl}/api/auth/me`, { headers: { cookie: sessionCookie } });
    expect(stale.status).toBe(401);
  });
});
