import { Observable } from 'rxjs';
import type { SdkEmitter } from './sdk-types';

/**
 * Like fromEvent, but always emits the argument tuple: Device emits 'error' with one or two
 * arguments depending on the code path (device.js), and fromEvent would change shape with it.
 * Unsubscribing removes the listener, so nothing leaks when a call or the Device goes away.
 */
export function sdkEvent<A extends unknown[]>(emitter: SdkEmitter, name: string): Observable<A> {
  return new Observable<A>((subscriber) => {
    const handler = (...args: unknown[]) => subscriber.next(args as A);
    emitter.addListener(name, handler);
    return () => {
      emitter.removeListener(name, handler);
    };
  });
}
