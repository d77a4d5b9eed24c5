/**
 * Posting a repayment (manual or auto-debit) once the core has quoted it: the statement's
 * buckets, the unbilled principal, early-paid plans, the funds, the record, the freeze and the
 * unpaid-principal invariant — all in the caller's transaction.
 */
import { formatFen, type Fen } from '../core/money';
import type { Policy } from '../core/policy';
import { applyToUnbilled, type AllocationItem } from '../core/repayment/allocation';
import { applyRepayment } from '../core/repayment/apply';
import { CHANNEL_LABEL } from '../core/repayment/fees';
import type { Tx } from '../ports/store';
import { assertUsedInvariant, BillingState, debitFunds, totalOwedFen, unpaidPrincipalFen } from './billing';
import { rescore } from './credit';
import { closeAppeal } from './appeals';
import {
  AccountDoc,
  AppealDoc,
  nextId,
  PlanDoc,
  ProfileDoc,
  RepaymentDoc,
  RiskEventDoc,
  StatementDoc,
} from './documents';
import { postMessage } from './messages';

export interface Settlement {
  mode: RepaymentDoc['mode'];
  channel: 'balance' | 'bank_card';
  requestId: string | null;
  amountFen: Fen;
  feeFen: Fen;
  totalFen: Fen;
  allocation: AllocationItem[];
  /** The receipt's title and text when the standard one would not say enough (a partial auto-debit). */
  receipt?: { title: string; body: string };
}

export interface Settled {
  account: AccountDoc;
  billing: BillingState;
  repayment: RepaymentDoc;
}

export async function settleRepayment(
  tx: Tx,
  account: AccountDoc,
  profile: ProfileDoc,
  billing: BillingState,
  s: Settlement,
  now: number,
  policy: Policy,
): Promise<Settled> {
  let statement = billing.statement;
  const wasDelinquent = Boolean(statement && statement.pastDueFen > 0);
  if (statement) {
    const applied = applyRepayment(statement, s.allocation, now);
    statement = { ...applied, _id: statement._id, openid: statement.openid } as StatementDoc;
    await tx.put('statements', statement);
  }
  const plans: PlanDoc[] = [];
  for (const plan of billing.plans) {
    const paidOff = s.allocation.some(
      (l) => l.target === 'installment' && l.planId === plan._id && !l.statementId,
    );
    if (paidOff) {
      const done: PlanDoc = { ...plan, status: 'paid_off', paidOffAt: now };
      await tx.put('plans', done);
    } else {
      plans.push(plan);
    }
  }
  const repaymentId = nextId('rep', account);
  let updated: AccountDoc = {
    ...account,
    seq: account.seq + 1,
    unbilled: dropZeros(applyToUnbilled(account.unbilled, s.allocation)),
    activePlanIds: plans.map((p) => p._id),
  };
  const after: BillingState = { statement, plans };
  updated = { ...updated, usedFen: unpaidPrincipalFen(updated, after) };

  // Everything overdue repaid: the freeze lifts and the quota is re-scored (SPEC §5).
  const cleared = wasDelinquent && statement !== null && statement.pastDueFen === 0;
  if (cleared && updated.risk.frozen) {
    if (updated.risk.freezeEventId) {
      const event = await tx.get<RiskEventDoc>('riskEvents', updated.risk.freezeEventId);
      if (event && (event.status === 'open' || event.status === 'appealed')) {
        await tx.patch('riskEvents', event._id, { status: 'resolved' });
        // Its appeal has nothing left to decide (older events do not name theirs: the
        // scheduler's deadline pass closes those).
        const appeal = event.appealId ? await tx.get<AppealDoc>('appeals', event.appealId) : null;
        if (appeal) await closeAppeal(tx, appeal, now);
      }
    }
    updated = { ...updated, risk: { ...updated.risk, frozen: false, freezeEventId: null } };
  }
  await tx.put('accounts', updated);
  if (cleared && account.risk.frozen) updated = await rescore(tx, updated, now, policy);
  assertUsedInvariant(updated, after);

  await tx.put('profiles', debitFunds(profile, s.channel, s.totalFen));
  const owedAfterFen = totalOwedFen(updated, after, now, policy);
  const repayment: RepaymentDoc = {
    _id: repaymentId,
    openid: account.openid,
    requestId: s.requestId,
    mode: s.mode,
    channel: s.channel,
    amountFen: s.amountFen,
    feeFen: s.feeFen,
    totalFen: s.totalFen,
    allocation: s.allocation.map((l) => ({ ...l })),
    at: now,
    owedAfterFen,
    policyVersion: policy.version,
  };
  await tx.add('repayments', repayment);
  const source = CHANNEL_LABEL[s.channel];
  await postMessage(tx, {
    openid: account.openid,
    type: 'repayment_received',
    title: s.receipt?.title ?? (s.mode === 'auto_debit' ? '自动还款成功' : '还款成功'),
    body:
      s.receipt?.body ??
      `已从${source}还款 ${formatFen(s.amountFen)} 元` +
        (s.feeFen > 0 ? `（手续费 ${formatFen(s.feeFen)} 元）` : '') +
        `，剩余应还 ${formatFen(owedAfterFen)} 元。` +
        (cleared && account.risk.frozen ? '逾期欠款已还清，分付已恢复使用。' : ''),
    at: now,
    dedupeKey: `repayment:${repaymentId}`,
  });
  return { account: updated, billing: after, repayment };
}

function dropZeros(unbilled: Record<string, Fen>): Record<string, Fen> {
  const out: Record<string, Fen> = {};
  for (const [k, v] of Object.entries(unbilled)) if (v !== 0) out[k] = v;
  return out;
}
