/** Time comes from a port so the sandbox can move it and the scheduler can replay days. */
export interface Clock {
  now(): Promise<number>;
}

/** A clock the sandbox may move (forward only: the scheduler's past is never rewritten). */
export interface AdjustableClock extends Clock {
  set(at: number): Promise<number>;
}

export function isAdjustable(clock: Clock): clock is AdjustableClock {
  return typeof (clock as Partial<AdjustableClock>).set === 'function';
}

export const systemClock: Clock = {
  now: async () => Date.now(),
};
