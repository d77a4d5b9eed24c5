/**
 * pay.spend on the real SQLite store: postings, every refusal of SPEC §4 (code, HTTP 400, order),
 * what each refusal records (nothing but its idempotency memo, except VERIFICATION_REQUIRED's
 * risk event), the post-spend detectors, idempotency and concurrency.
 */
import type { SpendData } from '../../typings/api';
import type {
  AccountDoc,
  MessageDoc,
  RiskEventDoc,
  TxnDoc,
} from '../../cloudfunctions/src/usecases/documents';
import { createHarness, GROCERY, Harness, openAccount, rid } from '../support/harness';
import { diffSnapshots, snapshotOf, summarize } from '../support/snapshot';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

type Merchant = { id: string; name: string; category: string; scene: string };

const ONLINE = { id: 'm_jd', name: '京东', category: 'electronics', scene: 'online' };
const TRANSFER = { id: 'm_transfer', name: '转账给好友', category: 'p2p', scene: 'transfer' };
const WITHDRAWAL = { id: 'm_withdraw', name: '提现到银行卡', category: 'p2p', scene: 'withdrawal' };
const CRYPTO = { id: 'm_coin', name: '数字币商城', category: 'virtual_currency', scene: 'online' };
const FUND = { id: 'm_fund', name: '基金申购', category: 'investment', scene: 'online' };
const DUTY_FREE = { id: 'm_global_duty_free', name: '环球免税店', category: 'retail', scene: 'cross_border' };
const FOREIGN = { id: 'm_tokyo_shop', name: '东京药妆店', category: 'retail', scene: 'cross_border' };
const QR = { id: 'p_qr_7', name: '个人收款码', category: 'personal_qr', scene: 'offline' };

interface SpendParams {
  requestId?: string;
  amount: string;
  merchant?: Merchant;
  city?: string;
}

function spend(p: SpendParams, openid = 'u_alice') {
  return h.call<SpendData>('pay', 'spend', { requestId: rid(), merchant: GROCERY, ...p }, openid);
}

async function spendOk(p: SpendParams, openid = 'u_alice'): Promise<SpendData> {
  const r = await spend(p, openid);
  if (!r.body.ok) throw new Error(`spend refused: ${JSON.stringify(r.body.error)}`);
  expect(r.status).toBe(200);
  return r.body.data;
}

async function account(openid = 'u_alice'): Promise<AccountDoc> {
  const a = await h.store.get<AccountDoc>('accounts', openid);
  if (!a) throw new Error('no account');
  return a;
}

async function status(openid = 'u_alice') {
  return h.ok<{ account: { status: string; quota: string; used: string; available: string } | null }>(
    'credit',
    'status',
    {},
    openid,
  );
}

/**
 * Expect a 400 refusal with `code` and a Chinese message, and that the database is unchanged but
 * for the request's idempotency memo (so a retry replays the refusal).
 */
async function expectRefusal(p: SpendParams, code: string, openid = 'u_alice') {
  const before = await snapshotOf(h.store);
  const r = await spend(p, openid);
  expect(r.status).toBe(400);
  expect(r.body).toMatchObject({ ok: false, error: { code } });
  if (!r.body.ok) expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  const diff = diffSnapshots(before, await snapshotOf(h.store));
  expect(summarize(diff)).toEqual({ idempotency: { added: 1 } });
  expect(diff.idempotency!.added[0]).toMatchObject({ openid, scope: 'pay.spend' });
  return r;
}

async function freeze(openid = 'u_alice'): Promise<void> {
  await h.store.transaction(async (tx) => {
    const a = await tx.get<AccountDoc>('accounts', openid);
    if (!a) throw new Error('no account');
    await tx.patch('accounts', openid, { risk: { ...a.risk, frozen: true } });
  });
}

describe('a spend that posts', () => {
  it('records the transaction and lowers available', async () => {
    await openAccount(h);
    const before = await snapshotOf(h.store);
    const data = await spendOk({ amount: '268.50', city: '深圳' });
    expect(data).toMatchObject({ amount: '268.50', available: '7031.50', warnings: [] });
    expect(await status()).toMatchObject({
      account: { status: 'active', quota: '7300.00', used: '268.50', available: '7031.50' },
    });
    const diff = diffSnapshots(before, await snapshotOf(h.store));
    expect(summarize(diff)).toEqual({
      txns: { added: 1 },
      accounts: { changed: { u_alice: expect.arrayContaining(['usedFen', 'unbilled', 'yearSpend']) } },
      idempotency: { added: 1 },
    });
    const txn = diff.txns!.added[0] as TxnDoc;
    expect(txn).toMatchObject({ _id: data.txnId, openid: 'u_alice', amountFen: 26_850, merchant: GROCERY });
    const a = await account();
    expect(a.usedFen).toBe(26_850);
    expect(a.unbilled).toEqual({ '2026-11': 26_850 });
  });

  it('successive spends accumulate exactly (no float drift)', async () => {
    await openAccount(h);
    for (let i = 0; i < 10; i++) await spendOk({ amount: '0.10' });
    await spendOk({ amount: '0.20' });
    expect(await status()).toMatchObject({ account: { used: '1.20', available: '7298.80' } });
  });
});

describe('every refusal of SPEC §4', () => {
  it('NO_ACCOUNT without a credit line (with or without a profile)', async () => {
    await expectRefusal({ amount: '10.00' }, 'NO_ACCOUNT', 'u_nobody');
    await h.setProfile('u_profile_only', {});
    await expectRefusal({ amount: '10.00' }, 'NO_ACCOUNT', 'u_profile_only');
  });

  it('ACCOUNT_FROZEN while frozen', async () => {
    await openAccount(h);
    await freeze();
    expect((await status()).account?.status).toBe('frozen');
    await expectRefusal({ amount: '10.00' }, 'ACCOUNT_FROZEN');
  });

  it('CASH_OUT_FORBIDDEN for transfer and withdrawal scenes, whatever the amount', async () => {
    await openAccount(h);
    await expectRefusal({ amount: '10.00', merchant: TRANSFER }, 'CASH_OUT_FORBIDDEN');
    await expectRefusal({ amount: '0.01', merchant: WITHDRAWAL }, 'CASH_OUT_FORBIDDEN');
  });

  it('CATEGORY_FORBIDDEN for virtual_currency and investment', async () => {
    await openAccount(h);
    await expectRefusal({ amount: '10.00', merchant: CRYPTO }, 'CATEGORY_FORBIDDEN');
    await expectRefusal({ amount: '10.00', merchant: FUND }, 'CATEGORY_FORBIDDEN');
    // Same category in a normal scene is still refused (the category decides, not the scene).
    await expectRefusal({ amount: '10.00', merchant: { ...FUND, scene: 'offline' } }, 'CATEGORY_FORBIDDEN');
  });

  it('MERCHANT_NOT_SUPPORTED for a cross-border merchant off the allow-list; allowed for one on it', async () => {
    await openAccount(h);
    expect(h.deps.policy.spend.crossBorderMerchants).toContain(DUTY_FREE.id);
    expect(h.deps.policy.spend.crossBorderMerchants).not.toContain(FOREIGN.id);
    await expectRefusal({ amount: '100.00', merchant: FOREIGN }, 'MERCHANT_NOT_SUPPORTED');
    const ok = await spendOk({ amount: '100.00', merchant: DUTY_FREE });
    expect(ok.available).toBe('7200.00');
  });

  it('SINGLE_LIMIT_EXCEEDED online above 5000.00; 5000.00 itself and offline amounts above it pass', async () => {
    await openAccount(h);
    const r = await expectRefusal({ amount: '5000.01', merchant: ONLINE }, 'SINGLE_LIMIT_EXCEEDED');
    expect(r.body).toMatchObject({ error: { details: { limit: '5000.00' } } });
    expect((await spendOk({ amount: '5000.00', merchant: ONLINE })).available).toBe('2300.00');
  });

  it('the online limit applies to online only', async () => {
    await openAccount(h);
    expect((await spendOk({ amount: '5000.01', merchant: GROCERY })).available).toBe('2299.99');
  });

  it('INSUFFICIENT_QUOTA above available; exactly available passes and leaves 0.00', async () => {
    await openAccount(h);
    await expectRefusal({ amount: '7300.01' }, 'INSUFFICIENT_QUOTA');
    await spendOk({ amount: '7000.00' });
    const r = await expectRefusal({ amount: '300.01' }, 'INSUFFICIENT_QUOTA');
    expect(r.body).toMatchObject({ error: { details: { available: '300.00' } } });
    expect((await spendOk({ amount: '300.00' })).available).toBe('0.00');
    await expectRefusal({ amount: '0.01' }, 'INSUFFICIENT_QUOTA');
  });

  it('INCOME_PROOF_REQUIRED when this calendar year would exceed the declared income; a new year starts over', async () => {
    await h.setProfile('u_alice', {});
    await h.ok('credit', 'apply', { channel: 'checkout', annualIncome: '1000.00' });
    await spendOk({ amount: '600.00' });
    const r = await expectRefusal({ amount: '400.01' }, 'INCOME_PROOF_REQUIRED');
    expect(r.body).toMatchObject({ error: { details: { annualIncome: '1000.00', remaining: '400.00' } } });
    await spendOk({ amount: '400.00' });
    await expectRefusal({ amount: '0.01' }, 'INCOME_PROOF_REQUIRED');
    await h.at('2027-01-01T00:00:00+08:00');
    await spendOk({ amount: '0.01' });
  });

  it('VERIFICATION_REQUIRED for another city at 2000.00 records exactly its level-2 event: quota halved, a risk warning, no spend', async () => {
    await openAccount(h);
    await spendOk({ amount: '1999.99', city: '北京' }); // below the threshold: fine anywhere
    await spendOk({ amount: '2000.00', city: '深圳' }); // home city: fine
    await h.at('2026-11-06T09:30:00+08:00');
    await h.ok('sandbox', 'runScheduler'); // the day's own work, so the diff below is the refusal's alone
    const before = await snapshotOf(h.store);
    const accountBefore = await account();

    const r = await spend({ amount: '2000.00', city: '北京' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      ok: false,
      error: {
        code: 'VERIFICATION_REQUIRED',
        details: { amount: '2000.00', threshold: '2000.00', city: '北京', homeCity: '深圳' },
      },
    });

    const diff = diffSnapshots(before, await snapshotOf(h.store));
    expect(summarize(diff)).toEqual({
      accounts: { changed: { u_alice: expect.any(Array) } },
      riskEvents: { added: 1 },
      messages: { added: 2 },
      idempotency: { added: 1 },
    });
    // The account: only the risk state and the re-scored quota move; nothing is charged.
    const changed = diff.accounts!.changed[0]!.fields;
    expect(changed).toEqual(expect.arrayContaining(['quotaFen', 'risk']));
    const allowed = [
      'quotaFen',
      'breakdown',
      'multiplierKey',
      'risk',
      'seq',
      'evaluatedAt',
      'nextEvaluationAt',
      'policyVersion',
    ];
    for (const f of changed) expect(allowed).toContain(f);
    const after = await account();
    expect(after.usedFen).toBe(accountBefore.usedFen);
    expect(after.risk).toEqual({ ...accountBefore.risk, openLevel2Events: 1 });

    const event = diff.riskEvents!.added[0] as RiskEventDoc;
    expect(event).toMatchObject({
      openid: 'u_alice',
      level: 2,
      type: 'new_city_large_spend',
      status: 'open',
    });
    const types = (diff.messages!.added as MessageDoc[]).map((m) => m.type).sort();
    expect(types).toEqual(['quota_changed', 'risk_warning']);

    // 7340.00 × 0.5 = 3670.00, floored to the hundred: 3600.00 (4000.00 already used → available 0).
    const quota = await h.ok<{ quota: string; available: string; breakdown: Record<string, string> }>(
      'credit',
      'quota',
    );
    expect(quota).toMatchObject({
      quota: '3600.00',
      available: '0.00',
      breakdown: { raw: '7340.00', riskMultiplier: '0.5' },
    });
  });

  it('VERIFICATION_REQUIRED on a fresh account: the halved quota is what remains available', async () => {
    await openAccount(h);
    await spend({ amount: '2500.00', city: '上海' });
    expect(await status()).toMatchObject({
      account: { quota: '3600.00', used: '0.00', available: '3600.00' },
    });
  });

  it('an account under review (anti-fraud) may still spend', async () => {
    await openAccount(h);
    await h.at('2026-11-08T10:00:00+08:00');
    await h.ok('credit', 'reevaluate');
    await h.at('2026-11-09T10:00:00+08:00');
    await h.call('credit', 'reevaluate');
    await h.at('2026-11-10T10:00:00+08:00');
    expect((await h.call('credit', 'reevaluate')).body).toMatchObject({ error: { code: 'UNDER_REVIEW' } });
    expect((await status()).account?.status).toBe('under_review');
    expect((await spendOk({ amount: '50.00' })).available).toBe('7250.00');
  });
});

describe('the order of the checks', () => {
  beforeEach(() => openAccount(h));

  it.each<[string, SpendParams, string]>([
    ['frozen before cash-out', { amount: '10.00', merchant: TRANSFER }, 'ACCOUNT_FROZEN'],
    ['frozen before everything', { amount: '9999999.00', merchant: CRYPTO, city: '北京' }, 'ACCOUNT_FROZEN'],
  ])('%s', async (_name, params, code) => {
    await freeze();
    await expectRefusal(params, code);
  });

  it.each<[string, SpendParams, string]>([
    [
      'cash-out before category',
      { amount: '10.00', merchant: { ...TRANSFER, category: 'virtual_currency' } },
      'CASH_OUT_FORBIDDEN',
    ],
    [
      'category before cross-border merchant',
      { amount: '10.00', merchant: { ...FOREIGN, category: 'investment' } },
      'CATEGORY_FORBIDDEN',
    ],
    [
      'cross-border merchant before quota',
      { amount: '9000.00', merchant: FOREIGN },
      'MERCHANT_NOT_SUPPORTED',
    ],
    ['single limit before quota', { amount: '8000.00', merchant: ONLINE }, 'SINGLE_LIMIT_EXCEEDED'],
    ['quota before income and city', { amount: '7300.01', city: '北京' }, 'INSUFFICIENT_QUOTA'],
  ])('%s', async (_name, params, code) => {
    await expectRefusal(params, code);
  });

  it('income before new-city verification: no risk event is opened', async () => {
    await h.close();
    h = await createHarness();
    await h.setProfile('u_alice', {});
    await h.ok('credit', 'apply', { channel: 'checkout', annualIncome: '1000.00' });
    await expectRefusal({ amount: '2000.00', city: '北京' }, 'INCOME_PROOF_REQUIRED');
  });
});

describe('post-spend detectors', () => {
  it('level-1 surge: today above 130% of the previous 30 days average warns, posts a message, and the spend stands', async () => {
    await h.at('2026-10-26T10:00:00+08:00');
    await openAccount(h);
    // History: 300.00 on 27 Oct (no baseline yet), then 13.00 a day, never a surge.
    await h.at('2026-10-27T12:00:00+08:00');
    for (const amount of ['100.00', '100.00', '100.00']) {
      expect((await spendOk({ amount })).warnings).toEqual([]);
    }
    for (const day of ['28', '29', '30', '31']) {
      await h.at(`2026-10-${day}T12:00:00+08:00`);
      expect((await spendOk({ amount: '13.00' })).warnings).toEqual([]);
    }
    // 5 Nov: baseline 352.00 / 30 = 11.7333…; × 1.3 = 15.2533…
    await h.at('2026-11-05T09:00:00+08:00');
    expect((await spendOk({ amount: '15.25' })).warnings).toEqual([]);
    const before = await snapshotOf(h.store);
    const surge = await spendOk({ amount: '0.01' });
    expect(surge.warnings).toEqual(['SPEND_SURGE']);

    const diff = diffSnapshots(before, await snapshotOf(h.store));
    expect(summarize(diff)).toMatchObject({
      txns: { added: 1 },
      riskEvents: { added: 1 },
      messages: { added: 1 },
    });
    expect(diff.riskEvents!.added[0]).toMatchObject({ level: 1, type: 'spend_surge', status: 'open' });
    expect(diff.messages!.added[0]).toMatchObject({ openid: 'u_alice', type: 'risk_warning', read: false });
    // Level 1 only warns: the quota is untouched and the spend is charged.
    expect(await status()).toMatchObject({
      account: { quota: '7300.00', used: '367.26', available: '6932.74' },
    });

    // Later spends that day still carry the warning, but the day has had its event and message.
    const calm = await snapshotOf(h.store);
    expect((await spendOk({ amount: '5.00' })).warnings).toEqual(['SPEND_SURGE']);
    expect(summarize(diffSnapshots(calm, await snapshotOf(h.store)))).not.toHaveProperty('riskEvents');
    // The next day above the line is another day to warn about.
    await h.at('2026-11-06T09:00:00+08:00');
    const nextDay = await snapshotOf(h.store);
    expect((await spendOk({ amount: '20.00' })).warnings).toEqual(['SPEND_SURGE']);
    expect(summarize(diffSnapshots(nextDay, await snapshotOf(h.store)))).toMatchObject({
      riskEvents: { added: 1 },
    });
  });

  it('cash-out pattern: 3 personal_qr spends totalling 3000.00 in 24 h → CASH_OUT_SUSPECTED and quota × 0.2', async () => {
    await openAccount(h);
    await h.at('2026-11-05T10:00:00+08:00');
    expect((await spendOk({ amount: '1000.00', merchant: QR })).warnings).toEqual([]);
    await h.at('2026-11-05T14:00:00+08:00');
    expect((await spendOk({ amount: '1000.00', merchant: QR })).warnings).toEqual([]);
    await h.at('2026-11-05T20:00:00+08:00');
    const third = await spendOk({ amount: '1000.00', merchant: QR });
    expect(third.warnings).toEqual(['CASH_OUT_SUSPECTED']);
    // 7340.00 × 0.2 = 1468.00 → 1400.00; 3000.00 used stays owed, available bottoms out at 0.00.
    expect(third.available).toBe('0.00');
    expect(await h.ok('credit', 'quota')).toMatchObject({
      quota: '1400.00',
      used: '3000.00',
      available: '0.00',
      breakdown: { riskMultiplier: '0.2' },
    });
    const events = await h.store.find<RiskEventDoc>('riskEvents', { openid: 'u_alice' });
    expect(events).toEqual([expect.objectContaining({ level: 2, type: 'cash_out_pattern', status: 'open' })]);
    const messages = await h.store.find<MessageDoc>('messages', { openid: 'u_alice', type: 'risk_warning' });
    expect(messages).toHaveLength(1);
  });

  it('no cash-out flag below 3000.00, nor when the first spend has left the 24 h window', async () => {
    await openAccount(h);
    await h.at('2026-11-05T10:00:00+08:00');
    await spendOk({ amount: '1000.00', merchant: QR });
    await spendOk({ amount: '1000.00', merchant: QR });
    expect((await spendOk({ amount: '999.99', merchant: QR })).warnings).not.toContain('CASH_OUT_SUSPECTED');

    await h.close();
    h = await createHarness();
    await openAccount(h);
    await h.at('2026-11-05T10:00:00+08:00');
    await spendOk({ amount: '1000.00', merchant: QR });
    await h.at('2026-11-05T11:00:00+08:00');
    await spendOk({ amount: '1000.00', merchant: QR });
    await h.at('2026-11-06T10:00:00+08:00'); // exactly 24 h after the first: it no longer counts
    expect((await spendOk({ amount: '1000.00', merchant: QR })).warnings).not.toContain('CASH_OUT_SUSPECTED');
    await h.at('2026-11-06T10:30:00+08:00');
    expect((await spendOk({ amount: '1000.00', merchant: QR })).warnings).toContain('CASH_OUT_SUSPECTED');
  });
});

describe('idempotency', () => {
  beforeEach(() => openAccount(h));

  it('the same requestId replays the first answer and charges once', async () => {
    const requestId = rid();
    const first = await spend({ requestId, amount: '120.00' });
    const afterFirst = await snapshotOf(h.store);
    const second = await spend({ requestId, amount: '120.00' });
    expect(second).toEqual(first);
    expect(await snapshotOf(h.store)).toEqual(afterFirst);
    // Key order of the parameters does not matter.
    const third = await h.call('pay', 'spend', { merchant: { ...GROCERY }, amount: '120.00', requestId });
    expect(third).toEqual(first);
    expect(await status()).toMatchObject({ account: { used: '120.00' } });
    expect(await h.store.find('txns', { openid: 'u_alice' })).toHaveLength(1);
  });

  it('the same requestId with other parameters is 409 IDEMPOTENCY_CONFLICT and changes nothing', async () => {
    const requestId = rid();
    await spendOk({ requestId, amount: '120.00' });
    const before = await snapshotOf(h.store);
    for (const other of [
      { requestId, amount: '120.01' },
      { requestId, amount: '120.00', city: '深圳' },
      { requestId, amount: '120.00', merchant: ONLINE },
    ]) {
      const r = await spend(other);
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } });
    }
    expect(await snapshotOf(h.store)).toEqual(before);
  });

  it('a replayed VERIFICATION_REQUIRED does not open a second event', async () => {
    const requestId = rid();
    const first = await spend({ requestId, amount: '3000.00', city: '北京' });
    expect(first.body).toMatchObject({ error: { code: 'VERIFICATION_REQUIRED' } });
    const before = await snapshotOf(h.store);
    expect(await spend({ requestId, amount: '3000.00', city: '北京' })).toEqual(first);
    expect(await snapshotOf(h.store)).toEqual(before);
    expect(await h.store.find('riskEvents', { openid: 'u_alice' })).toHaveLength(1);
  });

  it('requestIds are per user: the same id from another user is a separate spend', async () => {
    await openAccount(h, 'u_bob');
    const requestId = rid();
    await spendOk({ requestId, amount: '10.00' });
    await spendOk({ requestId, amount: '20.00' }, 'u_bob');
    expect((await status('u_bob')).account?.used).toBe('20.00');
    expect((await status()).account?.used).toBe('10.00');
  });
});

describe('concurrency', () => {
  it('20 parallel spends never exceed the quota', async () => {
    await openAccount(h);
    // 300.00 + 17.00 × i: 9230.00 in all against 7300.00.
    const amounts = Array.from({ length: 20 }, (_, i) => 30_000 + 1_700 * i);
    const results = await Promise.all(amounts.map((fen) => spend({ amount: (fen / 100).toFixed(2) })));
    let okFen = 0;
    const refused: number[] = [];
    results.forEach((r, i) => {
      if (r.body.ok) {
        expect(r.status).toBe(200);
        okFen += amounts[i]!;
      } else {
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('INSUFFICIENT_QUOTA');
        refused.push(amounts[i]!);
      }
    });
    expect(refused.length).toBeGreaterThan(0);
    expect(okFen).toBeLessThanOrEqual(730_000);
    const a = await account();
    expect(a.usedFen).toBe(okFen);
    expect(await h.store.find('txns', { openid: 'u_alice' })).toHaveLength(20 - refused.length);
    // Available only shrinks, so each refused amount is above what is left at the end.
    const left = 730_000 - okFen;
    for (const fen of refused) expect(fen).toBeGreaterThan(left);
  });

  it('20 parallel retries of one requestId charge once', async () => {
    await openAccount(h);
    const requestId = rid();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => spend({ requestId, amount: '99.00' })),
    );
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0]!.status).toBe(200);
    expect((await account()).usedFen).toBe(9_900);
  });
});
