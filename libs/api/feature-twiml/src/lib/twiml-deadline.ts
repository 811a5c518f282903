/** What {@link withinDeadline} settled with. */
export type DeadlineOutcome<T> = { readonly onTime: true; readonly value: T } | { readonly onTime: false };

/**
 * Runs `work` but settles after `deadlineMs` at the latest. The work is not cancelled (a statement in
 * flight finishes or hits the database's statement timeout); its late failure goes to `onLateFailure`
 * rather than becoming an unhandled rejection. A failure before the deadline is thrown as usual.
 */
export function withinDeadline<T>(work: () => Promise<T>, deadlineMs: number, onLateFailure: (error: unknown) => void): Promise<DeadlineOutcome<T>> {
  return new Promise<DeadlineOutcome<T>>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      resolve({ onTime: false });
    }, deadlineMs);
    work().then(
      (value) => {
        clearTimeout(timer);
        if (!settled) resolve({ onTime: true, value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (settled) onLateFailure(error);
        else reject(error);
      },
    );
  });
}
