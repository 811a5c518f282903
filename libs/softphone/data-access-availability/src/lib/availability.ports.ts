import { DOCUMENT } from '@angular/common';
import { InjectionToken, inject } from '@angular/core';
import {
  type AgentAvailability,
  type AgentAvailabilityEvent,
  type AgentReachabilityEvent,
  type AvailabilityHistoryResponse,
  type AvailabilityResponse,
  PRESENCE_HEARTBEAT_SECONDS,
  type PresenceLifecycle,
  type PresenceReport,
  type PresenceResponse,
  type SetAvailabilityRequest,
} from '@switchboard/shared-contracts';
import { EMPTY, fromEvent, map, type Observable } from 'rxjs';

/** What went wrong with an availability or presence request: the API's sentence and what the agent should do. */
export interface AvailabilityProblem {
  readonly message: string;
  readonly nextStep: string;
}

export function isAvailabilityProblem(value: unknown): value is AvailabilityProblem {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['message'] === 'string' && typeof candidate['nextStep'] === 'string';
}

/** Anything an adapter threw, as a problem the status menu can show. */
export function toAvailabilityProblem(error: unknown): AvailabilityProblem {
  if (isAvailabilityProblem(error)) return error;
  return { message: error instanceof Error ? error.message : 'Something went wrong in the app.', nextStep: 'Try again. If it keeps failing, reload the page.' };
}

/** `GET/PUT /api/availability` and its history; errors are thrown as AvailabilityProblem. */
export interface AvailabilityPort {
  load(): Observable<AvailabilityResponse>;
  choose(request: SetAvailabilityRequest): Observable<AgentAvailability>;
  history(limit?: number): Observable<AvailabilityHistoryResponse>;
}

/** `PUT /api/presence`: one tab's report, answered with the agent's reachability. */
export interface PresencePort {
  report(report: PresenceReport): Observable<PresenceResponse>;
  /**
   * The same report sent so it outlives the page (`fetch` with `keepalive`), from `freeze` and `pagehide`,
   * where nothing after the handler runs. Fire and forget: nobody is left to read the answer.
   */
  reportBeforeLeaving(report: PresenceReport): void;
}

/** The agent's own `agent.availability` and `agent.reachability` events, and each (re)opening of the stream. */
export interface AvailabilityLiveEventsPort {
  availabilityChanges(): Observable<AgentAvailabilityEvent>;
  reachabilityChanges(): Observable<AgentReachabilityEvent>;
  /** `session.hello` / `session.resync`: changes may have been missed, so the state is fetched again. */
  streamOpened(): Observable<void>;
}

export const AVAILABILITY_PORT = new InjectionToken<AvailabilityPort>('AVAILABILITY_PORT');
export const PRESENCE_PORT = new InjectionToken<PresencePort>('PRESENCE_PORT');
export const AVAILABILITY_LIVE_EVENTS_PORT = new InjectionToken<AvailabilityLiveEventsPort>('AVAILABILITY_LIVE_EVENTS_PORT');

/**
 * What the presence reporter needs of the page beyond PAGE_LIFECYCLE: how the tab looks now, and `pagehide`
 * (the tab is closing, reloading or navigating away; `beforeunload` is not sent for every one of those).
 */
export interface PresencePage {
  /** active (visible and focused), passive (visible) or hidden. */
  visibility(): Extract<PresenceLifecycle, 'active' | 'passive' | 'hidden'>;
  readonly pageHides$: Observable<void>;
}

function browserPresencePage(): PresencePage {
  const document = inject(DOCUMENT);
  const view = document.defaultView;
  return {
    visibility: () => (document.visibilityState !== 'visible' ? 'hidden' : document.hasFocus() ? 'active' : 'passive'),
    pageHides$: view ? fromEvent(view, 'pagehide').pipe(map(() => undefined)) : EMPTY,
  };
}

export const PRESENCE_PAGE = new InjectionToken<PresencePage>('PRESENCE_PAGE', { providedIn: 'root', factory: browserPresencePage });

const TAB_ID_KEY = 'switchboard.presence.tabId';

/** A fresh tab id: 22 url-safe characters (PresenceReport.tabId allows 8–64 of [A-Za-z0-9_-]). */
export function newTabId(random: () => number = Math.random): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  let id = '';
  for (let i = 0; i < 22; i++) id += alphabet[Math.floor(random() * alphabet.length)];
  return id;
}

/**
 * This tab's id, kept in sessionStorage so a reload keeps it (the API replaces the tab's report instead of
 * waiting for the old one to expire) while a second tab gets its own.
 */
function sessionTabId(): string {
  const storage = inject(DOCUMENT).defaultView?.sessionStorage;
  try {
    const saved = storage?.getItem(TAB_ID_KEY);
    if (saved && /^[A-Za-z0-9_-]{8,64}$/.test(saved)) return saved;
    const id = globalThis.crypto?.randomUUID ? globalThis.crypto.randomUUID().replace(/-/g, '') : newTabId();
    storage?.setItem(TAB_ID_KEY, id);
    return id;
  } catch {
    // Storage refused (privacy mode): one id for this page's life is still right.
    return newTabId();
  }
}

export const PRESENCE_TAB_ID = new InjectionToken<string>('PRESENCE_TAB_ID', { providedIn: 'root', factory: sessionTabId });

export interface AvailabilityStateConfig {
  /** Seconds between reports while nothing changes. */
  readonly heartbeatSeconds: number;
}

export const AVAILABILITY_STATE_CONFIG = new InjectionToken<AvailabilityStateConfig>('AVAILABILITY_STATE_CONFIG', {
  providedIn: 'root',
  factory: () => ({ heartbeatSeconds: PRESENCE_HEARTBEAT_SECONDS }),
});
