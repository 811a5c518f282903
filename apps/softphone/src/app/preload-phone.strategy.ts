import { Injectable } from '@angular/core';
import type { PreloadingStrategy, Route } from '@angular/router';
import { EMPTY, type Observable } from 'rxjs';

/** Route data key: fetch this lazy route's code right after the first navigation, before anyone opens it. */
export const PRELOAD_ROUTE = 'preload';

/**
 * Preloads only the routes marked `data: { preload: true }`: the shell and the phone panel, which show the
 * status chip an agent waits for after signing in. Loading them while the sign-in page is open takes their
 * chunks off the path from the Sign in click to `registered`; history, settings, floor and insights (with
 * their charts) stay on demand.
 */
@Injectable({ providedIn: 'root' })
export class PreloadPhoneStrategy implements PreloadingStrategy {
  preload(route: Route, load: () => Observable<unknown>): Observable<unknown> {
    return route.data?.[PRELOAD_ROUTE] === true ? load() : EMPTY;
  }
}
