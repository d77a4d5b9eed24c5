/**
 * bill.*: statements, quotes, repayments, installment offers and conversions, auto-debit settings.
 * Writes are one transaction each and idempotent by requestId.
 */
import type {
  AutoDebitData,
  BillListData,
  BillSummaryData,
  ConvertData,
  InstallmentOffersData,
  QuoteData,
  RepayChannel,
  RepayData,
  RepayMode,
  StatementDetail,
} from '../../../typings/api';
import type { Ctx } from '../app/context';
import { AppError, notFound, Refusal, refusal } from '../app/errors';
import { idempotent } from '../app/idempotency';
import { deadlineEnd, statementDates } from '../core/billing/dates';
import { accruedInterestToDate } from '../core/billing/interest';
import {
  applyConversion,
  conversionBlock,
  convertiblePrincipalFen,
  toApiStatement,
  toApiStatementDetail,
} from '../core/billing/statement';
import { buildOffers } from '../core/installments/offers';
import { buildSchedule, scheduleTotals } from '../core/installments/schedule';
import { formatFen, type Fen } from '../core/money';
import type { Policy } from '../core/policy';
import { quoteRepayment, toQuoteData, type QuoteResult } from '../core/repayment/quote';
import { periodKey, toIso } from '../core/time';
import type { Tx } from '../ports/store';
import { fundsOf, liveStatement, loadBilling, planPayoffs, totalOwedFen, unbilledTotalFen } from './billing';
import { currentAccount, currentAccountIfAny } from './current';
import { AccountDoc, nextId, PlanDoc, ProfileDoc, StatementDoc, TxnDoc } from './documents';
import { settleRepayment } from './settle';

/** The caller's own statement; another user's id is indistinguishable from a missing one. */
async function ownStatement(tx: Pick<Tx, 'get'>, openid: string, id: string): Promise<StatementDoc> {
  const s = await tx.get<StatementDoc>('statements', id);
  if (!s || s.openid !== openid) throw notFound('statementId', '账单不存在');
  return s;
}

async function ownTxn(tx: Pick<Tx, 'get'>, openid: string, id: string): Promise<TxnDoc> {
  const t = await tx.get<TxnDoc>('txns', id);
  if (!t || t.openid !== openid) throw notFound('txnId', '交易不存在');
  return t;
}

export async function billSummary(ctx: Ctx): Promise<BillSummaryData> {
  const { store, clock, policy } = ctx.deps;
  const now = await clock.now();
  const account = await currentAccount(store, ctx.openid, now);
  const billing = await loadBilling(store, account);
  return {
    current: billing.statement ? toApiStatement(billing.statement, now) : null,
    unbilled: formatFen(unbilledTotalFen(account)),
    totalOwed: formatFen(totalOwedFen(account, billing, now, policy)),
    autoDebit: { ...account.autoDebit },
  };
}

export async function billList(ctx: Ctx): Promise<BillListData> {
  const { store, clock } = ctx.deps;
  const now = await clock.now();
  await currentAccount(store, ctx.openid, now);
  const docs = await store.find<StatementDoc>(
    'statements',
    { openid: ctx.openid },
    { orderBy: { field: 'statementDate', direction: 'desc' }, limit: 120 },
  );
  return { statements: docs.map((s) => toApiStatement(s, now)) };
}

export async function billDetail(ctx: Ctx, statementId: string): Promise<StatementDetail> {
  const now = await ctx.deps.clock.now();
  // As of today: on the 14th at 00:00:01 the statement is overdue, scheduler run or not.
  await currentAccountIfAny(ctx.deps.store, ctx.openid, now);
  return toApiStatementDetail(await ownStatement(ctx.deps.store, ctx.openid, statementId), now);
}

export interface QuoteInput {
  mode: RepayMode;
  amount?: number;
  channel: RepayChannel;
}

async function quoteFor(
  tx: Pick<Tx, 'get'>,
  openid: string,
  input: QuoteInput,
  now: number,
  policy: Policy,
): Promise<{
  account: AccountDoc;
  profile: ProfileDoc | null;
  quote: QuoteResult;
  billing: Awaited<ReturnType<typeof loadBilling>>;
}> {
  const account = await currentAccount(tx, openid, now);
  const profile = await tx.get<ProfileDoc>('profiles', openid);
  const billing = await loadBilling(tx, account);
  const statement = liveStatement(billing.statement);
  const quote = quoteRepayment({
    mode: input.mode,
    ...(input.amount !== undefined ? { amountFen: input.amount } : {}),
    channel: input.channel,
    statement,
    unbilled: account.unbilled,
    accruedInterestFen: statement ? accruedInterestToDate(statement, now, policy) : 0,
    plans: planPayoffs(billing.plans, now, policy),
    sourceFundsFen: fundsOf(profile, input.channel),
    policy,
  });
  return { account, profile, quote, billing };
}

export async function billQuote(ctx: Ctx, input: QuoteInput): Promise<QuoteData | Refusal> {
  const { store, clock, policy } = ctx.deps;
  const now = await clock.now();
  const { quote } = await quoteFor(store, ctx.openid, input, now, policy);
  if (!quote.ok) return refusal(quote.code, quote.message, quote.details);
  return toQuoteData(quote);
}

export async function billRepay(
  ctx: Ctx,
  input: QuoteInput & { requestId: string },
): Promise<RepayData | Refusal> {
  const { store, clock, policy } = ctx.deps;
  const now = await clock.now();
  const { requestId, ...params } = input;
  return store.transaction((tx) =>
    idempotent(tx, { openid: ctx.openid, fn: 'bill', action: 'repay', requestId }, params, now, async () => {
      const { account, profile, quote, billing } = await quoteFor(tx, ctx.openid, params, now, policy);
      if (!quote.ok) return refusal(quote.code, quote.message, quote.details);
      if (!profile) throw new AppError('INSUFFICIENT_FUNDS', '未找到可用的还款资金来源');
      const settled = await settleRepayment(
        tx,
        account,
        profile,
        billing,
        {
          mode: input.mode,
          channel: input.channel,
          requestId,
          amountFen: quote.amountFen,
          feeFen: quote.feeFen,
          totalFen: quote.totalFen,
          allocation: quote.allocation,
        },
        now,
        policy,
      );
      return {
        repaymentId: settled.repayment._id,
        amount: formatFen(quote.amountFen),
        fee: formatFen(quote.feeFen),
        total: formatFen(quote.totalFen),
        owedAfter: formatFen(settled.repayment.owedAfterFen),
      };
    }),
  );
}

export type SourceRef = { statementId: string } | { txnId: string };

/** What a statement or a purchase could turn into installments, and why not when it can't. */
async function convertible(
  tx: Pick<Tx, 'get'>,
  account: AccountDoc,
  ref: SourceRef,
  now: number,
): Promise<{ principalFen: Fen; statement?: StatementDoc; txn?: TxnDoc } | Refusal> {
  if ('statementId' in ref) {
    const statement = await ownStatement(tx, account.openid, ref.statementId);
    if (statement._id !== account.currentStatementId) {
      return refusal('NOT_CONVERTIBLE', '仅本期账单可以分期');
    }
    const block = conversionBlock(statement, now);
    if (block === 'grace_ended') {
      const end = toIso(deadlineEnd(statement.graceEndsAt));
      return refusal(
        'NOT_CONVERTIBLE',
        `本期账单已过还款宽限期（${end.slice(0, 10)} ${end.slice(11, 19)}），不能再办理分期`,
      );
    }
    if (block === 'past_due') {
      return refusal(
        'NOT_CONVERTIBLE',
        `账单有逾期未还金额 ${formatFen(statement.pastDueFen)} 元，请先还清再办理分期`,
        { pastDue: formatFen(statement.pastDueFen) },
      );
    }
    const principalFen = convertiblePrincipalFen(statement, now);
    if (principalFen === 0 && statement.convertedFen > 0) {
      return refusal('ALREADY_CONVERTED', '本期账单已办理分期');
    }
    return { principalFen, statement };
  }
  const txn = await ownTxn(tx, account.openid, ref.txnId);
  if (txn.status === 'converted') return refusal('ALREADY_CONVERTED', '该笔消费已办理分期');
  if (txn.status !== 'unbilled') return refusal('NOT_CONVERTIBLE', '该笔消费已出账，可对账单办理分期');
  if ((account.unbilled[txn.period] ?? 0) < txn.amountFen) {
    return refusal('NOT_CONVERTIBLE', '该笔消费已部分提前还款，暂不支持分期');
  }
  return { principalFen: txn.amountFen, txn };
}

export async function installmentOffers(ctx: Ctx, ref: SourceRef): Promise<InstallmentOffersData | Refusal> {
  const { store, clock, policy } = ctx.deps;
  const now = await clock.now();
  const account = await currentAccount(store, ctx.openid, now);
  const source = await convertible(store, account, ref, now);
  if ('refused' in source) return source;
  const offers = buildOffers(source.principalFen, policy);
  if (!offers.ok) return refusal(offers.code, offers.message);
  return { offers: offers.offers };
}

export async function convert(
  ctx: Ctx,
  input: SourceRef & { requestId: string; term: number },
): Promise<ConvertData | Refusal> {
  const { store, clock, policy } = ctx.deps;
  const now = await clock.now();
  const { requestId, ...params } = input;
  if (!policy.installments.terms.includes(input.term)) {
    throw new AppError('INVALID_INPUT', `分期期数须为 ${policy.installments.terms.join('、')} 期之一`, {
      field: 'term',
    });
  }
  return store.transaction((tx) =>
    idempotent(
      tx,
      { openid: ctx.openid, fn: 'bill', action: 'convert', requestId },
      params,
      now,
      async () => {
        const account = await currentAccount(tx, ctx.openid, now);
        const source = await convertible(tx, account, input, now);
        if ('refused' in source) return source;
        const offers = buildOffers(source.principalFen, policy);
        if (!offers.ok) return refusal(offers.code, offers.message);

        const planId = nextId('plan', account);
        const schedule = buildSchedule(source.principalFen, input.term, policy);
        // The next statement (issued on the 1st) bills installment 1.
        const firstPeriod = periodKey(now);
        const plan: PlanDoc = {
          _id: planId,
          openid: ctx.openid,
          source: source.statement ? 'statement' : 'txn',
          sourceId: source.statement ? source.statement._id : (source.txn?._id ?? ''),
          principalFen: source.principalFen,
          term: input.term,
          schedule,
          firstPeriod,
          periodsBilled: 0,
          status: 'active',
          createdAt: now,
          paidOffAt: null,
          policyVersion: policy.version,
        };
        await tx.add('plans', plan);
        let unbilled = account.unbilled;
        if (source.statement) {
          const next = applyConversion(source.statement, source.principalFen, now, planId);
          await tx.put('statements', { ...next, _id: source.statement._id, openid: ctx.openid });
        } else if (source.txn) {
          await tx.patch('txns', source.txn._id, { status: 'converted' });
          unbilled = {
            ...unbilled,
            [source.txn.period]: (unbilled[source.txn.period] ?? 0) - source.txn.amountFen,
          };
        }
        // Principal moves from the statement or unbilled into the plan: `used` is unchanged.
        await tx.put('accounts', {
          ...account,
          seq: account.seq + 1,
          unbilled,
          activePlanIds: [...account.activePlanIds, planId],
        });
        return {
          planId,
          term: input.term,
          principal: formatFen(source.principalFen),
          monthlyPayment: formatFen(schedule[0]?.paymentFen ?? 0),
          totalInterest: formatFen(scheduleTotals(schedule).interestFen),
          firstDueDate: toIso(statementDates(firstPeriod, policy).dueDate),
        };
      },
    ),
  );
}

export async function setAutoDebit(ctx: Ctx, input: AutoDebitData): Promise<AutoDebitData> {
  const now = await ctx.deps.clock.now();
  return ctx.deps.store.transaction(async (tx) => {
    const account = await currentAccount(tx, ctx.openid, now);
    await tx.patch('accounts', account._id, {
      autoDebit: { enabled: input.enabled, channel: input.channel },
    });
    return { enabled: input.enabled, channel: input.channel };
  });
}
