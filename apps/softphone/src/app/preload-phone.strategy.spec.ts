import { firstValueFrom, of, toArray } from 'rxjs';
import { appRoutes } from './app.routes';
import { PRELOAD_ROUTE, PreloadPhoneStrategy } from './preload-phone.strategy';

describe('PreloadPhoneStrategy', () => {
  const strategy = new PreloadPhoneStrategy();

  it('loads a route marked for preloading and leaves any other alone', async () => {
    const load = jest.fn(() => of('loaded'));
    expect(await firstValueFrom(strategy.preload({ path: 'x', data: { [PRELOAD_ROUTE]: true } }, load).pipe(toArray()))).toEqual(['loaded']);
    expect(await firstValueFrom(strategy.preload({ path: 'history' }, load).pipe(toArray()))).toEqual([]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('marks the shell and the phone panel, not history, settings, floor or insights', () => {
    const shell = appRoutes.find((route) => route.path === '' && route.loadComponent);
    const marked = (shell?.children ?? []).filter((route) => route.data?.[PRELOAD_ROUTE] === true).map((route) => route.path);
    expect(shell?.data?.[PRELOAD_ROUTE]).toBe(true);
    expect(marked).toEqual(['']);
  });
});
