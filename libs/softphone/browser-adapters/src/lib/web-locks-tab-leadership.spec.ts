import { DOCUMENT } from '@angular/common';
import { TestBed } from '@angular/core/testing';
import { PHONE_LOCK_NAME, type TabRole } from '@switchboard/softphone-data-access-voice';
import { ReplaySubject, elementAt, firstValueFrom, type Subscription } from 'rxjs';
import { WebLocksTabLeadership } from './web-locks-tab-leadership';

/**
 * One exclusive lock with the Web Locks semantics the adapter relies on: callbacks run
 * asynchronously, `ifAvailable` gets null when held, `steal` takes the lock and rejects the
 * holder's request with AbortError, and an aborted `signal` rejects a waiting request.
 */
class FakeLockManager {
  private held: { steal: () => void } | null = null;
  private readonly waiting: (() => void)[] = [];
  readonly names: string[] = [];

  request(name: string, options: LockOptions, callback: (lock: Lock | null) => unknown): Promise<unknown> {
    this.names.push(name);
    return new Promise((resolve, reject) => {
      const grant = () => {
        let stolen = false;
        this.held = {
          steal: () => {
            stolen = true;
            reject(new DOMException('stolen', 'AbortError'));
          },
        };
        const release = () => {
          if (stolen) return;
          this.held = null;
          this.waiting.shift()?.();
        };
        Promise.resolve(callback({ name, mode: 'exclusive' } as Lock)).then(
          (value) => (release(), resolve(value)),
          (error: unknown) => (release(), reject(error)),
        );
      };
      queueMicrotask(() => {
        if (options.steal) {
          this.held?.steal();
          grant();
        } else if (!this.held) {
          grant();
        } else if (options.ifAvailable) {
          Promise.resolve(callback(null)).then(resolve, reject);
        } else {
          const wait = () => grant();
          this.waiting.push(wait);
          options.signal?.addEventListener('abort', () => {
            this.waiting.splice(this.waiting.indexOf(wait), 1);
            reject(new DOMException('aborted', 'AbortError'));
          });
        }
      });
    });
  }

  /** Another tab takes the lock and holds it until the returned function is called. */
  holdElsewhere(options: LockOptions = {}): () => void {
    let release: () => void = () => undefined;
    this.request(PHONE_LOCK_NAME, options, () => new Promise<void>((resolve) => (release = resolve))).catch(() => undefined);
    return () => release();
  }
}

/** Lets every queued lock callback and release run (the fake works in microtasks). */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve));

/** Whether another tab could take the phone lock right now (the probe lets it go at once). */
async function freeForOthers(locks: FakeLockManager): Promise<boolean> {
  await settle();
  const free = await locks.request(PHONE_LOCK_NAME, { ifAvailable: true }, (lock) => lock !== null);
  locks.names.pop(); // the probe is not one of the adapter's requests
  await settle();
  return free === true;
}

function leadershipWith(locks: FakeLockManager | undefined): WebLocksTabLeadership {
  TestBed.configureTestingModule({ providers: [{ provide: DOCUMENT, useValue: { defaultView: { navigator: { locks } } } }] });
  return TestBed.inject(WebLocksTabLeadership);
}

function watch(leadership: WebLocksTabLeadership): { roleAt: (index: number) => Promise<TabRole>; subscription: Subscription } {
  const roles = new ReplaySubject<TabRole>();
  const subscription = leadership.role$.subscribe(roles);
  return { roleAt: (index) => firstValueFrom(roles.pipe(elementAt(index))), subscription };
}

describe('WebLocksTabLeadership', () => {
  it('without Web Locks every tab leads', async () => {
    const { roleAt, subscription } = watch(leadershipWith(undefined));
    await expect(roleAt(0)).resolves.toBe('leader');
    subscription.unsubscribe();
  });

  it('the first tab leads, and leaving lets a waiting tab lead', async () => {
    const locks = new FakeLockManager();
    const first = watch(leadershipWith(locks));
    await expect(first.roleAt(0)).resolves.toBe('leader');
    const second = watch(TestBed.runInInjectionContext(() => new WebLocksTabLeadership()));
    await expect(second.roleAt(0)).resolves.toBe('follower');
    first.subscription.unsubscribe();
    await expect(second.roleAt(1)).resolves.toBe('leader');
    second.subscription.unsubscribe();
    expect(new Set(locks.names)).toEqual(new Set([PHONE_LOCK_NAME]));
  });

  it('a follower takes the phone over, and becomes a follower again when another tab steals it back', async () => {
    const locks = new FakeLockManager();
    locks.holdElsewhere();
    const leadership = leadershipWith(locks);
    const { roleAt, subscription } = watch(leadership);
    await expect(roleAt(0)).resolves.toBe('follower');
    leadership.takeOver();
    await expect(roleAt(1)).resolves.toBe('leader');
    locks.holdElsewhere({ steal: true });
    await expect(roleAt(2)).resolves.toBe('follower');
    subscription.unsubscribe();
  });

  it('subscribers share one election: one lock request, the role replayed to a late one, released when the last leaves', async () => {
    const locks = new FakeLockManager();
    const leadership = leadershipWith(locks);
    const first = watch(leadership);
    await expect(first.roleAt(0)).resolves.toBe('leader');
    const second = watch(leadership);
    await expect(second.roleAt(0)).resolves.toBe('leader');
    expect(locks.names).toHaveLength(1);
    first.subscription.unsubscribe();
    expect(await freeForOthers(locks)).toBe(false);
    second.subscription.unsubscribe();
    expect(await freeForOthers(locks)).toBe(true);
  });

  it('prepare joins the election before anyone subscribes, and the subscriber then takes it over (one request)', async () => {
    const locks = new FakeLockManager();
    const leadership = leadershipWith(locks);
    leadership.prepare();
    leadership.prepare(); // the Sign in button clicked twice: still one election
    await settle();
    expect(locks.names).toHaveLength(1);
    expect(await freeForOthers(locks)).toBe(false);

    const { roleAt, subscription } = watch(leadership);
    await expect(roleAt(0)).resolves.toBe('leader');
    expect(locks.names).toHaveLength(1);
    // prepare's hold went to the subscriber: its leaving (sign-out) lets the phone go.
    subscription.unsubscribe();
    expect(await freeForOthers(locks)).toBe(true);
  });

  it('abandon after prepare releases the lock, and a later subscriber gets a fresh election, not the old role', async () => {
    const locks = new FakeLockManager();
    const leadership = leadershipWith(locks);
    leadership.prepare();
    await settle();
    leadership.abandon();
    expect(await freeForOthers(locks)).toBe(true);

    const release = locks.holdElsewhere();
    await settle();
    const { roleAt, subscription } = watch(leadership);
    await expect(roleAt(0)).resolves.toBe('follower');
    release();
    await expect(roleAt(1)).resolves.toBe('leader');
    subscription.unsubscribe();
  });

  it('abandon leaves alone an election that a subscriber holds', async () => {
    const locks = new FakeLockManager();
    const leadership = leadershipWith(locks);
    const { roleAt, subscription } = watch(leadership);
    await expect(roleAt(0)).resolves.toBe('leader');
    leadership.prepare();
    leadership.abandon();
    expect(await freeForOthers(locks)).toBe(false);
    subscription.unsubscribe();
    expect(await freeForOthers(locks)).toBe(true);
  });

  it('a prepared follower takes the phone over once subscribed, and every subscriber hears it', async () => {
    const locks = new FakeLockManager();
    locks.holdElsewhere();
    const leadership = leadershipWith(locks);
    leadership.prepare();
    await settle();
    const first = watch(leadership);
    const second = watch(leadership);
    await expect(first.roleAt(0)).resolves.toBe('follower');
    await expect(second.roleAt(0)).resolves.toBe('follower');
    leadership.takeOver();
    await expect(first.roleAt(1)).resolves.toBe('leader');
    await expect(second.roleAt(1)).resolves.toBe('leader');
    first.subscription.unsubscribe();
    second.subscription.unsubscribe();
    expect(await freeForOthers(locks)).toBe(true);
  });
});
