import type { AdjustableClock } from '../ports/clock';
import type { Doc, Store } from '../ports/store';

interface ClockDoc extends Doc {
  offsetMs: number;
}

/**
 * The local sandbox clock: real time plus an offset kept in the store, so every process on the
 * same data (gateway, scripts) agrees on "now" and a restart keeps the moved clock.
 */
export class StoreClock implements AdjustableClock {
  constructor(
    private readonly store: Store,
    private readonly realNow: () => number = Date.now,
  ) {}

  async now(): Promise<number> {
    const doc = await this.store.get<ClockDoc>('meta', 'clock');
    return this.realNow() + (doc?.offsetMs ?? 0);
  }

  async set(at: number): Promise<number> {
    const offsetMs = at - this.realNow();
    await this.store.transaction((tx) => tx.put<ClockDoc>('meta', { _id: 'clock', offsetMs }));
    return at;
  }
}

/** A clock that only moves when told: deterministic tests and simulations. */
export class ManualClock implements AdjustableClock {
  constructor(private at: number) {}

  async now(): Promise<number> {
    return this.at;
  }

  async set(at: number): Promise<number> {
    this.at = at;
    return at;
  }
}
