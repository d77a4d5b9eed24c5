/**
 * Seeded simulation in the manner of TigerBeetle's VOPR: many users drive random sequences of real
 * operations through the real handlers (the same `handle()` the gateway and the cloud use) against
 * the real SQLite store, with a manual clock that jumps hours, days and weeks and a scheduler that
 * catches up day by day. After every step the invariants are asserted (see invariants.ts). Every
 * choice comes from one seeded PRNG, so a failure replays exactly from the seed it prints.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  AppealsData,
  BillListData,
  BillSummaryData,
  ConvertData,
  CreditStatusData,
  Envelope,
  InboxListData,
  InstallmentOffersData,
  Merchant,
  QuoteData,
  RepayData,
  RiskEventsData,
  SchedulerRunData,
  SpendData,
} from '../../typings/api';
import { handle } from '../../cloudfunctions/src/app/dispatch';
import { hash } from '../../cloudfunctions/src/app/idempotency';
import { dayKey, parseIso, toIso } from '../../cloudfunctions/src/core/time';
import { FUNCTIONS } from '../../cloudfunctions/src/handlers';
import type { AccountDoc, AppealDoc, TxnDoc } from '../../cloudfunctions/src/usecases/documents';
import { statusOf } from '../../cloudfunctions/src/usecases/documents';
import { catchUpAccount } from '../../cloudfunctions/src/usecases/scheduler';
import { ManualClock } from '../../cloudfunctions/src/adapters/clocks';
import { SqliteStore } from '../../cloudfunctions/src/adapters/sqlite/sqliteStore';
import type { Deps } from '../../cloudfunctions/src/app/context';
import { ACTIVE_POLICY } from '../../cloudfunctions/src/core/policyLoader';
import { inboxOnlyNotifier } from '../../cloudfunctions/src/ports/notifier';
import { DbFingerprint } from './dbhash';
import { Checker, fen, InvariantError, type SimUser } from './invariants';
import { Prng } from './prng';

export interface SimOptions {
  seed: string;
  steps: number;
  users: number;
  /** Check every account after every step, not only the accounts the step touched. */
  checkAll?: boolean;
  /** Progress lines (the soak script prints them). */
  progress?: (line: string) => void;
  /**
   * Where the temporary database lives: /dev/shm when there is one (the same SQLite store, minus
   * the fsync wait; durability is the crash tests' business), else the OS temp directory.
   */
  tmpRoot?: string;
  /** Copy the database of a failed run here (for inspection with sqlite3). */
  keepFailedDbAt?: string;
}

export interface SimSummary {
  seed: string;
  steps: number;
  users: number;
  calls: number;
  invariantChecks: number;
  accountChecks: number;
  /** sha256 of every call and answer in order: equal for equal seeds (exact replay). */
  traceHash: string;
  startedAt: string;
  endedAt: string;
  simulatedDays: number;
  ops: Record<string, number>;
  answers: Record<string, number>;
  schedulerRuns: number;
  replaysSame: number;
  replaysConflict: number;
  records: Record<string, number>;
  ms: number;
}

export class SimulationFailure extends Error {
  constructor(
    readonly seed: string,
    readonly step: number,
    readonly options: SimOptions,
    override readonly cause: unknown,
    readonly trace: readonly string[],
  ) {
    const reason = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
    super(
      [
        `simulation failed at step ${step} (seed ${JSON.stringify(seed)}, ${options.users} users)`,
        reason,
        'last calls:',
        ...trace.map((l) => `  ${l}`),
        `replay: npm run soak -- --seed ${seed} --steps ${step + 1} --users ${options.users}`,
      ].join('\n'),
    );
    this.name = 'SimulationFailure';
  }
}

type Answer<T> = { status: number; body: Envelope<T> };

interface StoredRequest {
  openid: string;
  fn: string;
  action: string;
  params: Record<string, unknown>;
  answer: string;
  status: number;
}

const OPERATOR = 'op_1';
const HOME = '深圳';

const MERCHANTS: Record<string, Merchant> = {
  grocery: { id: 'm_grocery', name: '华润万家', category: 'grocery', scene: 'offline' },
  online: { id: 'm_jd', name: '京东', category: 'electronics', scene: 'online' },
  utility: { id: 'm_power', name: '南方电网', category: 'utility', scene: 'utility' },
  dutyFree: { id: 'm_global_duty_free', name: '环球免税店', category: 'retail', scene: 'cross_border' },
  foreign: { id: 'm_tokyo_shop', name: '东京药妆店', category: 'retail', scene: 'cross_border' },
  transfer: { id: 'm_transfer', name: '转账给好友', category: 'p2p', scene: 'transfer' },
  withdrawal: { id: 'm_withdraw', name: '提现到银行卡', category: 'p2p', scene: 'withdrawal' },
  crypto: { id: 'm_coin', name: '数字币商城', category: 'virtual_currency', scene: 'online' },
  fund: { id: 'm_fund', name: '基金申购', category: 'investment', scene: 'online' },
  qr: { id: 'p_qr_7', name: '个人收款码', category: 'personal_qr', scene: 'offline' },
};

const SPEND_REFUSALS = new Set([
  'NO_ACCOUNT',
  'ACCOUNT_FROZEN',
  'CASH_OUT_FORBIDDEN',
  'CATEGORY_FORBIDDEN',
  'MERCHANT_NOT_SUPPORTED',
  'SINGLE_LIMIT_EXCEEDED',
  'INSUFFICIENT_QUOTA',
  'INCOME_PROOF_REQUIRED',
  'VERIFICATION_REQUIRED',
]);

type Op =
  | 'apply'
  | 'spend'
  | 'repay'
  | 'convert'
  | 'autoDebit'
  | 'appeal'
  | 'resolve'
  | 'clearReview'
  | 'reevaluate'
  | 'setProfile'
  | 'invite'
  | 'read'
  | 'crossUser'
  | 'clock'
  | 'scheduler'
  | 'replaySame'
  | 'replayDifferent';

const OPS: readonly (readonly [Op, number])[] = [
  ['spend', 24],
  ['repay', 16],
  ['convert', 7],
  ['autoDebit', 3],
  ['appeal', 4],
  ['resolve', 3],
  ['clearReview', 1],
  ['reevaluate', 2],
  ['setProfile', 4],
  ['invite', 1],
  ['read', 6],
  ['crossUser', 2],
  ['clock', 10],
  ['scheduler', 5],
  ['replaySame', 6],
  ['replayDifferent', 3],
];

export function money(fenValue: number): string {
  return `${Math.floor(fenValue / 100)}.${String(fenValue % 100).padStart(2, '0')}`;
}

export class Simulation {
  readonly rng: Prng;
  private h!: SimHarness;
  private fingerprint!: DbFingerprint;
  private checker!: Checker;
  private users: SimUser[] = [];
  private stored: StoredRequest[] = [];
  private readonly digest = createHash('sha256');
  private readonly ring: string[] = [];
  private step = 0;
  private calls = 0;
  private schedulerRuns = 0;
  private replaysSame = 0;
  private replaysConflict = 0;
  private readonly ops: Record<string, number> = {};
  private readonly answers: Record<string, number> = {};
  private touched = new Set<SimUser>();
  private startAt = 0;

  constructor(readonly options: SimOptions) {
    this.rng = new Prng(options.seed);
  }

  async run(): Promise<SimSummary> {
    const began = process.hrtime.bigint();
    // A start somewhere in 2026, so month ends, February and the year end all come up.
    const startMs = parseIso('2026-01-01T00:00:00+08:00')! + this.rng.int(0, 364) * 86_400_000;
    this.startAt = startMs + this.rng.int(0, 23) * 3_600_000 + this.rng.int(0, 59) * 60_000;
    this.h = createSimHarness(this.startAt, this.options.tmpRoot);
    this.fingerprint = new DbFingerprint(path.join(this.h.dir, 'fenfu.db'));
    this.checker = new Checker(this.h.store, this.h.deps.policy);
    try {
      try {
        await this.setup();
        for (this.step = 0; this.step < this.options.steps; this.step++) {
          this.touched = new Set();
          const op = this.chooseOp();
          this.ops[op] = (this.ops[op] ?? 0) + 1;
          await this.perform(op);
          const targets = this.options.checkAll || this.step % 50 === 49 ? this.users : [...this.touched];
          for (const u of targets)
            await this.checker.checkUser(u, (fn, a, p) => this.call(u.openid, fn, a, p));
          if (this.options.progress && this.step % 1000 === 999) {
            this.options.progress(
              `  step ${this.step + 1}/${this.options.steps} · ${toIso(await this.h.clock.now())} · ${this.calls} calls · ${this.checker.checks} checks`,
            );
          }
        }
        for (const u of this.users)
          await this.checker.checkUser(u, (fn, a, p) => this.call(u.openid, fn, a, p));
      } catch (err) {
        if (this.options.keepFailedDbAt) {
          await this.h.store.close();
          this.fingerprint.close();
          fs.copyFileSync(path.join(this.h.dir, 'fenfu.db'), this.options.keepFailedDbAt);
        }
        throw new SimulationFailure(this.options.seed, this.step, this.options, err, [...this.ring]);
      }
      const endAt = await this.h.clock.now();
      const records: Record<string, number> = {};
      for (const c of [
        'accounts',
        'txns',
        'statements',
        'plans',
        'repayments',
        'riskEvents',
        'appeals',
        'messages',
      ]) {
        records[c] = (await this.h.store.find(c, {})).length;
      }
      return {
        seed: this.options.seed,
        steps: this.options.steps,
        users: this.options.users,
        calls: this.calls,
        invariantChecks: this.checker.checks,
        accountChecks: this.checker.accountChecks,
        traceHash: this.digest.digest('hex'),
        startedAt: toIso(this.startAt),
        endedAt: toIso(endAt),
        simulatedDays: Math.round((endAt - this.startAt) / 86_400_000),
        ops: this.ops,
        answers: this.answers,
        schedulerRuns: this.schedulerRuns,
        replaysSame: this.replaysSame,
        replaysConflict: this.replaysConflict,
        records,
        ms: Number(process.hrtime.bigint() - began) / 1e6,
      };
    } finally {
      this.fingerprint.close();
      await this.h.close();
    }
  }

  // ------------------------------------------------------------------ plumbing

  private log(line: string): void {
    this.ring.push(`#${this.step} ${line}`);
    if (this.ring.length > 40) this.ring.shift();
  }

  /** One call through the real handler; a 5xx is a failure of the simulation at once. */
  private async call<T = Record<string, unknown>>(
    openid: string,
    fn: string,
    action: string,
    params: Record<string, unknown> = {},
  ): Promise<Answer<T>> {
    let internal: unknown = null;
    const def = FUNCTIONS[fn];
    if (!def) throw new Error(`no function ${fn}`);
    const r = (await handle(fn, def, { action, ...params }, openid, this.h.deps, {
      error: (_m, e) => {
        internal = e;
      },
    })) as Answer<T>;
    this.calls += 1;
    const outcome = r.body.ok ? 'ok' : r.body.error.code;
    const key = `${fn}.${action} ${outcome}`;
    this.answers[key] = (this.answers[key] ?? 0) + 1;
    const text = JSON.stringify(r.body);
    this.digest.update(`${openid} ${fn}.${action} ${JSON.stringify(params)}\n${r.status} ${text}\n`);
    this.log(`${openid} ${fn}.${action} ${JSON.stringify(params)} → ${r.status} ${outcome}`);
    if (r.status >= 500) {
      const why = internal instanceof Error ? (internal.stack ?? internal.message) : String(internal);
      throw new InvariantError(`${fn}.${action} answered ${r.status} (no 5xx ever):\n${why}`);
    }
    this.checker.count();
    if (/"-\d+\.\d\d"/.test(text)) throw new InvariantError(`negative money in ${fn}.${action}: ${text}`);
    if (r.body.ok && r.status !== 200) throw new InvariantError(`ok answer with status ${r.status}`);
    return r;
  }

  private expect(cond: boolean, message: string): void {
    this.checker.count();
    if (!cond) throw new InvariantError(message);
  }

  private idemId(openid: string, fn: string, action: string, requestId: string): string {
    return hash(`${openid}\u0000${fn}.${action}\u0000${requestId}`).slice(0, 40);
  }

  private requestId(kind: string): string {
    return `${kind}-${this.step}-${this.rng.token(6)}`;
  }

  /** A call carrying a requestId: every 200 answer must be stored for replay (Stripe's rule). */
  private async idempotentCall<T>(
    openid: string,
    fn: string,
    action: string,
    params: Record<string, unknown>,
  ): Promise<Answer<T>> {
    const r = await this.call<T>(openid, fn, action, params);
    const requestId = params.requestId as string;
    const stored = await this.h.store.get('idempotency', this.idemId(openid, fn, action, requestId));
    if (r.status === 200)
      this.expect(stored !== null, `acknowledged ${fn}.${action} ${requestId} was not stored`);
    if (stored) {
      this.stored.push({ openid, fn, action, params, answer: JSON.stringify(r.body), status: r.status });
    }
    return r;
  }

  private async account(u: SimUser): Promise<AccountDoc | null> {
    return this.h.store.get<AccountDoc>('accounts', u.openid);
  }

  /**
   * The account as the next action will act on it: a user's action catches a lagging account up
   * first (usecases/current.ts), so an oracle comparing before and after does that catch-up
   * itself beforehand, exactly as the action would.
   */
  private async accountAsOfToday(u: SimUser): Promise<AccountDoc | null> {
    const account = await this.account(u);
    const today = dayKey(await this.h.clock.now());
    if (!account || account.lastDay >= today) return account;
    await catchUpAccount(this.h.deps, u.openid, today);
    return this.account(u);
  }

  private moneyBetween(loYuan: number, hiYuan: number): string {
    return money(this.rng.int(loYuan * 100, hiYuan * 100));
  }

  // ------------------------------------------------------------------ setup and choice

  private async setup(): Promise<void> {
    for (let i = 0; i < this.options.users; i++) {
      const u: SimUser = {
        openid: `u${i}`,
        funds: { balance: 0, bank_card: 0 },
        seenRepayments: new Set(),
        acked: new Set(),
        txnIds: [],
      };
      this.users.push(u);
      await this.setProfile(u, true);
    }
  }

  private chooseOp(): Op {
    return this.rng.weighted(OPS);
  }

  private async perform(op: Op): Promise<void> {
    const u = this.rng.pick(this.users);
    if (op !== 'clock' && op !== 'scheduler' && !op.startsWith('replay') && op !== 'resolve') {
      if (!(await this.account(u)) && this.rng.chance(0.6)) return this.apply(u);
    }
    switch (op) {
      case 'apply':
        return this.apply(u);
      case 'spend':
        return this.spend(u);
      case 'repay':
        return this.repay(u);
      case 'convert':
        return this.convert(u);
      case 'autoDebit':
        return this.autoDebit(u);
      case 'appeal':
        return this.appeal(u);
      case 'resolve':
        return this.resolve();
      case 'clearReview':
        return this.clearReview(u);
      case 'reevaluate':
        return this.reevaluate(u);
      case 'setProfile':
        return this.setProfile(u, false);
      case 'invite':
        return this.invite(u);
      case 'read':
        return this.read(u);
      case 'crossUser':
        return this.crossUser(u);
      case 'clock':
        return this.moveClock();
      case 'scheduler':
        return this.runScheduler();
      case 'replaySame':
        return this.replaySame();
      case 'replayDifferent':
        return this.replayDifferent();
    }
  }

  // ------------------------------------------------------------------ operations

  private async setProfile(u: SimUser, initial: boolean): Promise<void> {
    this.touched.add(u);
    let p: Record<string, unknown>;
    if (initial) {
      const strong = this.rng.chance(0.75);
      p = strong
        ? {
            realNameVerified: true,
            age: this.rng.int(20, 60),
            bankCards: this.rng.int(1, 4),
            payScore: this.rng.int(620, 850),
            monthlyPaymentCount: this.rng.int(15, 80),
            balance: this.moneyBetween(500, 30_000),
            friendCount: this.rng.int(200, 600),
            overdueCount: 0,
            payHistoryDays: this.rng.int(200, 3000),
            annualIncome: this.moneyBetween(60_000, 400_000),
            avgMonthlySpend: this.moneyBetween(1000, 20_000),
            homeCity: HOME,
            bankCardBalance: this.moneyBetween(0, 80_000),
          }
        : {
            realNameVerified: this.rng.chance(0.8),
            age: this.rng.int(16, 60),
            bankCards: this.rng.int(0, 2),
            payScore: this.rng.int(300, 650),
            monthlyPaymentCount: this.rng.int(0, 30),
            balance: this.moneyBetween(0, 2000),
            friendCount: this.rng.int(0, 300),
            overdueCount: this.rng.int(0, 3),
            payHistoryDays: this.rng.int(10, 400),
            annualIncome: this.moneyBetween(10_000, 80_000),
            avgMonthlySpend: this.moneyBetween(0, 3000),
            homeCity: HOME,
            bankCardBalance: this.moneyBetween(0, 5000),
          };
    } else {
      // Top up or drain the funds, move the score: what changes between visits.
      p = {};
      if (this.rng.chance(0.6)) p.balance = this.rng.chance(0.15) ? '0.00' : this.moneyBetween(1, 20_000);
      if (this.rng.chance(0.6))
        p.bankCardBalance = this.rng.chance(0.15) ? '0.00' : this.moneyBetween(1, 60_000);
      if (this.rng.chance(0.3)) p.payScore = this.rng.int(550, 850);
      if (this.rng.chance(0.2)) p.avgMonthlySpend = this.moneyBetween(0, 20_000);
      if (this.rng.chance(0.15)) {
        Object.assign(p, {
          realNameVerified: true,
          age: 30,
          bankCards: 1,
          monthlyPaymentCount: 40,
          friendCount: 300,
          payHistoryDays: 1000,
          payScore: 720,
        });
      }
    }
    const r = await this.call<{ profile: { balance: string; bankCardBalance: string } }>(
      u.openid,
      'sandbox',
      'setProfile',
      p,
    );
    this.expect(r.body.ok, `setProfile refused: ${JSON.stringify(r.body)}`);
    if (r.body.ok) {
      u.funds.balance = fen(r.body.data.profile.balance);
      u.funds.bank_card = fen(r.body.data.profile.bankCardBalance);
      if (p.balance !== undefined)
        this.expect(u.funds.balance === fen(p.balance as string), 'balance not set');
    }
  }

  private async apply(u: SimUser): Promise<void> {
    this.touched.add(u);
    const before = await this.account(u);
    const channel = this.rng.weighted([
      ['checkout', 5],
      ['wallet', 3],
      ['invite', 2],
    ] as const);
    const params: Record<string, unknown> = { channel };
    if (channel === 'checkout') params.annualIncome = this.moneyBetween(30_000, 400_000);
    if (channel === 'wallet') {
      if (this.rng.chance(0.9)) params.occupation = this.rng.pick(['工程师', '教师', '设计师', '自由职业']);
      params.annualIncome = this.moneyBetween(30_000, 400_000);
    }
    if (channel === 'invite' && this.rng.chance(0.6)) {
      if (this.rng.chance(0.5)) await this.call(u.openid, 'sandbox', 'invite');
      else await this.call(OPERATOR, 'admin', 'invite', { openid: u.openid });
    }
    const r = await this.call<{ decision: string; quota?: string }>(u.openid, 'credit', 'apply', params);
    const after = await this.account(u);
    if (before) {
      this.expect(!r.body.ok && r.body.error.code === 'ALREADY_OPEN', 'a second apply must be ALREADY_OPEN');
      return;
    }
    if (r.body.ok && r.body.data.decision === 'approved') {
      this.expect(after !== null && after.usedFen === 0, 'approved without a fresh account');
      this.expect(after !== null && money(after.quotaFen) === r.body.data.quota, 'quota answered ≠ stored');
      this.expect((after?.quotaFen ?? 0) >= 50_000, 'opened with a quota under 500.00');
    } else {
      this.expect(after === null, 'an account exists after a rejection');
      if (!r.body.ok) {
        this.expect(
          ['REAPPLY_TOO_SOON', 'INVITATION_REQUIRED', 'INVALID_INPUT'].includes(r.body.error.code),
          `unexpected apply refusal ${r.body.error.code}`,
        );
      }
    }
  }

  private pickMerchant(): Merchant {
    return this.rng.weighted<Merchant>([
      [MERCHANTS.grocery, 40],
      [MERCHANTS.online, 20],
      [MERCHANTS.utility, 8],
      [MERCHANTS.dutyFree, 5],
      [MERCHANTS.foreign, 3],
      [MERCHANTS.transfer, 2],
      [MERCHANTS.withdrawal, 2],
      [MERCHANTS.crypto, 2],
      [MERCHANTS.fund, 2],
      [MERCHANTS.qr, 8],
    ]);
  }

  private async spend(u: SimUser): Promise<void> {
    this.touched.add(u);
    const before = await this.accountAsOfToday(u);
    const merchant = this.pickMerchant();
    const amount =
      merchant === MERCHANTS.qr
        ? this.moneyBetween(900, 1600)
        : this.rng.weighted([
            [this.moneyBetween(1, 300), 60],
            [this.moneyBetween(300, 3000), 30],
            [this.moneyBetween(3000, 8000), 10],
          ] as const);
    const params: Record<string, unknown> = { requestId: this.requestId('sp'), amount, merchant };
    const where = this.rng.float();
    if (where < 0.1) params.city = HOME;
    else if (where < 0.16) params.city = this.rng.pick(['上海', '北京', '成都']);
    const version = this.fingerprint.version();
    const r = await this.idempotentCall<SpendData>(u.openid, 'pay', 'spend', params);
    const after = await this.account(u);
    // The fingerprint sees every commit: a spend always writes (its answer is stored).
    this.expect(this.fingerprint.version() !== version || !before, 'a spend committed nothing');
    const amountFen = fen(amount);
    if (r.body.ok) {
      this.expect(before !== null && after !== null, 'a spend without an account');
      if (!before || !after) return;
      this.expect(statusOf(before) !== 'frozen', 'a frozen account got a successful spend');
      this.expect(
        amountFen <= Math.max(0, before.quotaFen - before.usedFen),
        `spend ${amount} exceeded the available ${money(Math.max(0, before.quotaFen - before.usedFen))}`,
      );
      this.expect(after.usedFen === before.usedFen + amountFen, 'used did not grow by exactly the spend');
      this.expect(
        fen(r.body.data.available) === Math.max(0, after.quotaFen - after.usedFen),
        'spend answered a wrong available',
      );
      const txn = await this.h.store.get<TxnDoc>('txns', r.body.data.txnId);
      this.expect(txn !== null && txn.amountFen === amountFen && txn.openid === u.openid, 'txn not posted');
      u.txnIds.push(r.body.data.txnId);
    } else {
      this.expect(SPEND_REFUSALS.has(r.body.error.code), `unexpected spend refusal ${r.body.error.code}`);
      this.expect((after?.usedFen ?? 0) === (before?.usedFen ?? 0), 'a refused spend changed used');
      if (before && statusOf(before) === 'frozen') {
        this.expect(r.body.error.code === 'ACCOUNT_FROZEN', 'a frozen account was not refused as frozen');
      }
    }
  }

  private async repay(u: SimUser): Promise<void> {
    this.touched.add(u);
    const mode = this.rng.weighted([
      ['full', 25],
      ['minimum', 25],
      ['custom', 30],
      ['payoff', 20],
    ] as const);
    const channel = this.rng.chance(0.5) ? 'balance' : 'bank_card';
    const summary = await this.call<BillSummaryData>(u.openid, 'bill', 'summary');
    const owedFen = summary.body.ok ? fen(summary.body.data.totalOwed) : 0;
    const params: Record<string, unknown> = { mode, channel };
    if (mode === 'custom') {
      params.amount = this.rng.weighted([
        [money(Math.max(1, Math.floor(owedFen * this.rng.float()))), 6],
        [money(Math.max(1, owedFen)), 2],
        [money(owedFen + this.rng.int(1, 5000)), 1],
        ['0.01', 1],
      ] as const);
    }
    const quoted = this.rng.chance(0.8);
    const quote = quoted ? await this.call<QuoteData>(u.openid, 'bill', 'quote', params) : null;
    const r = await this.idempotentCall<RepayData>(u.openid, 'bill', 'repay', {
      requestId: this.requestId('rp'),
      ...params,
    });
    if (quote) {
      this.expect(
        quote.body.ok === r.body.ok,
        `quote and repay disagree: ${JSON.stringify([quote.body, r.body])}`,
      );
      if (quote.body.ok && r.body.ok) {
        const q = quote.body.data;
        const d = r.body.data;
        this.expect(q.amount === d.amount && q.fee === d.fee && q.total === d.total, 'repay ≠ its quote');
        this.expect(
          fen(q.amount) === q.allocation.reduce((s, l) => s + fen(l.amount), 0),
          'quote allocation does not add up to its amount',
        );
      }
      if (!quote.body.ok && !r.body.ok) {
        this.expect(quote.body.error.code === r.body.error.code, 'quote and repay refuse differently');
      }
    }
    if (r.body.ok) {
      const d = r.body.data;
      const amountFen = fen(d.amount);
      const feeFen = fen(d.fee);
      this.expect(fen(d.total) === amountFen + feeFen, 'total ≠ amount + fee');
      const expectedFee = channel === 'bank_card' ? Math.max(1, Math.floor((amountFen + 500) / 1000)) : 0;
      this.expect(feeFen === expectedFee, `fee ${d.fee} ≠ ${money(expectedFee)}`);
      this.expect(
        fen(d.owedAfter) === owedFen - amountFen,
        `owedAfter ${d.owedAfter} ≠ ${money(owedFen)} − ${d.amount}`,
      );
      if (mode === 'payoff') this.expect(d.owedAfter === '0.00', 'a payoff left something owed');
      if (mode === 'custom') this.expect(d.amount === params.amount, 'custom repaid another amount');
      u.acked.add(d.repaymentId);
    } else {
      this.expect(
        ['NO_ACCOUNT', 'NOTHING_DUE', 'OVERPAYMENT', 'INSUFFICIENT_FUNDS', 'INVALID_INPUT'].includes(
          r.body.error.code,
        ),
        `unexpected repay refusal ${r.body.error.code}`,
      );
    }
  }

  private async convert(u: SimUser): Promise<void> {
    this.touched.add(u);
    const before = await this.accountAsOfToday(u);
    let ref: Record<string, string>;
    if (this.rng.chance(0.5) || u.txnIds.length === 0) {
      const summary = await this.call<BillSummaryData>(u.openid, 'bill', 'summary');
      const id = summary.body.ok ? summary.body.data.current?.id : undefined;
      if (!id) {
        if (u.txnIds.length === 0) return;
        ref = { txnId: this.rng.pick(u.txnIds.slice(-12)) };
      } else {
        ref = { statementId: id };
      }
    } else {
      ref = { txnId: this.rng.pick(u.txnIds.slice(-12)) };
    }
    const offers = await this.call<InstallmentOffersData>(u.openid, 'bill', 'installmentOffers', ref);
    const term = this.rng.pick([3, 6, 12]);
    const r = await this.idempotentCall<ConvertData>(u.openid, 'bill', 'convert', {
      requestId: this.requestId('cv'),
      term,
      ...ref,
    });
    const after = await this.account(u);
    this.expect(
      offers.body.ok === r.body.ok,
      `offers and convert disagree: ${JSON.stringify([offers.body, r.body])}`,
    );
    this.expect((after?.usedFen ?? 0) === (before?.usedFen ?? 0), 'a conversion changed used');
    if (offers.body.ok && r.body.ok) {
      const offer = offers.body.data.offers.find((o) => o.term === term);
      this.expect(offer !== undefined, `no offer for term ${term}`);
      this.expect(offer?.principal === r.body.data.principal, 'converted principal ≠ offered');
      this.expect(offer?.monthlyPayment === r.body.data.monthlyPayment, 'monthly payment ≠ offered');
      this.expect(fen(r.body.data.principal) >= 10_000, 'converted under 100.00');
    }
    if (!offers.body.ok && !r.body.ok) {
      this.expect(offers.body.error.code === r.body.error.code, 'offers and convert refuse differently');
    }
  }

  private async autoDebit(u: SimUser): Promise<void> {
    this.touched.add(u);
    const enabled = this.rng.chance(0.6);
    const channel = this.rng.chance(0.5) ? 'balance' : 'bank_card';
    const r = await this.call(u.openid, 'bill', 'autoDebit', { enabled, channel });
    if (r.body.ok) {
      const s = await this.call<BillSummaryData>(u.openid, 'bill', 'summary');
      this.expect(
        s.body.ok && s.body.data.autoDebit.enabled === enabled && s.body.data.autoDebit.channel === channel,
        'auto-debit setting not kept',
      );
    }
  }

  private async appeal(u: SimUser): Promise<void> {
    this.touched.add(u);
    const events = await this.call<RiskEventsData>(u.openid, 'risk', 'events');
    if (!events.body.ok || events.body.data.events.length === 0) return;
    const event = this.rng.pick(events.body.data.events);
    const r = await this.call(u.openid, 'risk', 'appeal', { eventId: event.id, reason: '本人消费，请核实' });
    const expected =
      event.status === 'open' ? 'ok' : event.status === 'appealed' ? 'APPEAL_EXISTS' : 'APPEAL_CLOSED';
    this.expect((r.body.ok ? 'ok' : r.body.error.code) === expected, `appeal on a ${event.status} event`);
  }

  private async resolve(): Promise<void> {
    const pending = await this.h.store.find<AppealDoc>('appeals', { status: 'pending' });
    if (pending.length === 0) return;
    const appeal = this.rng.pick(pending);
    const owner = this.users.find((x) => x.openid === appeal.openid);
    if (owner) this.touched.add(owner);
    const outcome = this.rng.chance(0.5) ? 'upheld' : 'overturned';
    if (owner && this.rng.chance(0.2)) {
      // Not an operator: refused, and nothing changes.
      const before = this.fingerprint.version();
      const denied = await this.call(owner.openid, 'admin', 'resolveAppeal', {
        appealId: appeal._id,
        outcome,
        note: '自行处理',
      });
      this.expect(denied.status === 403, 'a user resolved an appeal');
      this.expect(this.fingerprint.version() === before, 'a refused admin call wrote to the database');
    }
    const r = await this.call(OPERATOR, 'admin', 'resolveAppeal', {
      appealId: appeal._id,
      outcome,
      note: '已核实',
    });
    this.expect(r.body.ok, `resolve refused: ${JSON.stringify(r.body)}`);
  }

  private async clearReview(u: SimUser): Promise<void> {
    this.touched.add(u);
    const r = await this.call(OPERATOR, 'admin', 'clearReview', { openid: u.openid });
    const account = await this.account(u);
    if (r.body.ok) this.expect(account !== null && !account.underReview, 'review not cleared');
    else this.expect(account === null && r.body.error.code === 'INVALID_INPUT', 'clearReview refused');
  }

  private async reevaluate(u: SimUser): Promise<void> {
    this.touched.add(u);
    const r = await this.call(u.openid, 'credit', 'reevaluate');
    if (!r.body.ok) {
      this.expect(
        ['NO_ACCOUNT', 'RATE_LIMITED', 'UNDER_REVIEW'].includes(r.body.error.code),
        `unexpected reevaluate refusal ${r.body.error.code}`,
      );
    }
  }

  private async invite(u: SimUser): Promise<void> {
    this.touched.add(u);
    if (this.rng.chance(0.5)) await this.call(u.openid, 'sandbox', 'invite');
    else await this.call(OPERATOR, 'admin', 'invite', { openid: u.openid });
  }

  private async read(u: SimUser): Promise<void> {
    this.touched.add(u);
    const which = this.rng.int(0, 6);
    if (which === 0) {
      const r = await this.call<BillListData>(u.openid, 'bill', 'list');
      if (!r.body.ok) return;
      for (const s of r.body.data.statements) {
        const remaining = fen(s.balance) - fen(s.paid) - fen(s.carriedForward) - fen(s.converted);
        this.expect(
          fen(s.remaining) === remaining,
          `statement ${s.id}: remaining ≠ balance − paid − carried − converted`,
        );
        if (s.status === 'carried' || s.status === 'paid')
          this.expect(remaining === 0, `${s.status} statement with remaining`);
      }
      const first = r.body.data.statements[0];
      if (first) {
        const d = await this.call<{ lines: unknown[] }>(u.openid, 'bill', 'detail', {
          statementId: first.id,
        });
        this.expect(d.body.ok, 'own statement detail refused');
      }
    } else if (which === 1) {
      const r = await this.call<BillSummaryData>(u.openid, 'bill', 'summary');
      if (r.body.ok) this.expect(fen(r.body.data.totalOwed) >= fen(r.body.data.unbilled), 'owed < unbilled');
    } else if (which === 2) {
      await this.call<RiskEventsData>(u.openid, 'risk', 'events');
    } else if (which === 3) {
      await this.call<AppealsData>(u.openid, 'risk', 'appeals');
    } else if (which === 4) {
      const r = await this.call<InboxListData>(u.openid, 'inbox', 'list');
      if (r.body.ok && r.body.data.messages.length > 0) {
        const m = this.rng.pick(r.body.data.messages);
        const read = await this.call(u.openid, 'inbox', 'read', { messageId: m.id });
        this.expect(read.body.ok, 'own message read refused');
      }
    } else if (which === 5) {
      await this.call(u.openid, 'credit', 'quota');
    } else {
      await this.call<CreditStatusData>(u.openid, 'credit', 'status');
    }
  }

  /** Another user's ids: refused as missing ones, nothing of theirs in the answer, nothing changed. */
  private async crossUser(u: SimUser): Promise<void> {
    const other = this.rng.pick(this.users);
    if (other === u) return;
    const ids: [string, string, Record<string, string>][] = [];
    const st = await this.h.store.find<{ _id: string }>('statements', { openid: other.openid });
    if (st.length) {
      const id = this.rng.pick(st)._id;
      ids.push(['bill', 'detail', { statementId: id }], ['bill', 'installmentOffers', { statementId: id }]);
    }
    if (other.txnIds.length) ids.push(['bill', 'installmentOffers', { txnId: this.rng.pick(other.txnIds) }]);
    const ev = await this.h.store.find<{ _id: string }>('riskEvents', { openid: other.openid });
    if (ev.length) ids.push(['risk', 'appeal', { eventId: this.rng.pick(ev)._id, reason: '不是我的' }]);
    const ms = await this.h.store.find<{ _id: string }>('messages', { openid: other.openid });
    if (ms.length) ids.push(['inbox', 'read', { messageId: this.rng.pick(ms)._id }]);
    if (ids.length === 0) return;
    const [fn, action, params] = this.rng.pick(ids);
    // Any action first catches its caller's own account up to today (usecases/current.ts): a write,
    // but the caller's own. Done beforehand, so the call itself must write nothing at all.
    await this.call(u.openid, 'credit', 'status');
    const before = this.fingerprint.version();
    const r = await this.call(u.openid, fn, action, params);
    const text = JSON.stringify(r.body);
    this.expect(
      r.status === 403 ||
        (r.status === 400 && !r.body.ok && ['INVALID_INPUT', 'NO_ACCOUNT'].includes(r.body.error.code)),
      `cross-user ${fn}.${action} answered ${r.status}`,
    );
    this.expect(
      !text.includes(other.openid) || other.openid === u.openid,
      'cross-user answer leaks the owner',
    );
    this.expect(this.fingerprint.version() === before, 'a cross-user call wrote to the database');
  }

  private async moveClock(): Promise<void> {
    const by = this.rng.weighted([
      [{ advanceHours: this.rng.int(1, 36) }, 60],
      [{ advanceDays: this.rng.int(1, 4) }, 30],
      [{ advanceDays: this.rng.int(7, 14) }, 10],
    ] as const);
    const r = await this.call(this.users[0]!.openid, 'sandbox', 'clock', by);
    this.expect(r.body.ok, 'clock refused');
    if (this.rng.chance(0.6)) await this.runScheduler();
  }

  /** The scheduler, then once more: the second run must change nothing and do nothing. */
  private async runScheduler(): Promise<void> {
    for (const u of this.users) this.touched.add(u);
    const first = await this.call<SchedulerRunData>(OPERATOR, 'sandbox', 'runScheduler');
    this.expect(first.body.ok, 'scheduler refused');
    this.schedulerRuns += 1;
    const before = this.fingerprint.hash();
    const second = await this.call<SchedulerRunData>(OPERATOR, 'sandbox', 'runScheduler');
    this.expect(this.fingerprint.hash() === before, 'the scheduler run twice changed the database twice');
    if (second.body.ok) {
      const { from: _f, to: _t, days, ...counters } = second.body.data;
      this.expect(
        days === 0 && Object.values(counters).every((v) => v === 0),
        `second run did work: ${JSON.stringify(second.body.data)}`,
      );
    }
  }

  private async replaySame(): Promise<void> {
    if (this.stored.length === 0) return;
    const req = this.rng.pick(this.stored);
    const u = this.users.find((x) => x.openid === req.openid);
    if (u) this.touched.add(u);
    const before = this.fingerprint.version();
    const r = await this.call(req.openid, req.fn, req.action, req.params);
    this.replaysSame += 1;
    this.expect(
      r.status === req.status && JSON.stringify(r.body) === req.answer,
      `replay of ${req.fn}.${req.action} ${String(req.params.requestId)} answered differently:\n  first ${req.answer}\n  now   ${JSON.stringify(r.body)}`,
    );
    this.expect(this.fingerprint.version() === before, 'a replay wrote to the database');
  }

  private async replayDifferent(): Promise<void> {
    if (this.stored.length === 0) return;
    const req = this.rng.pick(this.stored);
    const params = { ...req.params };
    if (req.action === 'spend') params.amount = money(fen(params.amount as string) + 1);
    else if (req.action === 'repay') params.channel = params.channel === 'balance' ? 'bank_card' : 'balance';
    else if (req.action === 'convert') params.term = params.term === 3 ? 6 : 3;
    const before = this.fingerprint.version();
    const r = await this.call(req.openid, req.fn, req.action, params);
    this.replaysConflict += 1;
    this.expect(
      r.status === 409 &&
        !r.body.ok &&
        r.body.error.code === 'IDEMPOTENCY_CONFLICT' &&
        r.body.error.details?.field === 'requestId',
      `a reused requestId with other parameters answered ${r.status} ${JSON.stringify(r.body)}`,
    );
    this.expect(this.fingerprint.version() === before, 'an idempotency conflict wrote to the database');
  }
}

interface SimHarness {
  deps: Deps;
  store: SqliteStore;
  clock: ManualClock;
  dir: string;
  close(): Promise<void>;
}

/** The function-test harness's setup (test/support/harness.ts) on a directory of our choosing. */
function createSimHarness(startAt: number, tmpRoot?: string): SimHarness {
  const root = tmpRoot ?? (fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir());
  const dir = fs.mkdtempSync(path.join(root, 'fenfu-sim-'));
  const store = new SqliteStore({ file: path.join(dir, 'fenfu.db') });
  const clock = new ManualClock(startAt);
  const deps: Deps = {
    store,
    clock,
    policy: ACTIVE_POLICY,
    notifier: inboxOnlyNotifier,
    config: { sandboxEnabled: true, operatorOpenids: [OPERATOR] },
  };
  return {
    deps,
    store,
    clock,
    dir,
    async close() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function simulate(options: SimOptions): Promise<SimSummary> {
  return new Simulation(options).run();
}
