/**
 * Time-travel scenarios of the billing lifecycle (SPEC §5–§7) on the real SQLite store:
 * the sandbox clock moves, the scheduler replays each day, and we read what a user would see.
 */
import type { BillSummaryData, SchedulerRunData, Statement } from '../../typings/api';
import type { ProfileDoc } from '../../cloudfunctions/src/usecases/documents';
import type { Doc, Store, Tx } from '../../cloudfunctions/src/ports/store';
import { runScheduler, SchedulerFailure } from '../../cloudfunctions/src/usecases/scheduler';
import { runBounded } from '../../cloudfunctions/src/cloud/scheduler';
import { handle } from '../../cloudfunctions/src/app/dispatch';
import { FUNCTIONS } from '../../cloudfunctions/src/handlers';
import { createHarness, GROCERY, Harness, openAccount, rid } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness('2026-11-05T10:00:00+08:00');
  await openAccount(h);
});
afterEach(() => h.close());

type Merchant = { id: string; name: string; category: string; scene: string };
const spend = (amount: string, openid = 'u_alice', merchant: Merchant = GROCERY) =>
  h.ok<{ txnId: string; available: string }>('pay', 'spend', { requestId: rid(), amount, merchant }, openid);
const silent = { error: () => undefined };

async function travel(iso: string): Promise<Record<string, unknown>> {
  await h.at(iso);
  return h.ok('sandbox', 'runScheduler');
}

const summary = () => h.ok<BillSummaryData>('bill', 'summary');
const current = async (): Promise<Statement> => {
  const s = (await summary()).current;
  if (!s) throw new Error('no current statement');
  return s;
};
const repay = (mode: string, channel = 'balance', amount?: string) =>
  h.call<{ amount: string; fee: string; total: string; owedAfter: string }>('bill', 'repay', {
    requestId: rid(),
    mode,
    channel,
    ...(amount ? { amount } : {}),
  });

describe('statements, grace and interest', () => {
  it('spend 1000.00 on 5 Nov → the 1 Dec statement: 2026-11, balance 1000.00, minimum 100.00, due 10 Dec, grace to 13 Dec', async () => {
    await spend('1000.00');
    const run = await travel('2026-12-01T08:00:00+08:00');
    expect(run).toMatchObject({ statementsIssued: 1 });
    expect(await current()).toMatchObject({
      period: '2026-11',
      statementDate: '2026-12-01T00:00:00+08:00',
      dueDate: '2026-12-10T23:59:59+08:00',
      graceEndsAt: '2026-12-13T23:59:59+08:00',
      balance: '1000.00',
      principal: '1000.00',
      minimumDue: '100.00',
      paid: '0.00',
      remaining: '1000.00',
      status: 'open',
      overdueDays: 0,
    });
    const { messages } = await h.ok<{ messages: { type: string; body: string }[] }>('inbox', 'list');
    expect(messages.find((m) => m.type === 'statement_issued')?.body).toContain('1000.00');
  });

  it('paid in full on 12 Dec (inside grace) → paid, no interest, the whole quota available again', async () => {
    await spend('1000.00');
    await travel('2026-12-12T09:00:00+08:00');
    const r = await repay('full');
    expect(r.body).toMatchObject({
      ok: true,
      data: { amount: '1000.00', fee: '0.00', total: '1000.00', owedAfter: '0.00' },
    });
    expect(await current()).toMatchObject({ status: 'paid', remaining: '0.00' });
    await travel('2027-01-02T09:00:00+08:00');
    const s = await current();
    expect(s.period).toBe('2026-11'); // no new statement: nothing to bill, no interest
    expect((await summary()).totalOwed).toBe('0.00');
    const status = await h.ok<{ account: { available: string; used: string; quota: string } }>(
      'credit',
      'status',
    );
    // The quota itself was re-scored meanwhile (零钱 fell by the 1000.00 repaid); all of it is available.
    expect(status.account).toMatchObject({ used: '0.00', available: status.account.quota });
  });

  it('100.00 paid on 10 Dec → the 1 Jan statement bills 9.45 interest, balance 909.45, not overdue', async () => {
    await spend('1000.00');
    await travel('2026-12-10T12:00:00+08:00');
    expect((await repay('minimum')).body).toMatchObject({ ok: true, data: { amount: '100.00' } });
    await travel('2026-12-20T00:00:00+08:00');
    expect(await current()).toMatchObject({ status: 'open', overdueDays: 0, remaining: '900.00' });
    await travel('2027-01-01T09:00:00+08:00');
    const jan = await current();
    expect(jan).toMatchObject({
      period: '2026-12',
      interest: '9.45',
      balance: '909.45',
      principal: '900.00',
      status: 'open',
    });
    expect(jan.minimumDue).toBe('99.45');
    const list = await h.ok<{ statements: Statement[] }>('bill', 'list');
    expect(list.statements.map((s) => [s.period, s.status])).toEqual([
      ['2026-12', 'open'],
      ['2026-11', 'carried'],
    ]);
  });
});

describe('overdue and freeze', () => {
  it('nothing paid → overdue on 14 Dec with overdueDays 3, frozen after 30 days, a payoff lifts the freeze', async () => {
    await spend('1000.00');
    await travel('2026-12-14T00:00:01+08:00');
    expect(await current()).toMatchObject({ status: 'overdue', overdueDays: 3 });
    const records = await h.store.find('creditRecords', { openid: 'u_alice' });
    expect(records).toHaveLength(1);
    const profile = await h.store.get<ProfileDoc>('profiles', 'u_alice');
    expect(profile?.overdueCount).toBe(1);

    await travel('2027-01-10T12:00:00+08:00');
    expect((await h.ok<{ account: { status: string } }>('credit', 'status')).account.status).toBe('active');
    await travel('2027-01-11T00:00:00+08:00');
    const frozen = await h.ok<{ account: { status: string; available: string } }>('credit', 'status');
    expect(frozen.account).toMatchObject({ status: 'frozen', available: '0.00' });
    const refused = await h.call('pay', 'spend', { requestId: rid(), amount: '10.00', merchant: GROCERY });
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'ACCOUNT_FROZEN' } });
    const { events } = await h.ok<{ events: { level: number; type: string; status: string }[] }>(
      'risk',
      'events',
    );
    expect(events[0]).toMatchObject({ level: 3, type: 'overdue_30_days', status: 'open' });

    const payoff = await repay('payoff', 'bank_card');
    expect(payoff.body).toMatchObject({ ok: true, data: { owedAfter: '0.00' } });
    const after = await h.ok<{ account: { status: string; quota: string } }>('credit', 'status');
    expect(after.account.status).toBe('active');
    const resolved = await h.ok<{ events: { type: string; status: string }[] }>('risk', 'events');
    expect(resolved.events[0]).toMatchObject({ type: 'overdue_30_days', status: 'resolved' });
    expect((await spend('10.00')).txnId).toBeTruthy();
  });
  it('nothing paid in December → the 1 Jan minimum is 100.00 + 10.50 = 110.50; paying it ends the delinquency and is on time', async () => {
    await spend('1000.00');
    await travel('2027-01-01T09:00:00+08:00');
    // The past-due 100.00 is part of the 1000.00 carried principal, whose 10% is already counted.
    expect(await current()).toMatchObject({ balance: '1010.50', minimumDue: '110.50', status: 'overdue' });
    expect((await repay('custom', 'balance', '110.50')).body).toMatchObject({ ok: true });
    expect(await current()).toMatchObject({ status: 'open', overdueDays: 0 });
    await travel('2027-01-14T09:00:00+08:00'); // past January's grace
    expect(await current()).toMatchObject({ status: 'open', overdueDays: 0 });
    expect(await h.store.find('creditRecords', { openid: 'u_alice' })).toHaveLength(1); // December's only
  });

  it('a frozen account asking for a third re-evaluation within 7 days is under review once the freeze lifts', async () => {
    await spend('1000.00');
    await travel('2027-01-11T09:00:00+08:00'); // nothing paid: frozen
    const reevaluate = () => h.call('credit', 'reevaluate');
    await reevaluate();
    await h.at('2027-01-11T10:00:00+08:00');
    await reevaluate();
    await h.at('2027-01-11T11:00:00+08:00');
    const third = await reevaluate();
    expect(third.body).toMatchObject({
      ok: false,
      error: {
        code: 'UNDER_REVIEW',
        message: '近期额度申请较频繁，账户已转入人工审核',
        details: { status: 'frozen' },
      },
    });
    // A week on, still frozen and nobody has cleared the review: no more requests (SPEC §3).
    await h.at('2027-01-19T11:00:00+08:00');
    expect((await reevaluate()).body).toMatchObject({ ok: false, error: { code: 'UNDER_REVIEW' } });
    expect((await repay('payoff', 'bank_card')).body).toMatchObject({ ok: true });
    const after = await h.ok<{ account: { status: string } }>('credit', 'status');
    expect(after.account.status).toBe('under_review');
  });

  it('a missed installment stays past due until repaid: the next minimum covers it, paying less after grace does not cure it', async () => {
    await openAccount(h, 'u_bob');
    const status = async (who: string) =>
      (await h.ok<{ account: { status: string } }>('credit', 'status', {}, who)).account.status;
    const currentOf = async (who: string) =>
      (await h.ok<BillSummaryData>('bill', 'summary', {}, who)).current!;
    const repayAs = (who: string, mode: string, amount?: string) =>
      h.call<{ amount: string }>(
        'bill',
        'repay',
        { requestId: rid(), mode, channel: 'bank_card', ...(amount ? { amount } : {}) },
        who,
      );
    for (const who of ['u_alice', 'u_bob']) {
      const { txnId } = await spend('3000.00', who);
      await h.ok('bill', 'convert', { requestId: rid(), txnId, term: 3 }, who);
    }
    for (const month of ['2026-12', '2027-01']) {
      await travel(`${month}-05T09:00:00+08:00`);
      for (const who of ['u_alice', 'u_bob']) expect((await repayAs(who, 'full')).body.ok).toBe(true);
    }
    // February bills installment 3 (1030.14), its minimum; neither pays it: overdue from 14 Feb.
    await travel('2027-02-14T09:00:00+08:00');
    for (const who of ['u_alice', 'u_bob']) {
      expect(await currentOf(who)).toMatchObject({ minimumDue: '1030.14', status: 'overdue' });
    }
    // March carries it as principal (1014.92) and interest (15.22), plus 9.13 of interest: the
    // formula's 125.84 would leave 904.30 of the missed installment unpaid, so the minimum is the
    // past-due 1030.14.
    await travel('2027-03-05T09:00:00+08:00');
    expect(await currentOf('u_alice')).toMatchObject({
      balance: '1039.27',
      minimumDue: '1030.14',
      status: 'overdue',
    });
    expect((await repayAs('u_alice', 'minimum')).body).toMatchObject({
      ok: true,
      data: { amount: '1030.14' },
    });
    expect(await currentOf('u_alice')).toMatchObject({ status: 'open', remaining: '9.13' });

    // Bob pays nothing: 31 days overdue on 13 March, frozen; March's grace end keeps the 1030.14.
    await travel('2027-03-14T09:00:00+08:00');
    expect(await status('u_alice')).toBe('active');
    expect(await status('u_bob')).toBe('frozen');
    expect((await repayAs('u_bob', 'custom', '125.84')).body).toMatchObject({ ok: true });
    expect(await status('u_bob')).toBe('frozen');
    expect(await currentOf('u_bob')).toMatchObject({ status: 'overdue' });
    expect((await repayAs('u_bob', 'minimum')).body).toMatchObject({ ok: true, data: { amount: '904.30' } });
    expect(await status('u_bob')).toBe('active');
  });

  it('a statement with an amount past due cannot become installments (it would not repay it)', async () => {
    await spend('1000.00');
    await travel('2027-01-11T09:00:00+08:00'); // nothing paid: overdue since 14 Dec, frozen
    const jan = await current();
    expect(jan).toMatchObject({ status: 'overdue', balance: '1010.50' });
    const before = await h.snapshot();
    const offers = await h.call('bill', 'installmentOffers', { statementId: jan.id });
    expect(offers.body).toMatchObject({
      ok: false,
      error: {
        code: 'NOT_CONVERTIBLE',
        message: '账单有逾期未还金额 100.00 元，请先还清再办理分期',
        details: { pastDue: '100.00' },
      },
    });
    const conv = await h.call('bill', 'convert', { requestId: rid(), statementId: jan.id, term: 12 });
    expect(conv.body).toMatchObject({ ok: false, error: { code: 'NOT_CONVERTIBLE' } });
    const strip = (s: string) => JSON.stringify({ ...JSON.parse(s), idempotency: [] });
    expect(strip(await h.snapshot())).toBe(strip(before));
  });

  it('after its grace a statement cannot become installments, and the refusal says so', async () => {
    await spend('1000.00');
    await travel('2026-12-14T09:00:00+08:00');
    const dec = await current();
    const offers = await h.call('bill', 'installmentOffers', { statementId: dec.id });
    expect(offers.body).toMatchObject({
      ok: false,
      error: {
        code: 'NOT_CONVERTIBLE',
        message: '本期账单已过还款宽限期（2026-12-13 23:59:59），不能再办理分期',
      },
    });
  });
});

describe('auto-debit', () => {
  it('pays the statement on its due date from the chosen source', async () => {
    await spend('1000.00');
    await h.ok('bill', 'autoDebit', { enabled: true, channel: 'bank_card' });
    await travel('2026-12-10T08:00:00+08:00');
    expect(await current()).toMatchObject({ status: 'paid', paid: '1000.00' });
    const profile = await h.store.get<ProfileDoc>('profiles', 'u_alice');
    expect(profile?.bankCardBalanceFen).toBe(5_000_000 - 100_000); // free: no 0.1% fee on auto-debit
  });

  it('with too little for the whole statement → the minimum is debited, the user told, no overdue', async () => {
    await spend('3000.00');
    await h.ok('bill', 'autoDebit', { enabled: true, channel: 'balance' }); // 零钱 2000.00 < 3000.00
    await travel('2026-12-10T08:00:00+08:00');
    expect(await current()).toMatchObject({ status: 'open', paid: '300.00', remaining: '2700.00' });
    expect((await h.store.get<ProfileDoc>('profiles', 'u_alice'))?.balanceFen).toBe(200_000 - 30_000);
    // One message for it, the receipt, which also says what the due-date reminder would.
    const { messages } = await h.ok<{ messages: { type: string; title: string; body: string }[] }>(
      'inbox',
      'list',
    );
    const about = messages.filter((m) =>
      ['repayment_received', 'auto_debit_failed', 'due_today'].includes(m.type),
    );
    expect(about).toEqual([
      expect.objectContaining({
        type: 'repayment_received',
        title: '自动还款：已还最低还款额',
        body:
          '零钱可用金额不足以全额还款，已自动扣除本期最低还款额 300.00 元，本期不会逾期。' +
          '剩余 2700.00 元在 12月13日 23:59:59 前还清可免利息，之后未还部分按日计息。',
      }),
    ]);
    await travel('2026-12-14T09:00:00+08:00'); // past grace: minimum met, not overdue
    expect(await current()).toMatchObject({ status: 'open', overdueDays: 0 });
    expect(await h.store.find('creditRecords', { openid: 'u_alice' })).toHaveLength(0);
  });

  it('with too little even for the minimum → nothing taken, an inbox message, the statement stays open', async () => {
    await spend('3000.00');
    await h.setProfile('u_alice', { balanceFen: 29_999 }); // 零钱 299.99 < the 300.00 minimum
    await h.ok('bill', 'autoDebit', { enabled: true, channel: 'balance' });
    await travel('2026-12-10T08:00:00+08:00');
    expect(await current()).toMatchObject({ status: 'open', remaining: '3000.00' });
    const { messages } = await h.ok<{ messages: { type: string; body: string }[] }>('inbox', 'list');
    expect(messages.find((m) => m.type === 'auto_debit_failed')?.body).toBe(
      '自动还款未成功：零钱可用金额不足，本期应还 3000.00 元（最低还款 300.00 元）。请在 12月13日 23:59:59 前手动还款，以免逾期。',
    );
    expect(messages.filter((m) => m.type === 'due_today')).toEqual([]); // the message above says it
  });
});

describe('installments', () => {
  it('a 3000.00 purchase in 3 installments → 1030.15, 1030.15, 1030.14 on the next three statements', async () => {
    const { txnId } = await spend('3000.00');
    const offers = await h.ok<{
      offers: { term: number; monthlyPayment: string; aprSimple: string; aprCompound: string }[];
    }>('bill', 'installmentOffers', { txnId });
    expect(offers.offers.find((o) => o.term === 3)).toMatchObject({
      monthlyPayment: '1030.15',
      aprSimple: '18.00',
      aprCompound: '19.56',
    });
    const plan = await h.ok<{ totalInterest: string; firstDueDate: string }>('bill', 'convert', {
      requestId: rid(),
      txnId,
      term: 3,
    });
    expect(plan).toMatchObject({ totalInterest: '90.44', firstDueDate: '2026-12-10T23:59:59+08:00' });
    const again = await h.call('bill', 'convert', { requestId: rid(), txnId, term: 3 });
    expect(again.body).toMatchObject({ ok: false, error: { code: 'ALREADY_CONVERTED' } });

    const dues: string[] = [];
    for (const month of ['2026-12', '2027-01', '2027-02']) {
      await travel(`${month}-02T09:00:00+08:00`);
      const s = await current();
      dues.push(s.installments);
      expect(s.balance).toBe(s.installments);
      await travel(`${month}-05T09:00:00+08:00`);
      expect((await repay('full', 'bank_card')).body).toMatchObject({ ok: true });
    }
    expect(dues).toEqual(['1030.15', '1030.15', '1030.14']);
    await travel('2027-03-02T09:00:00+08:00');
    expect((await summary()).totalOwed).toBe('0.00');
    expect((await h.ok<{ account: { used: string } }>('credit', 'status')).account.used).toBe('0.00');
  });

  it('early payoff: remaining principal + the current period interest (fees not locked by default)', async () => {
    const { txnId } = await spend('3000.00');
    await h.ok('bill', 'convert', { requestId: rid(), txnId, term: 3 });
    const payoffQuote = () =>
      h.ok<{ amount: string; allocation: { target: string; amount: string }[] }>('bill', 'quote', {
        mode: 'payoff',
        channel: 'bank_card',
      });
    // 2 Dec: installment 1 (1030.15, its 45.00 interest included) is on the December statement and
    // falls due on the 10th, so period 1 is still the current one: the plan adds its 2014.85 of
    // principal not yet billed and no interest. 3000.00 + one period's interest, not two.
    await travel('2026-12-02T09:00:00+08:00');
    const early = await payoffQuote();
    expect(early.amount).toBe('3045.00'); // 1030.15 + 2014.85
    expect(early.allocation).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ target: 'installment', amount: '1030.15' }),
        expect.objectContaining({ target: 'installment', amount: '2014.85' }),
      ]),
    );
    // 11 Dec, installment 1 paid: period 2 is current, and its interest is 2014.85 × 1.5% = 30.22.
    await travel('2026-12-10T09:00:00+08:00');
    expect((await repay('full', 'bank_card')).body).toMatchObject({ ok: true });
    await travel('2026-12-11T09:00:00+08:00');
    expect((await payoffQuote()).amount).toBe('2045.07');
  });
  it('an installment due left unpaid and carried is not offered as installments again (review, 2026-11-22)', async () => {
    const { txnId } = await spend('3000.00');
    await h.ok('bill', 'convert', { requestId: rid(), txnId, term: 3 }); // 1030.15, 1030.15, 1030.14
    await spend('1000.00');
    await travel('2026-12-02T09:00:00+08:00');
    expect((await repay('minimum', 'bank_card')).body).toMatchObject({ ok: true }); // installment 1 + 100.00
    await travel('2027-01-02T09:00:00+08:00');
    // January's minimum pays the interest, the carried 900.00, then 220.15 of installment 2.
    expect((await repay('minimum', 'bank_card')).body).toMatchObject({ ok: true });
    await travel('2027-02-02T09:00:00+08:00');
    const feb = await current();
    // Its principal is the unpaid 810.00 of installment 2: already in a plan, never converted again.
    expect(feb).toMatchObject({ principal: '810.00', installments: '1030.14' });
    const offers = await h.call('bill', 'installmentOffers', { statementId: feb.id });
    expect(offers.body).toMatchObject({ ok: false, error: { code: 'NOT_CONVERTIBLE' } });
    const conv = await h.call('bill', 'convert', { requestId: rid(), statementId: feb.id, term: 12 });
    expect(conv.body).toMatchObject({ ok: false, error: { code: 'NOT_CONVERTIBLE' } });
    expect(await h.store.find('plans', { openid: 'u_alice' })).toHaveLength(1);
  });

  it('a statement converted in full says so when asked again', async () => {
    await spend('3000.00');
    await travel('2026-12-02T09:00:00+08:00');
    const dec = await current();
    expect(
      (await h.call('bill', 'convert', { requestId: rid(), statementId: dec.id, term: 3 })).body,
    ).toMatchObject({
      ok: true,
    });
    const again = await h.call('bill', 'installmentOffers', { statementId: dec.id });
    expect(again.body).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_CONVERTED', message: '本期账单已办理分期' },
    });
  });
});

describe('the scheduler', () => {
  it('run twice in a row changes nothing', async () => {
    await spend('1000.00');
    await travel('2026-12-15T09:00:00+08:00');
    const snapshot = await h.snapshot();
    const second = await h.ok<{ statementsIssued: number; overdueMarked: number; reminders: number }>(
      'sandbox',
      'runScheduler',
    );
    expect(second).toMatchObject({ statementsIssued: 0, overdueMarked: 0, reminders: 0 });
    expect(await h.snapshot()).toBe(snapshot);
  });

  it('a jump of two months replays every day in order', async () => {
    await spend('1000.00');
    const run = await travel('2027-01-20T09:00:00+08:00');
    expect(run).toMatchObject({ statementsIssued: 2, overdueMarked: 1, interestAccrued: 1 });
    const list = await h.ok<{ statements: Statement[] }>('bill', 'list');
    expect(list.statements.map((s) => s.period)).toEqual(['2026-12', '2026-11']);
    // December interest: 1000.00 unpaid after the 10th → 21 days × 0.50 = 10.50, billed on 1 Jan.
    expect(list.statements[0]).toMatchObject({ interest: '10.50', balance: '1010.50', status: 'overdue' });
    const types = (await h.ok<{ messages: { type: string }[] }>('inbox', 'list')).messages.map((m) => m.type);
    expect(types).toEqual(expect.arrayContaining(['statement_issued', 'due_soon', 'due_today', 'overdue']));
  });

  /** The store, but every statement written for `who` fails (as a corrupt document or a bug would). */
  const failingFor = (who: string): Store =>
    new Proxy(h.store, {
      get(target, prop, receiver) {
        if (prop !== 'transaction') return Reflect.get(target, prop, receiver) as unknown;
        return (fn: (tx: Tx) => Promise<unknown>) =>
          target.transaction((tx) =>
            fn({
              get: tx.get.bind(tx),
              patch: tx.patch.bind(tx),
              put: tx.put.bind(tx),
              remove: tx.remove.bind(tx),
              add: async (collection: string, doc: Doc) => {
                if (collection === 'statements' && doc['openid'] === who) throw new Error('disk says no');
                return tx.add(collection, doc);
              },
            }),
          );
      },
    });
  /** Four accounts with November purchases; shards run in order: u_carol (13), u_alice (25), u_bob (44), u_dave (56). */
  const fourWithPurchases = async () => {
    for (const who of ['u_bob', 'u_carol', 'u_dave']) await openAccount(h, who);
    for (const who of ['u_alice', 'u_bob', 'u_carol', 'u_dave']) await spend('100.00', who);
    await h.at('2026-12-02T09:00:00+08:00');
  };
  const issuedTo = async () =>
    (await h.store.find<Doc & { openid: string }>('statements', {})).map((st) => st.openid).sort();

  it('an account that fails stays behind and holds up no other; the run still fails, naming it', async () => {
    await fourWithPurchases();
    const run = runScheduler({ ...h.deps, store: failingFor('u_bob') }, { concurrency: 1 });
    await expect(run).rejects.toBeInstanceOf(SchedulerFailure);
    await expect(run).rejects.toMatchObject({ failures: [{ openid: 'u_bob' }] });
    await expect(run).rejects.toThrow(/1 account\(s\) could not be caught up .*u_bob: disk says no/);
    expect(await issuedTo()).toEqual(['u_alice', 'u_carol', 'u_dave']);

    // The next run, the store mended, catches u_bob up and nobody twice.
    const again = await runScheduler(h.deps);
    expect(again.statementsIssued).toBe(1);
    expect(await issuedTo()).toEqual(['u_alice', 'u_bob', 'u_carol', 'u_dave']);
  });

  it('in batches (the cloud function, the sandbox), a failing account is tried once and every other one done', async () => {
    await fourWithPurchases();
    const deps = { ...h.deps, store: failingFor('u_carol') }; // the first shard of the four
    const bounded = runBounded(deps, { maxAccounts: 2000, batch: 1, budgetMs: 60_000 });
    await expect(bounded).rejects.toMatchObject({ failures: [{ openid: 'u_carol' }] });
    expect(await issuedTo()).toEqual(['u_alice', 'u_bob', 'u_dave']);
    const sandbox = await handle(
      'sandbox',
      FUNCTIONS.sandbox!,
      { action: 'runScheduler' },
      'u_alice',
      deps,
      silent,
    );
    expect(sandbox.status).toBe(500);
    expect(await issuedTo()).toEqual(['u_alice', 'u_bob', 'u_dave']);
    expect((await h.ok<SchedulerRunData>('sandbox', 'runScheduler')).statementsIssued).toBe(1);
    expect(await issuedTo()).toEqual(['u_alice', 'u_bob', 'u_carol', 'u_dave']);
  });

  it('appeal deadlines are kept while an account fails', async () => {
    await fourWithPurchases();
    const QR = { id: 'p_qr_7', name: '个人收款码', category: 'personal_qr', scene: 'offline' };
    await h.at('2026-12-02T09:30:00+08:00');
    await runScheduler(h.deps); // everyone's 1 December, before the store breaks
    for (let i = 0; i < 3; i += 1) await spend('1000.00', 'u_alice', QR);
    const ev = (await h.ok<{ events: { id: string; type: string }[] }>('risk', 'events')).events[0]!;
    await h.ok('risk', 'appeal', { eventId: ev.id, reason: '正常消费' });
    await h.at('2027-01-02T09:00:00+08:00'); // past the review deadline; u_carol's next statement fails
    await expect(runScheduler({ ...h.deps, store: failingFor('u_carol') })).rejects.toThrow(/u_carol/);
    const { appeals } = await h.ok<{ appeals: { escalatedAt?: string }[] }>('risk', 'appeals');
    expect(appeals[0]!.escalatedAt).toBe('2027-01-02T09:00:00+08:00');
  });
});

describe('repayment channels and refusals', () => {
  it('bank-card repayments charge 0.1%, balance repayments nothing', async () => {
    await spend('1000.00');
    await travel('2026-12-02T09:00:00+08:00');
    const card = await h.ok<{ fee: string; total: string }>('bill', 'quote', {
      mode: 'full',
      channel: 'bank_card',
    });
    expect(card).toMatchObject({ fee: '1.00', total: '1001.00' });
    const bal = await h.ok<{ fee: string; total: string }>('bill', 'quote', {
      mode: 'full',
      channel: 'balance',
    });
    expect(bal).toMatchObject({ fee: '0.00', total: '1000.00' });
    expect((await repay('full', 'bank_card')).body).toMatchObject({
      ok: true,
      data: { fee: '1.00', total: '1001.00' },
    });
  });

  it('OVERPAYMENT and INSUFFICIENT_FUNDS refuse and change nothing', async () => {
    await spend('3000.00');
    await travel('2026-12-02T09:00:00+08:00');
    const before = await h.snapshot();
    const over = await repay('custom', 'bank_card', '3000.01');
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({
      ok: false,
      error: { code: 'OVERPAYMENT', details: { maxAmount: '3000.00' } },
    });
    const poor = await repay('full', 'balance');
    expect(poor.body).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_FUNDS' } });
    // Refusals are recorded for their requestId only (a retry replays them), nothing else changes.
    const strip = (s: string) => JSON.stringify({ ...JSON.parse(s), idempotency: [] });
    expect(strip(await h.snapshot())).toBe(strip(before));
  });

  it('a custom amount when nothing it can pay is owed is OVERPAYMENT (at most 0.00), pointing to payoff for plans', async () => {
    const none = await repay('custom', 'balance', '10.00');
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({
      ok: false,
      error: { code: 'OVERPAYMENT', message: '当前没有需要还款的金额', details: { maxAmount: '0.00' } },
    });
    // Only an installment plan is owed: a custom amount cannot reach it, payoff can.
    const { txnId } = await spend('3000.00');
    await h.ok('bill', 'convert', { requestId: rid(), txnId, term: 3 });
    expect((await summary()).totalOwed).toBe('3045.00');
    const plan = await repay('custom', 'balance', '100.00');
    expect(plan.body).toMatchObject({
      ok: false,
      error: { code: 'OVERPAYMENT', details: { maxAmount: '0.00' } },
    });
    expect(JSON.stringify(plan.body)).toContain('全部结清');
    expect(
      (await h.ok<{ amount: string }>('bill', 'quote', { mode: 'payoff', channel: 'bank_card' })).amount,
    ).toBe('3045.00');
  });

  it('a retried repayment requestId pays once', async () => {
    await spend('1000.00');
    await travel('2026-12-02T09:00:00+08:00');
    const params = { requestId: rid(), mode: 'custom', amount: '200.00', channel: 'balance' };
    const first = await h.ok('bill', 'repay', params);
    const second = await h.ok('bill', 'repay', params);
    expect(second).toEqual(first);
    expect(await current()).toMatchObject({ paid: '200.00', remaining: '800.00' });
    // The same requestId with another amount is a conflict, and pays nothing.
    const other = await h.call('bill', 'repay', { ...params, amount: '10.01' });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } });
    expect(await current()).toMatchObject({ paid: '200.00', remaining: '800.00' });
  });

  it('a retried conversion requestId converts once; with another term it is a conflict', async () => {
    const { txnId } = await spend('3000.00');
    const params = { requestId: rid(), txnId, term: 3 };
    const first = await h.ok<{ planId: string }>('bill', 'convert', params);
    expect(await h.ok('bill', 'convert', params)).toEqual(first);
    const other = await h.call('bill', 'convert', { ...params, term: 6 });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } });
    expect(await h.store.find('plans', { openid: 'u_alice' })).toHaveLength(1);
  });
});
