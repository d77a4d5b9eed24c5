/**
 * A user acts on the account as of today. The scheduler does each day's work (the statement on
 * the 1st, the due date's auto-debit, overdue marking, the freeze…) when its timer gets to the
 * account, which may be hours into the day for a million accounts. Until then, a repayment would
 * miss the statement just due, a spend would pass on the day its account freezes, and the bill
 * page would show yesterday.
 *
 * So a user's action that finds its account behind (`lastDay` before today) stops before it has
 * written anything (`assertCurrent` throws inside its transaction, which rolls back), the account
 * is caught up exactly as the scheduler would (`catchUpAccount`, whose cursor makes it safe
 * alongside a scheduler run), and the action runs again. An account up to date costs nothing more.
 */
import type { Ctx } from '../app/context';
import { AppError } from '../app/errors';
import { dayKey, dayStart } from '../core/time';
import { isAdjustable, type AdjustableClock, type Clock } from '../ports/clock';
import type { Tx } from '../ports/store';
import type { AccountDoc } from './documents';
import { catchUpAccount } from './scheduler';

/** Raised by an action that found its account behind; `caughtUp` handles it. */
export class AccountBehind extends Error {
  constructor(
    readonly openid: string,
    readonly lastDay: string,
  ) {
    super(`account ${openid} is behind (last day done ${lastDay})`);
    this.name = 'AccountBehind';
  }
}

/**
 * Raised by an action whose clock reading is older than the day its account has been brought to:
 * the time was read before a scheduler run for the next day committed (a transaction that waited,
 * or one re-run after a write conflict), or this clock lags the one that ran the day (another
 * instance's, or a sandbox's that moved the account ahead). Acting on the new day's state at the
 * old day's time would give two verdicts at once — a repayment stamped inside grace on a statement
 * already marked overdue. `caughtUp` runs the action again at a time not before that day.
 */
export class StaleClock extends Error {
  constructor(
    readonly openid: string,
    readonly lastDay: string,
    readonly today: string,
  ) {
    super(`account ${openid} is at ${lastDay}, ahead of this request's day ${today}`);
    this.name = 'StaleClock';
  }
}

/** Throw unless the account's work is done exactly up to today: AccountBehind or StaleClock. */
export function assertCurrent(account: Pick<AccountDoc, 'openid' | 'lastDay'>, now: number): void {
  const today = dayKey(now);
  if (account.lastDay < today) throw new AccountBehind(account.openid, account.lastDay);
  if (account.lastDay > today) throw new StaleClock(account.openid, account.lastDay, today);
}

/** The caller's account as of today: NO_ACCOUNT without one, AccountBehind when it lags. */
export async function currentAccount(tx: Pick<Tx, 'get'>, openid: string, now: number): Promise<AccountDoc> {
  const account = await tx.get<AccountDoc>('accounts', openid);
  if (!account) throw new AppError('NO_ACCOUNT', '你还未开通分付，开通后即可使用');
  assertCurrent(account, now);
  return account;
}

/**
 * For reads that also serve a user without an account (their inbox, their risk page): the account
 * as of today, AccountBehind when it lags, or null when there is none.
 */
export async function currentAccountIfAny(
  store: Pick<Tx, 'get'>,
  openid: string,
  now: number,
): Promise<AccountDoc | null> {
  const account = await store.get<AccountDoc>('accounts', openid);
  if (account) assertCurrent(account, now);
  return account;
}

/** Attempts of one action: a catch-up can only be outrun by midnight passing meanwhile. */
const ATTEMPTS = 3;

/** The clock, never earlier than `floor` (a sandbox keeps its `set`). */
function notBefore(clock: Clock, floor: number): Clock {
  const now = async () => Math.max(await clock.now(), floor);
  if (!isAdjustable(clock)) return { now };
  const adjustable: AdjustableClock = { now, set: (at) => clock.set(at) };
  return adjustable;
}

/**
 * Run a user's action, catching the account up first whenever it finds itself behind. When its
 * time turned out older than the account's day, it runs again reading the clock afresh, but never
 * earlier than the start of that day: the time a late transaction lands in, and for a clock that
 * lags (across midnight, or behind a sandbox's) the earliest time the account's state is true.
 */
export async function caughtUp<R>(ctx: Ctx, run: (ctx: Ctx) => Promise<R>): Promise<R> {
  let current = ctx;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run(current);
    } catch (err) {
      const ours = (err instanceof AccountBehind || err instanceof StaleClock) && err.openid === ctx.openid;
      if (!ours || attempt >= ATTEMPTS) throw err;
      if (err instanceof AccountBehind) {
        await catchUpAccount(current.deps, ctx.openid, dayKey(await current.deps.clock.now()));
      } else {
        current = { ...ctx, deps: { ...ctx.deps, clock: notBefore(ctx.deps.clock, dayStart(err.lastDay)) } };
      }
    }
  }
}
