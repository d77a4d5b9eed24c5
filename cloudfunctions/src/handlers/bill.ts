import * as z from 'zod';
import { action, FunctionDef } from '../app/dispatch';
import { docId, emptyInput, moneyInput, requestId } from '../app/validation';
import {
  billDetail,
  billList,
  billQuote,
  billRepay,
  billSummary,
  convert,
  installmentOffers,
  setAutoDebit,
  SourceRef,
} from '../usecases/bill';

const channel = z.enum(['balance', 'bank_card']);
const mode = z.enum(['full', 'minimum', 'custom', 'payoff']);

/** `amount` is required for custom and refused for the other modes, naming the field either way. */
function amountRule(v: { mode: string; amount?: unknown }, ctx: z.RefinementCtx): void {
  if (v.mode === 'custom' && v.amount === undefined) {
    ctx.addIssue({ code: 'custom', path: ['amount'], message: '自定义还款须填写金额' });
  }
  if (v.mode !== 'custom' && v.amount !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['amount'], message: '仅自定义还款可填写金额' });
  }
}

const quoteInput = z.strictObject({ mode, amount: moneyInput.optional(), channel }).superRefine(amountRule);
const repayInput = z
  .strictObject({ requestId, mode, amount: moneyInput.optional(), channel })
  .superRefine(amountRule);

/** Exactly one of statementId and txnId. */
function sourceRule(v: { statementId?: string; txnId?: string }, ctx: z.RefinementCtx): void {
  if ((v.statementId === undefined) === (v.txnId === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['statementId'], message: 'statementId 与 txnId 须且只能填写一个' });
  }
}

const sourceFields = { statementId: docId.optional(), txnId: docId.optional() };

function sourceRef(v: { statementId?: string; txnId?: string }): SourceRef {
  return v.statementId !== undefined ? { statementId: v.statementId } : { txnId: v.txnId ?? '' };
}

export const bill: FunctionDef = {
  summary: action({ input: emptyInput, run: (ctx) => billSummary(ctx) }),
  list: action({ input: emptyInput, run: (ctx) => billList(ctx) }),
  detail: action({
    input: z.strictObject({ statementId: docId }),
    run: (ctx, i) => billDetail(ctx, i.statementId),
  }),
  quote: action({ input: quoteInput, run: (ctx, i) => billQuote(ctx, i) }),
  repay: action({ input: repayInput, run: (ctx, i) => billRepay(ctx, i) }),
  installmentOffers: action({
    input: z.strictObject(sourceFields).superRefine(sourceRule),
    run: (ctx, i) => installmentOffers(ctx, sourceRef(i)),
  }),
  convert: action({
    input: z.strictObject({ requestId, term: z.number().int(), ...sourceFields }).superRefine(sourceRule),
    run: (ctx, i) => convert(ctx, { requestId: i.requestId, term: i.term, ...sourceRef(i) }),
  }),
  autoDebit: action({
    input: z.strictObject({ enabled: z.boolean(), channel }),
    run: (ctx, i) => setAutoDebit(ctx, i),
  }),
};
