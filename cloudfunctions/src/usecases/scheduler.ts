/**
 * The daily work (SPEC §5–§8): statements on the 1st, installment dues, interest (billed on the
 * statement), auto-debit on the due date, reminders, overdue marking after grace, the freeze after
 * 30 days overdue, re-evaluation every 72 h, and appeal deadlines.
 *
 * Each account catches up day by day from its own `lastDay` to today, in order, inside bounded
 * transactions; `lastDay` is the cursor, so running twice is running once and a crash resumes
 * where it stopped. A run handles at most `maxAccounts` accounts and may be limited to a set of
 * shards, so in the cloud each invocation stays within the function time limit and the work can
 * fan out across invocations by shard.
 *
 * Scale: a shard's accounts are read a page at a time (memory does not grow with their number),
 * and up to `concurrency` accounts are in flight at once, each in its own small transactions. In
 * the cloud that overlaps their round trips; on SQLite the store commits the transactions that
 * queue up meanwhile together (group commit), so the statement day pays one fsync per group
 * rather than one per account. The unbilled purchases (statement lines) are only looked up
 * when the days to replay include a statement day.
 */
import type { SchedulerRunData } from '../../../typings/api';
import type { Deps } from '../app/context';
import { decideAutoDebit } from '../core/billing/autoDebit';
import { eachDay, nextDay } from '../core/billing/dates';
import { evaluateGraceEnd, freezeWaived, overdueDays, shouldFreeze } from '../core/billing/delinquency';
import { remainingFen } from '../core/billing/ledger';
import { billablePrincipal, buildStatement, periodBilledAt } from '../core/billing/statement';
import type { InstallmentDue, PurchaseLine } from '../core/billing/types';
import { formatFen } from '../core/money';
import type { Policy } from '../core/policy';
import { dayKey, dayStart, DAY_MS, localDate } from '../core/time';
import type { Condition, Doc, Tx } from '../ports/store';
import { escalateAppeal } from './appeals';
import { BillingState, fundsOf, liveStatement, loadBilling } from './billing';
import { rescore } from './credit';
import {
  AccountDoc,
  AppealDoc,
  CreditRecordDoc,
  PlanDoc,
  ProfileDoc,
  SHARDS,
  shardOf,
  statementIdFor,
  StatementDoc,
  TxnDoc,
  userKey,
} from './documents';
import { postMessage } from './messages';
import { openRiskEvent } from './risk';
import { settleRepayment } from './settle';

/** Days one transaction may replay for one account (keeps transactions small). */
const MAX_DAYS_PER_TX = 31;
/** Accounts in flight at once when neither the caller nor the store says otherwise. */
export const DEFAULT_CONCURRENCY = 8;
/**
 * Accounts behind read per page of a shard (keyset pages): one page per shard up to 128,000
 * accounts, eight at a million.
 */
export const DEFAULT_PAGE_SIZE = 2000;

export interface SchedulerOptions {
  /** Stop after this many accounts; the next run resumes (each account's lastDay is the cursor). */
  maxAccounts?: number;
  /** Only these shards (0..SHARDS−1); all when omitted. */
  shards?: readonly number[];
  /**
   * Accounts caught up at the same time, each in its own transactions (default: the store's
   * `concurrency` hint, else 8). Accounts share no documents, so the results do not depend on
   * it; 1 is strictly one after another.
   */
  concurrency?: number;
  /** Accounts read per `find` page of a shard (default 2000). */
  pageSize?: number;
  /** Accounts to pass over: those that failed earlier in the same invocation (tried once each). */
  exclude?: ReadonlySet<string>;
}

/** An account a run could not catch up, and why. */
export interface AccountFailure {
  openid: string;
  err: unknown;
}

export interface SchedulerRun extends SchedulerRunData {
  /** No account left behind but those that failed (or were excluded). */
  done: boolean;
  accounts: number;
  /** Accounts that failed in this run: each stays behind for a later run. */
  failures: AccountFailure[];
}

/** Failed accounts after which a run stops taking new ones. */
const MAX_FAILURES = 10;

/** Accounts a run could not catch up (each stays behind, for the next run); the rest were done. */
export class SchedulerFailure extends Error {
  readonly failures: AccountFailure[];
  constructor(failures: AccountFailure[]) {
    const first = failures[0]!;
    super(
      `scheduler: ${failures.length} account(s) could not be caught up and stay behind for the next run; ` +
        `first ${first.openid}: ${first.err instanceof Error ? first.err.message : String(first.err)}`,
    );
    this.name = 'SchedulerFailure';
    this.failures = failures;
    if (first.err instanceof Error && first.err.stack)
      this.stack = `${this.stack ?? ''}\ncaused by ${first.err.stack}`;
  }
}

interface SchedulerMeta extends Doc {
  lastDay: string | null;
  lastRunAt: number;
}

/** What a run did, counted per kind of day work. */
export type Stats = Omit<SchedulerRunData, 'from' | 'to' | 'days'>;

export function emptyStats(): Stats {
  return {
    statementsIssued: 0,
    interestAccrued: 0,
    autoDebits: 0,
    overdueMarked: 0,
    frozen: 0,
    reevaluated: 0,
    reminders: 0,
    appealsEscalated: 0,
  };
}

/** One run (see runSchedulerBatch) that fails with SchedulerFailure when an account failed. */
export async function runScheduler(deps: Deps, options: SchedulerOptions = {}): Promise<SchedulerRun> {
  const run = await runSchedulerBatch(deps, options);
  if (run.failures.length > 0) throw new SchedulerFailure(run.failures);
  return run;
}

/**
 * Runs batches until the work is done or `next` (asked before each batch, with the runs so far)
 * answers null, as the cloud invocation, the sandbox and the local timer do. An account that fails is tried once
 * and passed over by the runs after, so it holds up no other; once every other account is done
 * the whole fails with SchedulerFailure naming it. MAX_FAILURES failures end it early.
 */
export async function runSchedulerUntil(
  deps: Deps,
  next: (runs: readonly SchedulerRun[]) => SchedulerOptions | null,
): Promise<SchedulerRun[]> {
  const failures: AccountFailure[] = [];
  const failed = new Set<string>();
  const runs: SchedulerRun[] = [];
  for (let options = next(runs); options !== null; options = next(runs)) {
    const run = await runSchedulerBatch(deps, { ...options, exclude: failed });
    runs.push(run);
    for (const f of run.failures) {
      failures.push(f);
      failed.add(f.openid);
    }
    if (run.done || failures.length >= MAX_FAILURES) break;
  }
  if (failures.length > 0) throw new SchedulerFailure(failures);
  return runs;
}

/** What a run reports (the API's SchedulerRunData), without its bookkeeping. */
export function runData(run: SchedulerRun): SchedulerRunData {
  const { done: _done, accounts: _accounts, failures: _failures, ...data } = run;
  return data;
}

/**
 * One run: catches up to `maxAccounts` accounts still behind, then the appeal deadlines. An
 * account that fails (its transactions rolled back) stays behind and is reported in `failures`;
 * the run goes on with the others (at most MAX_FAILURES failures, counting `exclude`).
 */
export async function runSchedulerBatch(deps: Deps, options: SchedulerOptions = {}): Promise<SchedulerRun> {
  const { store, clock } = deps;
  const now = await clock.now();
  const today = dayKey(now);
  const meta = await store.get<SchedulerMeta>('meta', 'scheduler');
  const stats = emptyStats();
  const max = options.maxAccounts ?? Number.POSITIVE_INFINITY;
  const shards = options.shards ?? Array.from({ length: SHARDS }, (_, i) => i);
  const concurrency = Math.max(
    1,
    Math.floor(options.concurrency ?? store.concurrency ?? DEFAULT_CONCURRENCY),
  );
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE));
  let accounts = 0;
  let done = true;

  // A bounded pool of accounts in flight. Many failures mean something beyond one account (the
  // store): the run stops taking accounts at MAX_FAILURES.
  const inFlight = new Set<Promise<void>>();
  const failures: AccountFailure[] = [];
  const excluded = options.exclude ?? new Set<string>();
  const start = (account: AccountDoc) => {
    const p: Promise<void> = catchUpAccount(deps, account.openid, today, stats, account)
      .catch((err: unknown) => {
        failures.push({ openid: account.openid, err });
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  outer: for (const shard of shards) {
    // Only the accounts still behind (an index on shard and lastDay), in keyset pages by openid:
    // a run resumed late in a shard reads no account it has done, and accounts caught up while
    // the next page is read cannot shift it (as they would offset pages).
    for (let after: string | null = null; ;) {
      const where: Record<string, Condition> = { shard, lastDay: { lt: today } };
      if (after !== null) where.openid = { gt: after };
      const page = await store.find<AccountDoc>('accounts', where, {
        orderBy: { field: 'openid', direction: 'asc' },
        limit: pageSize,
      });
      for (const account of page) {
        if (excluded.has(account.openid)) continue;
        if (accounts >= max) {
          done = false;
          break outer;
        }
        while (inFlight.size >= concurrency) await Promise.race(inFlight);
        if (failures.length + excluded.size >= MAX_FAILURES) {
          done = false;
          break outer;
        }
        start(account);
        accounts += 1;
      }
      if (page.length < pageSize) break;
      after = page[page.length - 1]!.openid;
    }
  }
  await Promise.all(inFlight);

  // Appeal deadlines: an appeal nobody reviewed within the window is escalated (appeals.ts).
  // Counted after the commit: a transaction may run its function more than once (CloudBase).
  const pending = await store.find<AppealDoc>('appeals', { status: 'pending' });
  for (const appeal of pending) {
    if (appeal.reviewDueAt > now || appeal.escalatedAt !== undefined) continue;
    if (options.shards && !options.shards.includes(shardOf(appeal.openid))) continue;
    const escalated = await store.transaction(async (tx) => {
      const fresh = await tx.get<AppealDoc>('appeals', appeal._id);
      return fresh !== null && (await escalateAppeal(tx, fresh, now));
    });
    if (escalated) stats.appealsEscalated += 1;
  }

  const from = meta?.lastDay ?? null;
  if (done && failures.length === 0 && excluded.size === 0 && !options.shards) {
    await store.transaction((tx) =>
      tx.put<SchedulerMeta>('meta', { _id: 'scheduler', lastDay: today, lastRunAt: now }),
    );
  }
  const days = from === null ? 1 : Math.max(0, Math.round((dayStart(today) - dayStart(from)) / DAY_MS));
  return { from, to: today, days, ...stats, done, accounts, failures };
}

/** Replay every day after the account's lastDay up to today, in order. */
export async function catchUpAccount(
  deps: Deps,
  openid: string,
  today: string,
  stats: Stats = emptyStats(),
  /** The account as last listed, when known: spares the purchase lookup on ordinary days. */
  listed?: Pick<AccountDoc, 'lastDay' | 'seq'>,
): Promise<void> {
  const { store, policy } = deps;
  // The account as seen before the purchases were looked up (never after: see below).
  let known: Pick<AccountDoc, 'lastDay' | 'seq'> | null = listed ?? null;
  for (;;) {
    // A statement's purchase lines are read outside the transaction (CloudBase runs no queries
    // inside one), and only for a statement day; the billed amounts come from the account inside.
    const unbilledTxns =
      known !== null && chunkOf(known.lastDay, today).some((d) => isStatementDay(d, policy))
        ? await store.find<TxnDoc>('txns', { openid, status: 'unbilled' })
        : null;
    // Counted per attempt and added once committed (a transaction may be re-run).
    let step = emptyStats();
    const outcome = await store.transaction(async (tx) => {
      step = emptyStats();
      const account = await tx.get<AccountDoc>('accounts', openid);
      if (!account || account.lastDay >= today) return null;
      const days = chunkOf(account.lastDay, today);
      // The lines hold only if nothing was written to the account since it was seen before the
      // lookup: every write that posts, converts or repays a purchase moves `seq`. Otherwise (a
      // spend or a conversion in between, or the account not seen yet) look them up again first.
      if (
        days.some((d) => isStatementDay(d, policy)) &&
        (unbilledTxns === null || known?.seq !== account.seq)
      ) {
        return { lastDay: account.lastDay, seq: account.seq, done: false };
      }
      let state: DayState = {
        account,
        billing: await loadBilling(tx, account),
        profile: await tx.get<ProfileDoc>('profiles', openid),
      };
      for (const day of days) state = await runDay(tx, state, day, unbilledTxns ?? [], policy, step);
      const last = days[days.length - 1] ?? account.lastDay;
      await tx.put('accounts', { ...state.account, lastDay: last });
      return { lastDay: last, seq: state.account.seq, done: true };
    });
    for (const key of Object.keys(step) as (keyof Stats)[]) stats[key] += step[key];
    if (outcome === null || (outcome.done && outcome.lastDay >= today)) return;
    known = { lastDay: outcome.lastDay, seq: outcome.seq };
  }
}

/** The days one transaction replays after `lastDay`. */
function chunkOf(lastDay: string, today: string): string[] {
  return lastDay >= today ? [] : eachDay(nextDay(lastDay), today).slice(0, MAX_DAYS_PER_TX);
}

function isStatementDay(day: string, policy: Policy): boolean {
  return localDate(dayStart(day)).day === policy.billing.statementDay;
}

interface DayState {
  account: AccountDoc;
  billing: BillingState;
  profile: ProfileDoc | null;
}

async function runDay(
  tx: Tx,
  state: DayState,
  day: string,
  unbilledTxns: readonly TxnDoc[],
  policy: Policy,
  stats: Stats,
): Promise<DayState> {
  const t = dayStart(day);
  let { account, billing, profile } = state;

  if (localDate(t).day === policy.billing.statementDay) {
    ({ account, billing } = await issueStatement(tx, account, billing, t, unbilledTxns, policy, stats));
  }

  let statement = liveStatement(billing.statement) as StatementDoc | null;
  if (statement) {
    const dueDay = dayKey(statement.dueDate);
    const remaining = remainingFen(statement);
    const soonDay = dayKey(statement.dueDate - policy.billing.reminderDaysBeforeDue * DAY_MS);
    if (day === soonDay && remaining > 0) {
      await remind(
        tx,
        account.openid,
        'due_soon',
        statement,
        t,
        `${policy.billing.reminderDaysBeforeDue} 天后`,
        stats,
      );
    }
    if (day === dueDay && remaining > 0) {
      // An auto-debit that leaves something due says what and by when: no reminder besides it.
      let told = false;
      if (account.autoDebit.enabled && profile) {
        const channel = account.autoDebit.channel;
        const decision = decideAutoDebit(statement, channel, fundsOf(profile, channel), policy);
        if (decision.action === 'debit' || decision.action === 'debit_minimum') {
          const settled = await settleRepayment(
            tx,
            account,
            profile,
            billing,
            {
              mode: 'auto_debit',
              channel,
              requestId: null,
              amountFen: decision.amountFen,
              feeFen: 0,
              totalFen: decision.amountFen,
              allocation: decision.allocation,
              ...(decision.action === 'debit_minimum'
                ? { receipt: { title: decision.title, body: decision.message } }
                : {}),
            },
            t,
            policy,
          );
          account = settled.account;
          billing = settled.billing;
          profile = await tx.get<ProfileDoc>('profiles', account.openid);
          statement = liveStatement(billing.statement) as StatementDoc | null;
          stats.autoDebits += 1;
          told = decision.action === 'debit_minimum';
        } else if (decision.action === 'insufficient_funds') {
          await postMessage(tx, {
            openid: account.openid,
            type: 'auto_debit_failed',
            title: '自动还款未成功',
            body: decision.message,
            at: t,
            dedupeKey: `autodebit:${statement._id}`,
          });
          told = true;
        }
      }
      if (!told && statement && remainingFen(statement) > 0)
        await remind(tx, account.openid, 'due_today', statement, t, '今天', stats);
    }
    // Grace ended at 23:59:59 yesterday (or earlier, when catching up): judge it once.
    if (statement && statement.graceEvaluatedAt === undefined && t > statement.graceEndsAt) {
      const evaluation = evaluateGraceEnd(statement, policy);
      statement = { ...evaluation.statement, _id: statement._id, openid: statement.openid } as StatementDoc;
      await tx.put('statements', statement);
      billing = { ...billing, statement };
      if (evaluation.overdueRecord) {
        const record: CreditRecordDoc = {
          _id: `cr_${userKey(account.openid)}_${statement.period}`,
          openid: account.openid,
          ...evaluation.overdueRecord,
        };
        await tx.put('creditRecords', record);
        if (profile) {
          // Our own overdue records enter the credit history the score reads (SPEC §1).
          profile = { ...profile, overdueCount: profile.overdueCount + 1 };
          await tx.put('profiles', profile);
        }
        stats.overdueMarked += 1;
        await postMessage(tx, {
          openid: account.openid,
          type: 'overdue',
          title: '账单已逾期',
          body:
            `你 ${statement.period} 账单未按时还足最低还款额，已逾期，逾期金额 ${formatFen(statement.pastDueFen)} 元。` +
            `逾期将计收利息并记入信用记录，逾期超过 ${policy.billing.freezeAfterOverdueDays} 天分付将被冻结，请尽快还款。`,
          at: t,
          dedupeKey: `overdue:${statement._id}`,
        });
      }
    }
    if (
      statement &&
      statement.pastDueFen > 0 &&
      !account.risk.frozen &&
      !freezeWaived(account.risk.freezeWaivedFor, statement.overdueSince)
    ) {
      const days = overdueDays(t, statement.overdueSince);
      if (shouldFreeze(days, policy)) {
        account = await openRiskEvent(
          tx,
          account,
          {
            level: 3,
            type: 'overdue_30_days',
            description: `账单逾期 ${days} 天，逾期金额 ${formatFen(statement.pastDueFen)} 元，分付已冻结`,
            details: {
              statementId: statement._id,
              // Which delinquency this is: an overturn waives it by this instant, which the
              // statement named loses once its remainder is carried into the next one.
              overdueSince: statement.overdueSince ?? null,
              overdueDays: days,
              pastDue: formatFen(statement.pastDueFen),
            },
          },
          t,
          policy,
        );
        stats.frozen += 1;
      }
    }
  }

  if (account.nextEvaluationAt <= t) {
    account = await rescore(tx, account, t, policy, profile);
    stats.reevaluated += 1;
  }
  return { account, billing, profile };
}

async function issueStatement(
  tx: Tx,
  account: AccountDoc,
  billing: BillingState,
  t: number,
  unbilledTxns: readonly TxnDoc[],
  policy: Policy,
  stats: Stats,
): Promise<{ account: AccountDoc; billing: BillingState }> {
  const period = periodBilledAt(t);
  const billable = billablePrincipal(account.unbilled, period);
  const dues: InstallmentDue[] = [];
  const plans: PlanDoc[] = [];
  for (const plan of billing.plans) {
    if (plan.firstPeriod <= period && plan.periodsBilled < plan.term) {
      const row = plan.schedule[plan.periodsBilled];
      if (row) {
        dues.push({
          planId: plan._id,
          principalFen: row.principalFen,
          interestFen: row.interestFen,
          description: `分期第 ${row.period}/${plan.term} 期（本金 ${formatFen(row.principalFen)}，利息 ${formatFen(row.interestFen)}）`,
        });
        plans.push({
          ...plan,
          periodsBilled: plan.periodsBilled + 1,
          status: plan.periodsBilled + 1 === plan.term ? 'completed' : 'active',
        });
        continue;
      }
    }
    plans.push(plan);
  }
  const txns = unbilledTxns.filter((x) => billable.periods.includes(x.period) && x.status === 'unbilled');
  const purchaseLines: PurchaseLine[] = txns.map((x) => ({
    txnId: x._id,
    description: x.merchant.name,
    amountFen: x.amountFen,
    at: x.at,
  }));
  const previous = billing.statement;
  const result = buildStatement({
    period,
    issuedAt: t,
    previous,
    unbilledFen: billable.fen,
    purchaseLines,
    installmentDues: dues,
    now: t,
    policy,
    id: statementIdFor(account.openid, period),
  });
  if (!result) return { account, billing };

  if (previous && result.previousAfter) {
    await tx.put('statements', { ...result.previousAfter, _id: previous._id, openid: account.openid });
  }
  if (result.statement.lines.some((l) => l.kind === 'interest')) stats.interestAccrued += 1;
  const statement = { ...result.statement, _id: result.statement.id, openid: account.openid } as StatementDoc;
  await tx.add('statements', statement);
  for (const x of txns) {
    // Only still-unbilled purchases change state (a conversion in between wins).
    const fresh = await tx.get<TxnDoc>('txns', x._id);
    if (fresh && fresh.status === 'unbilled')
      await tx.put<TxnDoc>('txns', { ...fresh, status: 'billed', statementId: statement._id });
  }
  for (const plan of plans)
    if (billing.plans.find((p) => p._id === plan._id) !== plan) await tx.put('plans', plan);

  const unbilled = { ...account.unbilled };
  for (const p of billable.periods) delete unbilled[p];
  const active = plans.filter((p) => p.status === 'active');
  const updated: AccountDoc = {
    ...account,
    unbilled,
    currentStatementId: statement._id,
    activePlanIds: active.map((p) => p._id),
  };
  stats.statementsIssued += 1;
  const { month } = localDate(statement.dueDate);
  const dueDay = localDate(statement.dueDate).day;
  await postMessage(tx, {
    openid: account.openid,
    type: 'statement_issued',
    title: `${Number(period.slice(5))}月账单已出`,
    body:
      `本期应还 ${formatFen(statement.balanceFen)} 元，最低还款 ${formatFen(statement.minimumDueFen)} 元，` +
      `请于 ${month}月${dueDay}日 前还款。`,
    at: t,
    dedupeKey: `statement:${statement._id}`,
  });
  return { account: updated, billing: { statement, plans: active } };
}

async function remind(
  tx: Tx,
  openid: string,
  type: 'due_soon' | 'due_today',
  statement: StatementDoc,
  t: number,
  when: string,
  stats: Stats,
): Promise<void> {
  const { month, day } = localDate(statement.dueDate);
  const posted = await postMessage(tx, {
    openid,
    type,
    title: type === 'due_today' ? '今天是还款日' : '还款日提醒',
    body: `你的分付账单 ${formatFen(remainingFen(statement))} 元将于${when}（${month}月${day}日）到期，请按时还款。`,
    at: t,
    dedupeKey: `${type}:${statement._id}`,
  });
  if (posted) stats.reminders += 1;
}

/** The totals of two consecutive bounded runs, reported as one. */
export function mergeRuns(a: SchedulerRunData, b: SchedulerRunData): SchedulerRunData {
  return {
    from: a.from,
    to: b.to,
    days: a.days,
    statementsIssued: a.statementsIssued + b.statementsIssued,
    interestAccrued: a.interestAccrued + b.interestAccrued,
    autoDebits: a.autoDebits + b.autoDebits,
    overdueMarked: a.overdueMarked + b.overdueMarked,
    frozen: a.frozen + b.frozen,
    reevaluated: a.reevaluated + b.reevaluated,
    reminders: a.reminders + b.reminders,
    appealsEscalated: a.appealsEscalated + b.appealsEscalated,
  };
}
