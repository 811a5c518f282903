import { DOCUMENT } from '@angular/common';
import { inject, Injectable } from '@angular/core';
import { PHONE_LOCK_NAME, type TabLeadership, type TabRole } from '@switchboard/softphone-data-access-voice';
import { Observable, ReplaySubject, share, Subject, type Subscription } from 'rxjs';

/**
 * Leadership with the Web Locks API: the holder of one named lock is the leader. The lock is
 * released when its tab closes or crashes, so a waiting tab takes over by itself; `steal` lets the
 * agent move the phone to the tab in front of them. Without Web Locks (an insecure origin, an old
 * browser) every tab leads, as if there were no election.
 *
 * One election per tab however many subscribe: the first subscriber (or `prepare`) makes the lock
 * request, later ones get the last role replayed, and the last one leaving releases the lock.
 */
@Injectable({ providedIn: 'root' })
export class WebLocksTabLeadership implements TabLeadership {
  private readonly locks: LockManager | undefined = inject(DOCUMENT).defaultView?.navigator?.locks;
  private readonly takeOvers = new Subject<void>();
  /** `prepare`'s own subscription: keeps the election joined between the Sign in click and the first real subscriber. */
  private prepared: Subscription | null = null;

  private readonly election$: Observable<TabRole> = new Observable<TabRole>((subscriber) => {
    const locks = this.locks;
    if (!locks) {
      subscriber.next('leader');
      return undefined;
    }
    let left = false;
    // Each request gets a generation; a request superseded by a later one (a take-over) is ignored.
    let generation = 0;
    let pending = new AbortController();
    let release: (() => void) | null = null;

    const request = (mode: 'if-available' | 'wait' | 'steal'): void => {
      const mine = ++generation;
      pending = new AbortController();
      const options: LockOptions = mode === 'if-available' ? { ifAvailable: true } : mode === 'steal' ? { steal: true } : { signal: pending.signal };
      locks
        .request(PHONE_LOCK_NAME, options, (lock) => {
          if (left || mine !== generation) return undefined;
          if (!lock) {
            subscriber.next('follower');
            request('wait');
            return undefined;
          }
          subscriber.next('leader');
          // Held until this promise settles: on leaving, or never (the tab closes and the browser frees it).
          return new Promise<void>((resolve) => (release = resolve));
        })
        .catch(() => {
          // AbortError: our lock was stolen by another tab, or our wait was cancelled by a take-over.
          if (left || mine !== generation) return;
          release = null;
          subscriber.next('follower');
          request('wait');
        });
    };

    const takeOver = this.takeOvers.subscribe(() => {
      if (release) return; // already the leader
      pending.abort();
      request('steal');
    });
    request('if-available');
    return () => {
      left = true;
      takeOver.unsubscribe();
      pending.abort();
      release?.();
    };
  }).pipe(
    // A fresh ReplaySubject per election: after everyone left (and the lock went), nobody sees the old role.
    share({ connector: () => new ReplaySubject<TabRole>(1), resetOnRefCountZero: true, resetOnError: true, resetOnComplete: true }),
  );

  readonly role$: Observable<TabRole> = new Observable<TabRole>((subscriber) => {
    const joined = this.election$.subscribe(subscriber);
    // A real subscriber now keeps the election going: prepare's hold is no longer needed (it must not
    // outlive sign-out, which unsubscribes the election effect so that another tab can take the phone).
    this.dropPrepared();
    return joined;
  });

  /** Joins the election now (the Sign in click), so the grant lands on an idle page; held until role$ is subscribed or abandon(). */
  prepare(): void {
    this.prepared ??= this.election$.subscribe();
  }

  /** Leaves an election only prepare joined (sign-in failed); one a subscriber of role$ holds goes on. */
  abandon(): void {
    this.dropPrepared();
  }

  takeOver(): void {
    this.takeOvers.next();
  }

  private dropPrepared(): void {
    const prepared = this.prepared;
    this.prepared = null;
    prepared?.unsubscribe();
  }
}
