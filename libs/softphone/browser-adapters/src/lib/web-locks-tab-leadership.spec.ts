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
});
