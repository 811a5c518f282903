import { Injectable, computed, signal, type Signal } from '@angular/core';
import type { LineTest } from '@switchboard/shared-contracts';
import { of, type Observable } from 'rxjs';

export type LineTestPhase = 'starting' | 'connecting' | 'measuring' | 'done' | 'failed';

export interface LineTestProgress {
  readonly phase: LineTestPhase;
  readonly elapsedSeconds: number;
  readonly expectedSeconds: number;
  /** The stored test once `done` (or `failed` when the failure could be stored). */
  readonly result: LineTest | null;
  /** When `failed`: what went wrong and what to do. */
  readonly message: string | null;
}

/** "Test my line": the SDK's preflight with the phone's own Device options, stored by the API. */
@Injectable({ providedIn: 'root' })
export class LineTestService {
  private readonly runningState = signal(false);
  private readonly lastTestState = signal<LineTest | null>(null);
  readonly running: Signal<boolean> = this.runningState.asReadonly();
  readonly lastTest: Signal<LineTest | null> = this.lastTestState.asReadonly();
  readonly due: Signal<boolean> = computed(() => this.lastTestState() === null);

  run(): Observable<LineTestProgress> {
    return of({ phase: 'failed', elapsedSeconds: 0, expectedSeconds: 15, result: null, message: 'Not implemented yet.' });
  }
}
