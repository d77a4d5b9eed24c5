/**
 * What each use case costs in store operations — transactions, reads by id, `find` queries and
 * writes — counted by a decorator around the real SQLite store, so a regression (an extra read,
 * a query per account, a second transaction) fails here. In the cloud every operation is a round
 * trip to the database, so these numbers are its latency budget. Counts only: no timings.
 */
import { runScheduler } from '../../cloudfunctions/src/usecases/scheduler';
import { CountingStore, StoreCost } from '../support/countingStore';
import { createHarness, GROCERY, Harness, openAccount, rid } from '../support/harness';

let h: Harness;
let store: CountingStore;

async function setUp(startIso: string): Promise<void> {
  h = await createHarness(startIso);
  store = new CountingStore(h.store);
  h.deps.store = store;
}
afterEach(() => h.close());

const spend = (amount: string, openid = 'u_alice') =>
  h.ok<{ txnId: string }>('pay', 'spend', { requestId: rid(), amount, merchant: GROCERY }, openid);

async function cost(fn: () => Promise<unknown>): Promise<{ cost: StoreCost; byOp: Record<string, number> }> {
  const { cost, byOp } = await store.measure(fn);
  return { cost, byOp };
}

/** The scheduler's own work per run, whatever the number of accounts: one page per shard
 * (64 shards), the pending appeals, and its progress record. */
const RUN = {
  'get meta': 1,
  'find accounts': 64,
  'find appeals': 1,
  'put meta': 1,
};

describe('user actions: one transaction each, a handful of documents by id', () => {
  it('credit.apply: 1 transaction, 6 reads, 3 writes', async () => {
    await setUp('2026-11-05T10:00:00+08:00');
    await h.setProfile('u_alice', {});
    const r = await cost(() => h.ok('credit', 'apply', { channel: 'checkout', annualIncome: '240000.00' }));
    expect(r.cost).toEqual({ transactions: 1, reads: 6, finds: 0, found: 0, writes: 3 });
    expect(r.byOp).toEqual({
      'get accounts': 1,
      'get applications': 1,
      'get invitations': 1,
      'get profiles': 1,
      'put applications': 1,
      'add accounts': 1,
      'get messages': 1,
      'get subscriptions': 1,
      'add messages': 1,
    });
  });

  it('pay.spend: 1 transaction, 2 reads (memo, account), 3 writes (purchase, account, memo)', async () => {
    await setUp('2026-11-05T10:00:00+08:00');
    await openAccount(h);
    const r = await cost(() => spend('100.00'));
    expect(r.cost).toEqual({ transactions: 1, reads: 2, finds: 0, found: 0, writes: 3 });
    expect(r.byOp).toEqual({
      'get idempotency': 1,
      'get accounts': 1,
      'add txns': 1,
      'put accounts': 1,
      'add idempotency': 1,
    });
  });

  it('pay.spend naming a city also reads the profile (the new-city rule needs the home city)', async () => {
    await setUp('2026-11-05T10:00:00+08:00');
    await openAccount(h);
    const r = await cost(() =>
      h.ok('pay', 'spend', { requestId: rid(), amount: '100.00', merchant: GROCERY, city: '杭州' }),
    );
    expect(r.cost).toEqual({ transactions: 1, reads: 3, finds: 0, found: 0, writes: 3 });
    expect(r.byOp['get profiles']).toBe(1);
  });

  it('pay.spend replayed with the same requestId: 1 transaction, 1 read, no write', async () => {
    await setUp('2026-11-05T10:00:00+08:00');
    await openAccount(h);
    const params = { requestId: rid(), amount: '100.00', merchant: GROCERY };
    await h.ok('pay', 'spend', params);
    const r = await cost(() => h.ok('pay', 'spend', params));
    expect(r.cost).toEqual({ transactions: 1, reads: 1, finds: 0, found: 0, writes: 0 });
  });

  it('bill.repay (full, a statement due): 1 transaction, 6 reads, 6 writes', async () => {
    await setUp('2026-11-05T10:00:00+08:00');
    await openAccount(h);
    await spend('1000.00');
    await h.at('2026-12-05T09:00:00+08:00');
    await runScheduler(h.deps);
    const r = await cost(() => h.ok('bill', 'repay', { requestId: rid(), mode: 'full', channel: 'balance' }));
    expect(r.cost).toEqual({ transactions: 1, reads: 6, finds: 0, found: 0, writes: 6 });
    expect(r.byOp).toEqual({
      'get idempotency': 1,
      'get accounts': 1,
      'get profiles': 1,
      'get statements': 1,
      'put statements': 1,
      'put accounts': 1,
      'put profiles': 1,
      'add repayments': 1,
      'get messages': 1,
      'get subscriptions': 1,
      'add messages': 1,
      'add idempotency': 1,
    });
  });
});

describe('the scheduler: a fixed cost per run plus a fixed cost per account', () => {
  /** Accounts opened on 5 Nov with three November purchases, one turned into a 3-month plan. */
  async function accountsWithPurchasesAndAPlan(openids: string[]): Promise<void> {
    await setUp('2026-11-05T10:00:00+08:00');
    for (const openid of openids) {
      await openAccount(h, openid);
      await spend('120.00', openid);
      await spend('80.00', openid);
      const big = await spend('1500.00', openid);
      await h.ok('bill', 'convert', { requestId: rid(), txnId: big.txnId, term: 3 }, openid);
    }
    await h.at('2026-11-30T09:00:00+08:00');
    await runScheduler(h.deps);
    await h.at('2026-12-01T09:00:00+08:00');
  }

  /** Per account on the statement day: its transaction, the purchases listed once outside it. */
  const STATEMENT_DAY_PER_ACCOUNT = {
    'find txns': 1, // the unbilled purchases (statement lines), outside the transaction
    'get accounts': 1,
    'get plans': 1,
    'get profiles': 1,
    'add statements': 1,
    'get txns': 2, // each purchase re-read inside the transaction (a conversion meanwhile wins)…
    'put txns': 2, // …and marked billed
    'put plans': 1, // installment 1 billed
    'get messages': 1, // "statement issued", deduplicated by id
    'get subscriptions': 1,
    'add messages': 1,
    'put accounts': 1,
  };

  it('statement day, one account: 1 transaction, 7 reads, 1 purchase query, 6 writes', async () => {
    await accountsWithPurchasesAndAPlan(['u_alice']);
    const r = await cost(() => runScheduler(h.deps));
    expect(r.byOp).toEqual(sum(RUN, STATEMENT_DAY_PER_ACCOUNT));
    expect(r.cost).toEqual({
      transactions: 1 + 1, // the account's, and the run's progress record
      reads: 7 + 1,
      finds: 1 + 65,
      found: 2 + 1, // two purchases; the account itself in its shard's page
      writes: 6 + 1,
    });
  });

  it('statement day, four accounts: exactly four times the per-account cost', async () => {
    const openids = ['u_a1', 'u_a2', 'u_a3', 'u_a4'];
    await accountsWithPurchasesAndAPlan(openids);
    const r = await cost(() => runScheduler(h.deps));
    expect(r.byOp).toEqual(sum(RUN, times(4, STATEMENT_DAY_PER_ACCOUNT)));
    expect(r.cost.transactions).toBe(4 + 1);
  });

  it('a carried, overdue statement: the previous statement is read and closed, interest billed', async () => {
    await setUp('2026-10-05T10:00:00+08:00');
    await openAccount(h);
    await spend('1000.00');
    await h.at('2026-11-20T09:00:00+08:00');
    await spend('200.00');
    await h.at('2026-11-30T09:00:00+08:00');
    await runScheduler(h.deps); // November statement issued, then overdue after its grace
    await h.at('2026-12-01T09:00:00+08:00');
    const r = await cost(() => runScheduler(h.deps));
    expect(r.byOp).toEqual(
      sum(RUN, {
        'find txns': 1,
        'get accounts': 1,
        'get statements': 1,
        'get profiles': 1,
        'put statements': 1, // the previous statement, carried
        'add statements': 1,
        'get txns': 1,
        'put txns': 1,
        'get messages': 1,
        'get subscriptions': 1,
        'add messages': 1,
        'put accounts': 1,
      }),
    );
  });

  it('an ordinary day: no purchase query, only the account, its statement and profile', async () => {
    await accountsWithPurchasesAndAPlan(['u_alice']);
    await runScheduler(h.deps);
    await h.at('2026-12-02T09:00:00+08:00');
    const r = await cost(() => runScheduler(h.deps));
    expect(r.byOp).toEqual(
      sum(RUN, {
        'get accounts': 1,
        'get statements': 1,
        'get plans': 1,
        'get profiles': 1,
        'put accounts': 1,
      }),
    );
  });

  it('a resumed run lists only the accounts still behind, in keyset pages however small', async () => {
    const openids = ['u_a', 'u_b', 'u_c', 'u_d', 'u_e'];
    await accountsWithPurchasesAndAPlan(openids);
    expect(await runScheduler(h.deps, { maxAccounts: 2 })).toMatchObject({ accounts: 2, done: false });
    const second = await cost(() => runScheduler(h.deps, { pageSize: 1 }));
    // Three accounts left: each listed once, plus its two unbilled purchases. Neither of the two
    // done is read again.
    expect(second.cost.found).toBe(3 + 3 * 2);
    const third = await cost(() => runScheduler(h.deps, { pageSize: 1 }));
    expect(third.cost.found).toBe(0);
    for (const openid of openids) {
      expect((await h.store.get<{ _id: string; lastDay: string }>('accounts', openid))?.lastDay).toBe(
        '2026-12-01',
      );
    }
  });

  it('nothing to do (every account done today): the run reads no account and writes only its progress', async () => {
    await accountsWithPurchasesAndAPlan(['u_alice', 'u_bob']);
    await runScheduler(h.deps);
    const r = await cost(() => runScheduler(h.deps));
    expect(r.byOp).toEqual(RUN);
    expect(r.cost.found).toBe(0);
  });
});

function sum(...parts: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function times(n: number, part: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(part).map(([k, v]) => [k, v * n]));
}
