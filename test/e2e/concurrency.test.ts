/**
 * Concurrency through the gateway over real HTTP (createGateway on 127.0.0.1:0, one socket per
 * request in flight): parallel spends, repayments and conversions on ONE account. Nothing exceeds
 * the quota, nothing is paid or converted twice, the same requestId in parallel acts once, and the
 * funds are debited exactly once per acknowledged repayment. The account is then audited with the
 * simulation's invariants (test/sim/invariants.ts).
 */
import type { ProfileDoc, RepaymentDoc, TxnDoc } from '../../cloudfunctions/src/usecases/documents';
import { Checker, fen, type SimUser } from '../sim/invariants';
import {
  GROCERY,
  OPERATOR,
  startTestGateway,
  STRONG_PROFILE,
  type Reply,
  type TestGateway,
} from '../security/support';

jest.setTimeout(60_000);

const ALICE = 'u_alice';
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
  await gw.ok('sandbox', { action: 'setProfile', ...STRONG_PROFILE, balance: '100000.00' }, ALICE);
  const applied = await gw.ok<{ quota: string }>(
    'credit',
    { action: 'apply', channel: 'checkout', annualIncome: '240000.00' },
    ALICE,
  );
  // The quota is re-scored from the profile: 700×10 + 3000×8% + 100000×5% → 12240 → 12200.00.
  expect(applied.quota).toBe('12200.00');
});
afterAll(() => gw.close());

const spend = (requestId: string, amount: string) =>
  gw.post<{ txnId: string; available: string }>(
    'pay',
    { action: 'spend', requestId, amount, merchant: GROCERY },
    ALICE,
  );
const repay = (requestId: string, mode: string, channel: string, amount?: string) =>
  gw.post<{ repaymentId: string; amount: string; total: string }>(
    'bill',
    { action: 'repay', requestId, mode, channel, ...(amount ? { amount } : {}) },
    ALICE,
  );
const convert = (requestId: string, ref: Record<string, string>, term: number) =>
  gw.post<{ planId: string }>('bill', { action: 'convert', requestId, term, ...ref }, ALICE);
const status = async () =>
  (
    await gw.ok<{ account: { quota: string; used: string; available: string } }>(
      'credit',
      { action: 'status' },
      ALICE,
    )
  ).account;
const funds = async () => {
  const p = await gw.deps.store.get<ProfileDoc>('profiles', ALICE);
  return { balance: p!.balanceFen, bank_card: p!.bankCardBalanceFen };
};
const repayments = () => gw.deps.store.find<RepaymentDoc>('repayments', { openid: ALICE });
const codes = (rs: Reply[]) => {
  const out: Record<string, number> = {};
  for (const r of rs) {
    const c = r.body.ok ? 'ok' : r.body.error.code;
    out[c] = (out[c] ?? 0) + 1;
  }
  return out;
};

let peak = 0;
/** Fire all at once (each its own HTTP request and socket); record the peak in flight. */
async function together<T>(makers: (() => Promise<T>)[]): Promise<T[]> {
  peak = Math.max(peak, makers.length);
  return Promise.all(makers.map((m) => m()));
}

describe('one account under parallel load', () => {
  it('the same requestId sent 16 times in parallel spends once, and every answer is the same', async () => {
    const rs = await together(Array.from({ length: 16 }, () => () => spend('cc-same-spend-1', '100.00')));
    expect(codes(rs)).toEqual({ ok: 16 });
    expect(new Set(rs.map((r) => r.text)).size).toBe(1);
    const txns = await gw.deps.store.find<TxnDoc>('txns', { openid: ALICE });
    expect(txns.filter((t) => t.requestId === 'cc-same-spend-1')).toHaveLength(1);
    expect((await status()).used).toBe('100.00');
  });

  it('60 parallel spends of 250.00 never exceed the quota: exactly the ones that fit succeed', async () => {
    const rs = await together(Array.from({ length: 60 }, (_, i) => () => spend(`cc-spend-${i}`, '250.00')));
    // 12200.00 − 100.00 = 12100.00 available: 48 × 250.00 fit (12000.00), 12 do not.
    expect(codes(rs)).toEqual({ ok: 48, INSUFFICIENT_QUOTA: 12 });
    const s = await status();
    expect(s).toMatchObject({ used: '12100.00', available: '100.00' });
    // Each acknowledged spend answered a distinct txn and an available that was true at its commit.
    const ok = rs.filter((r) => r.body.ok).map((r) => (r.body.ok ? r.body.data : null)!);
    expect(new Set(ok.map((d) => d.txnId)).size).toBe(48);
    expect(ok.map((d) => d.available).sort()).toEqual(
      Array.from({ length: 48 }, (_, i) => `${12100 - 250 * (i + 1)}.00`).sort(),
    );
    // 20 more of 100.00 race for the last 100.00: one wins.
    const last = await together(Array.from({ length: 20 }, (_, i) => () => spend(`cc-last-${i}`, '100.00')));
    expect(codes(last)).toEqual({ ok: 1, INSUFFICIENT_QUOTA: 19 });
    expect(await status()).toMatchObject({ used: '12200.00', available: '0.00' });
  });

  it('12 parallel "minimum" and 12 parallel "full" repayments: each pays once, funds debited once', async () => {
    await gw.ok('sandbox', { action: 'clock', set: '2026-12-05T09:00:00+08:00' }, OPERATOR);
    await gw.ok('sandbox', { action: 'runScheduler' }, OPERATOR);
    const summary = await gw.ok<{ current: { balance: string; minimumDue: string } }>(
      'bill',
      { action: 'summary' },
      ALICE,
    );
    expect(summary.current).toMatchObject({ balance: '12200.00', minimumDue: '1220.00' });

    const before = await funds();
    const mins = await together(
      Array.from(
        { length: 12 },
        (_, i) => () => repay(`cc-min-${i}`, 'minimum', i % 2 ? 'balance' : 'bank_card'),
      ),
    );
    expect(codes(mins)).toEqual({ ok: 1, NOTHING_DUE: 11 });
    const fulls = await together(
      Array.from(
        { length: 12 },
        (_, i) => () => repay(`cc-full-${i}`, 'full', i % 2 ? 'balance' : 'bank_card'),
      ),
    );
    expect(codes(fulls)).toEqual({ ok: 1, NOTHING_DUE: 11 });
    const acked = [...mins, ...fulls].filter((r) => r.body.ok).map((r) => (r.body.ok ? r.body.data : null)!);
    expect(acked.map((d) => d.amount).sort()).toEqual(['10980.00', '1220.00']);
    const after = await funds();
    const debited = before.balance - after.balance + (before.bank_card - after.bank_card);
    expect(debited).toBe(acked.reduce((s, d) => s + fen(d.total), 0));
    expect((await repayments()).map((r) => r._id).sort()).toEqual(acked.map((d) => d.repaymentId).sort());
    expect(await status()).toMatchObject({ used: '0.00', available: '12200.00' });
  });

  it('the same repayment requestId 16 times in parallel pays once', async () => {
    for (let i = 0; i < 4; i++) expect((await spend(`cc-refill-${i}`, '500.00')).status).toBe(200);
    const before = await funds();
    const rs = await together(
      Array.from({ length: 16 }, () => () => repay('cc-same-repay-1', 'custom', 'bank_card', '777.77')),
    );
    expect(codes(rs)).toEqual({ ok: 16 });
    expect(new Set(rs.map((r) => r.text)).size).toBe(1);
    const after = await funds();
    expect(before.bank_card - after.bank_card).toBe(777_77 + 78); // 0.1% fee, half-up: 0.78
    expect((await repayments()).filter((r) => r.requestId === 'cc-same-repay-1')).toHaveLength(1);
    expect((await status()).used).toBe('1222.23');
  });

  it('parallel conversions of one purchase and of one statement: each converts once', async () => {
    const txns = (await gw.deps.store.find<TxnDoc>('txns', { openid: ALICE })).filter(
      (t) => t.requestId.startsWith('cc-refill-') && t.status === 'unbilled',
    );
    const whole = await together(
      txns.map((t) => () => gw.post('bill', { action: 'installmentOffers', txnId: t._id }, ALICE)),
    );
    const convertible = txns.filter((_, i) => whole[i]!.body.ok);
    expect(convertible.length).toBeGreaterThanOrEqual(1);
    const rs = await together(
      convertible.flatMap((t) =>
        Array.from(
          { length: 8 },
          (_, i) => () => convert(`cc-cv-${t._id}-${i}`, { txnId: t._id }, [3, 6, 12][i % 3]!),
        ),
      ),
    );
    // Only 1222.23 of the period's unbilled principal is left after the early repayment: two whole
    // purchases of 500.00 fit, whichever wins; a purchase is never converted twice.
    expect(convertible).toHaveLength(4);
    const c1 = codes(rs);
    expect(c1.ok).toBe(2);
    expect(c1.ok! + (c1.ALREADY_CONVERTED ?? 0) + (c1.NOT_CONVERTIBLE ?? 0)).toBe(32);
    for (let t = 0; t < convertible.length; t++) {
      expect(rs.slice(t * 8, t * 8 + 8).filter((r) => r.body.ok).length).toBeLessThanOrEqual(1);
    }
    const txnPlans = await gw.deps.store.find<{ _id: string; sourceId: string }>('plans', { openid: ALICE });
    expect(new Set(txnPlans.map((p) => p.sourceId)).size).toBe(txnPlans.length);
    const usedBefore = (await status()).used;

    // A statement with unpaid principal: spend, let it be billed, then 10 parallel conversions of it.
    for (let i = 0; i < 3; i++) expect((await spend(`cc-dec-${i}`, '300.00')).status).toBe(200);
    await gw.ok('sandbox', { action: 'clock', set: '2027-01-03T09:00:00+08:00' }, OPERATOR);
    await gw.ok('sandbox', { action: 'runScheduler' }, OPERATOR);
    const { current } = await gw.ok<{ current: { id: string } }>('bill', { action: 'summary' }, ALICE);
    const st = await together(
      Array.from({ length: 10 }, (_, i) => () => convert(`cc-stmt-${i}`, { statementId: current.id }, 6)),
    );
    const c = codes(st);
    expect(c.ok).toBe(1);
    expect((c.ok ?? 0) + (c.ALREADY_CONVERTED ?? 0)).toBe(10);
    const plans = await gw.deps.store.find<{ _id: string; sourceId: string }>('plans', { openid: ALICE });
    expect(plans.filter((p) => p.sourceId === current.id)).toHaveLength(1);
    expect(fen((await status()).used)).toBe(fen(usedBefore) + 900_00);
  });

  it('a mixed storm of spends, repayments, quotes, conversions and retries keeps every invariant', async () => {
    for (let i = 0; i < 3; i++) expect((await spend(`storm-pre-${i}`, '150.00')).status).toBe(200);
    const unbilled = (await gw.deps.store.find<TxnDoc>('txns', { openid: ALICE })).filter(
      (t) => t.status === 'unbilled',
    );
    expect(unbilled.length).toBeGreaterThanOrEqual(3);
    const seen = new Set((await repayments()).map((r) => r._id));
    const u: SimUser = {
      openid: ALICE,
      funds: await funds(),
      seenRepayments: seen,
      acked: new Set(),
      txnIds: [],
    };
    const makers: (() => Promise<Reply<Record<string, unknown>>>)[] = [];
    for (const t of unbilled)
      for (let i = 0; i < 3; i++) makers.push(() => convert(`storm-cv-${t._id}-${i}`, { txnId: t._id }, 3));
    for (let i = 0; i < 24; i++) makers.push(() => spend(`storm-sp-${i}`, `${(i % 7) + 1}0.0${i % 10}`));
    for (let i = 0; i < 12; i++) makers.push(() => spend('storm-sp-dup', '66.66'));
    for (let i = 0; i < 12; i++) {
      makers.push(() =>
        repay(
          `storm-rp-${i}`,
          ['minimum', 'custom', 'full', 'payoff'][i % 4]!,
          i % 2 ? 'balance' : 'bank_card',
          i % 4 === 1 ? '12.34' : undefined,
        ),
      );
    }
    for (let i = 0; i < 8; i++) makers.push(() => repay('storm-rp-dup', 'custom', 'balance', '5.55'));
    for (let i = 0; i < 8; i++)
      makers.push(() => gw.post('bill', { action: 'quote', mode: 'payoff', channel: 'bank_card' }, ALICE));
    for (let i = 0; i < 6; i++) makers.push(() => gw.post('credit', { action: 'status' }, ALICE));
    const rs = await together(makers);
    expect(rs.every((r) => r.status < 500)).toBe(true);
    for (const r of rs)
      if (r.body.ok && typeof r.body.data.repaymentId === 'string') u.acked.add(r.body.data.repaymentId);

    // Duplicates acted once; every fen debited belongs to an acknowledged repayment.
    const txns = await gw.deps.store.find<TxnDoc>('txns', { openid: ALICE });
    expect(txns.filter((t) => t.requestId === 'storm-sp-dup')).toHaveLength(1);
    expect((await repayments()).filter((r) => r.requestId === 'storm-rp-dup').length).toBeLessThanOrEqual(1);
    const s = await status();
    expect(fen(s.used)).toBeLessThanOrEqual(fen(s.quota));
    const checker = new Checker(gw.deps.store, gw.deps.policy);
    await checker.checkUser(u, (fn, action, params = {}) => gw.post(fn, { action, ...params }, ALICE));
    expect(checker.checks).toBeGreaterThan(50);
    console.log(
      `concurrency: peak ${peak} requests in flight on one account; storm of ${makers.length} requests ${JSON.stringify(codes(rs))}`,
    );
  });
});
