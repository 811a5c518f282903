import { signal } from '@angular/core';
import type { LineTest } from '@switchboard/shared-contracts';
import type { LineTestProgress } from '@switchboard/softphone-data-access-quality';
import { Subject, type Observable } from 'rxjs';

/** LineTestService as the Settings screen sees it (specs only): each run() is driven through `runs`. */
export class FakeLineTests {
  readonly due = signal(false);
  readonly running = signal(false);
  readonly lastTest = signal<LineTest | null>(null);
  readonly runs = new Subject<LineTestProgress>();
  started = 0;
  run(): Observable<LineTestProgress> {
    this.started++;
    return this.runs;
  }
}
