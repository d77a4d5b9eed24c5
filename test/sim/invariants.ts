/**
 * The simulation's invariants over one user's stored documents and API views. Each is a plain
 * comparison; `checks` counts how many were evaluated.
 *
 *  1. credit.status: available = max(0, quota − used); used and quota equal the stored account.
 *  2. used = unpaid principal (billing.ts unpaidPrincipalFen over the stored documents).
 *  3. The ledger balances: Σ posted purchases = principal repaid (billed, installment and
 *     unbilled principal, plus plan payoffs) + unpaid principal.
 *  4. Repaid = allocated: every repayment's lines add up to its amount, total = amount + fee, the
 *     fee follows the channel; the lines by target equal what the statements and plans recorded.
 *  5. Every statement's books balance (ledger.ts assertStatementInvariant, remaining ≥ 0); only the
 *     account's current statement may still carry debt.
 *  6. Plans: schedule principal = plan principal; Σ plan principal = Σ converted (statements + txns).
 *  7. No negative number anywhere in any of the user's documents.
 *  8. Funds: each source holds exactly what the simulation put there minus every repayment's
 *     total, every acknowledged repayment is stored, and no repayment exists without an
 *     acknowledgement (auto-debit excepted).
 *  9. Quota: a multiple of 100.00, at most the cap; a frozen account has quota 0.
 */
import type { CreditStatusData, Envelope } from '../../typings/api';
import { assertStatementInvariant, remainingFen } from '../../cloudfunctions/src/core/billing/ledger';
import { payoffBeyondStatements } from '../../cloudfunctions/src/core/installments/earlyPayoff';
import type { Policy } from '../../cloudfunctions/src/core/policy';
import type { Store } from '../../cloudfunctions/src/ports/store';
import {
  lastBilledDue,
  loadBilling,
  planUnbilledPrincipal,
  unpaidPrincipalFen,
} from '../../cloudfunctions/src/usecases/billing';
import {
  statusOf,
  type AccountDoc,
  type PlanDoc,
  type ProfileDoc,
  type RepaymentDoc,
  type StatementDoc,
  type TxnDoc,
} from '../../cloudfunctions/src/usecases/documents';

export class InvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvariantError';
  }
}

export interface SimUser {
  openid: string;
  /** What each funding source must hold (fen), by the simulation's own bookkeeping. */
  funds: { balance: number; bank_card: number };
  /** Repayment records already reconciled against the funds. */
  seenRepayments: Set<string>;
  /** Repayment ids the API acknowledged. */
  acked: Set<string>;
  txnIds: string[];
}

/** A wire money string to fen; refuses anything but the SPEC's non-negative two-decimal format. */
export function fen(text: string): number {
  const m = /^(\d+)\.(\d{2})$/.exec(text);
  if (!m) throw new InvariantError(`not a non-negative money string: ${JSON.stringify(text)}`);
  return Number(m[1]) * 100 + Number(m[2]);
}

type Caller = (
  fn: string,
  action: string,
  params?: Record<string, unknown>,
) => Promise<{ status: number; body: Envelope<unknown> }>;

export class Checker {
  checks = 0;
  accountChecks = 0;

  constructor(
    private readonly store: Store,
    private readonly policy: Policy,
  ) {}

  count(): void {
    this.checks += 1;
  }

  private expect(cond: boolean, message: string): void {
    this.checks += 1;
    if (!cond) throw new InvariantError(message);
  }

  private equal(actual: number, expected: number, what: string): void {
    this.expect(actual === expected, `${what}: ${actual} ≠ ${expected}`);
  }

  async checkUser(u: SimUser, call: Caller): Promise<void> {
    this.accountChecks += 1;
    const { openid } = u;
    // The call first: a user's call may catch a lagging account up (usecases/current.ts), and
    // the documents read below must be those it answered from.
    const status = await call('credit', 'status');
    const account = await this.store.get<AccountDoc>('accounts', openid);
    this.expect(status.body.ok, `credit.status refused for ${openid}`);
    const view = status.body.ok ? (status.body.data as CreditStatusData).account : null;
    const profile = await this.store.get<ProfileDoc>('profiles', openid);
    const repayments = await this.store.find<RepaymentDoc>('repayments', { openid });
    this.checkFunds(u, profile, repayments);
    if (!account) {
      this.expect(view === null, `${openid}: an account view without an account`);
      const txns = await this.store.find<TxnDoc>('txns', { openid });
      this.equal(txns.length, 0, `${openid}: txns without an account`);
      return;
    }
    // 1 and 9
    this.expect(view !== null, `${openid}: no account view`);
    if (!view) return;
    this.equal(fen(view.available), Math.max(0, fen(view.quota) - fen(view.used)), `${openid}: available`);
    this.equal(fen(view.used), account.usedFen, `${openid}: used shown`);
    this.equal(fen(view.quota), account.quotaFen, `${openid}: quota shown`);
    this.expect(view.status === statusOf(account), `${openid}: status shown`);
    this.equal(account.quotaFen % this.policy.quota.roundDownToFen, 0, `${openid}: quota rounding`);
    this.expect(account.quotaFen <= this.policy.quota.capFen, `${openid}: quota over the cap`);
    if (account.risk.frozen) this.equal(account.quotaFen, 0, `${openid}: frozen account's quota`);

    // 2
    const billing = await loadBilling(this.store, account);
    this.equal(account.usedFen, unpaidPrincipalFen(account, billing), `${openid}: used vs unpaid principal`);

    const statements = await this.store.find<StatementDoc>('statements', { openid });
    const plans = await this.store.find<PlanDoc>('plans', { openid });
    const txns = await this.store.find<TxnDoc>('txns', { openid });

    // 5
    for (const s of statements) {
      try {
        assertStatementInvariant(s);
      } catch (err) {
        throw new InvariantError(`${openid}: ${(err as Error).message}`);
      }
      this.expect(remainingFen(s) >= 0, `${s._id}: negative remaining`);
      if (s._id !== account.currentStatementId) {
        this.equal(remainingFen(s), 0, `${s._id}: a non-current statement still carries debt`);
      }
      this.equal(
        s.conversions.reduce((sum, c) => sum + c.amountFen, 0),
        s.convertedFen,
        `${s._id}: conversions vs converted`,
      );
    }

    // 4: repaid = allocated, line by line, against what the statements and plans recorded.
    const lines = { billed: 0, installmentDue: 0, interest: 0, accrued: 0, unbilled: 0, payoff: 0 };
    for (const r of repayments) {
      const sum = r.allocation.reduce((s, l) => s + l.amountFen, 0);
      this.equal(sum, r.amountFen, `${r._id}: allocation vs amount`);
      this.equal(r.totalFen, r.amountFen + r.feeFen, `${r._id}: total`);
      const fee =
        r.channel === 'bank_card' && r.mode !== 'auto_debit'
          ? Math.max(1, Math.floor((r.amountFen + 500) / 1000))
          : 0;
      this.equal(r.feeFen, fee, `${r._id}: fee`);
      for (const l of r.allocation) {
        this.expect(l.amountFen > 0, `${r._id}: an allocation line of ${l.amountFen}`);
        if (l.target === 'billed_principal') lines.billed += l.amountFen;
        else if (l.target === 'unbilled_principal') lines.unbilled += l.amountFen;
        else if (l.target === 'interest' && l.accrued) lines.accrued += l.amountFen;
        else if (l.target === 'interest') lines.interest += l.amountFen;
        else if (l.target === 'installment' && l.statementId) lines.installmentDue += l.amountFen;
        else if (l.target === 'installment') lines.payoff += l.amountFen;
      }
    }
    const paid = { billed: 0, installment: 0, installmentPrincipal: 0, interest: 0, accrued: 0 };
    for (const s of statements) {
      paid.billed += s.paid.carriedPrincipalFen + s.paid.newPrincipalFen;
      paid.installment += s.paid.installmentInterestFen + s.paid.installmentPrincipalFen;
      paid.installmentPrincipal += s.paid.installmentPrincipalFen;
      paid.interest += s.paid.interestFen;
      paid.accrued += s.accruedInterestPaidFen;
    }
    this.equal(lines.billed, paid.billed, `${openid}: billed principal repaid vs statements`);
    this.equal(lines.installmentDue, paid.installment, `${openid}: installment dues repaid vs statements`);
    this.equal(lines.interest, paid.interest, `${openid}: interest repaid vs statements`);
    this.equal(lines.accrued, paid.accrued, `${openid}: accrued interest repaid vs statements`);
    let payoffPrincipal = 0;
    let payoffTotal = 0;
    for (const p of plans.filter((x) => x.status === 'paid_off')) {
      const at = p.paidOffAt ?? 0;
      const figures = payoffBeyondStatements(
        p.schedule,
        p.periodsBilled,
        lastBilledDue(p, this.policy),
        at,
        this.policy,
      );
      this.equal(figures.principalFen, planUnbilledPrincipal(p), `${p._id}: payoff principal`);
      payoffPrincipal += figures.principalFen;
      payoffTotal += figures.totalFen;
    }
    this.equal(lines.payoff, payoffTotal, `${openid}: plan payoffs repaid vs plans`);

    // 3: every fen out is a fen in.
    const purchases = txns.reduce((s, t) => s + t.amountFen, 0);
    const repaidPrincipal = paid.billed + paid.installmentPrincipal + lines.unbilled + payoffPrincipal;
    this.equal(
      purchases,
      repaidPrincipal + account.usedFen,
      `${openid}: purchases vs principal repaid + unpaid`,
    );

    // 6
    let planPrincipal = 0;
    for (const p of plans) {
      this.equal(
        p.schedule.reduce((s, r) => s + r.principalFen, 0),
        p.principalFen,
        `${p._id}: schedule principal`,
      );
      this.expect(p.periodsBilled >= 0 && p.periodsBilled <= p.term, `${p._id}: periods billed`);
      this.expect((p.status === 'completed') === (p.periodsBilled === p.term), `${p._id}: completed status`);
      planPrincipal += p.principalFen;
    }
    const converted =
      statements.reduce((s, x) => s + x.convertedFen, 0) +
      txns.filter((t) => t.status === 'converted').reduce((s, t) => s + t.amountFen, 0);
    this.equal(planPrincipal, converted, `${openid}: plan principal vs converted`);
    const activeIds = plans.filter((p) => p.status === 'active').map((p) => p._id);
    this.expect(
      account.activePlanIds.every((id) => activeIds.includes(id)),
      `${openid}: activePlanIds lists a closed plan`,
    );

    // 7
    const docs: unknown[] = [account, profile, ...statements, ...plans, ...txns, ...repayments];
    for (const c of ['riskEvents', 'appeals', 'creditRecords'])
      docs.push(...(await this.store.find(c, { openid })));
    // Messages only ever change their read flag: the newest ones are the ones not yet checked.
    docs.push(
      ...(await this.store.find(
        'messages',
        { openid },
        { orderBy: { field: 'createdAt', direction: 'desc' }, limit: 30 },
      )),
    );
    for (const d of docs) {
      this.checks += 1;
      noNegative(d, (d as { _id?: string } | null)?._id ?? '?');
    }
  }

  private checkFunds(u: SimUser, profile: ProfileDoc | null, repayments: RepaymentDoc[]): void {
    for (const r of repayments) {
      if (u.seenRepayments.has(r._id)) continue;
      u.seenRepayments.add(r._id);
      if (r.mode === 'auto_debit') {
        this.expect(r.requestId === null, `${r._id}: auto-debit with a requestId`);
      } else {
        this.expect(u.acked.has(r._id), `${r._id}: a repayment nobody was told about`);
      }
      u.funds[r.channel] -= r.totalFen;
    }
    for (const id of u.acked)
      this.expect(u.seenRepayments.has(id), `acknowledged repayment ${id} is not stored`);
    this.equal(profile?.balanceFen ?? 0, u.funds.balance, `${u.openid}: 零钱 balance`);
    this.equal(profile?.bankCardBalanceFen ?? 0, u.funds.bank_card, `${u.openid}: bank card balance`);
  }
}

/** Throws at the first negative (or non-finite) number or negative money string in `value`. */
function noNegative(value: unknown, where: string, path = ''): void {
  if (typeof value === 'number') {
    if (!(Number.isFinite(value) && value >= 0))
      throw new InvariantError(`negative amount at ${where}${path}: ${value}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => noNegative(v, where, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) noNegative(v, where, `${path}.${k}`);
  } else if (typeof value === 'string' && /^-\d+\.\d\d$/.test(value)) {
    throw new InvariantError(`negative money at ${where}${path}: ${value}`);
  }
}
