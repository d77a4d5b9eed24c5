/**
 * Crash safety under a mixed load: the real local cloud (`tsx cloudfunctions/src/gateway/main.ts`,
 * as `npm start` runs it) on a temporary DATA_DIR, three users sending spends and repayments with
 * requestIds from 12 concurrent clients, SIGKILLed (the whole process group) in the middle of the
 * load, for several rounds on the same data. After each kill, straight from the database file:
 * every acknowledged operation is there exactly once and the books balance (the simulation's
 * invariants). After each restart: retrying every requestId sent, acknowledged or not, acts at most
 * once — acknowledged ones replay their first answer byte for byte, and a second retry changes
 * nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalDeps } from '../../cloudfunctions/src/app/local';
import { handle } from '../../cloudfunctions/src/app/dispatch';
import { FUNCTIONS } from '../../cloudfunctions/src/handlers';
import type { RepaymentDoc, TxnDoc } from '../../cloudfunctions/src/usecases/documents';
import { Checker, fen, type SimUser } from '../sim/invariants';
import { killAllGateways, killGroup, startGateway } from '../support/gatewayProcess';

jest.setTimeout(30_000);

const MERCHANT = { id: 'm_bianlifeng', name: '便利蜂', category: 'grocery', scene: 'offline' };
const PROFILE = {
  realNameVerified: true,
  age: 30,
  bankCards: 2,
  payScore: 700,
  monthlyPaymentCount: 45,
  balance: '3000.00',
  friendCount: 320,
  overdueCount: 0,
  payHistoryDays: 1500,
  annualIncome: '240000.00',
  avgMonthlySpend: '3000.00',
  homeCity: '深圳',
  bankCardBalance: '20000.00',
};
const USERS = ['u_crash_a', 'u_crash_b', 'u_crash_c'];
const ROUNDS = 3;

afterAll(killAllGateways);

interface Sent {
  openid: string;
  fn: 'pay' | 'bill';
  body: Record<string, unknown>;
}

async function post(base: string, s: Sent): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}/api/${s.fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-openid': s.openid },
    body: JSON.stringify(s.body),
  });
  return { status: res.status, text: await res.text() };
}

/** The load of one round: mostly spends, and custom repayments of what is unbilled. */
function loadFor(round: number): Sent[] {
  return Array.from({ length: 400 }, (_, i) => {
    const openid = USERS[i % USERS.length]!;
    const requestId = `crash-mixed-r${round}-${String(i).padStart(4, '0')}`;
    if (i % 5 === 3) {
      const channel = i % 2 ? 'balance' : 'bank_card';
      return {
        openid,
        fn: 'bill',
        body: {
          action: 'repay',
          requestId,
          mode: 'custom',
          amount: `${1 + (i % 4)}.${String(i % 100).padStart(2, '0')}`,
          channel,
        },
      };
    }
    return {
      openid,
      fn: 'pay',
      body: {
        action: 'spend',
        requestId,
        amount: `${2 + (i % 9)}.${String((i * 7) % 100).padStart(2, '0')}`,
        merchant: MERCHANT,
      },
    };
  });
}

describe('crash safety with mixed load', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenfu-crash-mixed-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it(`survives ${ROUNDS} SIGKILLs under load: acknowledged work kept, retries exactly-once, books balanced`, async () => {
    // Every answer a client ever got (requestId → status and body), and every request ever sent.
    const answers = new Map<string, { status: number; text: string }>();
    const sentAll = new Map<string, Sent>();
    const acked = new Map<string, Set<string>>(USERS.map((u) => [u, new Set<string>()]));
    let gw = await startGateway(dataDir, { SCHEDULER_TICK_MS: '0' });
    for (const openid of USERS) {
      const set = await fetch(`${gw.base}/api/sandbox`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-openid': openid },
        body: JSON.stringify({ action: 'setProfile', ...PROFILE }),
      });
      expect(set.status).toBe(200);
      const applied = await fetch(`${gw.base}/api/credit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-openid': openid },
        body: JSON.stringify({ action: 'apply', channel: 'checkout', annualIncome: '240000.00' }),
      });
      expect(await applied.json()).toMatchObject({ ok: true, data: { decision: 'approved' } });
    }
    const stats = { rounds: 0, sent: 0, ackedAtKill: 0, inFlightLost: 0, retried: 0 };

    for (let round = 0; round < ROUNDS; round++) {
      // ---- load, then SIGKILL while clients are mid-request
      const load = loadFor(round);
      const killAfter = 50 + 25 * round;
      let next = 0;
      let okCount = 0;
      let killed = false;
      const base = gw.base;
      const worker = async () => {
        while (!killed && next < load.length) {
          const s = load[next++]!;
          const requestId = s.body.requestId as string;
          sentAll.set(requestId, s);
          try {
            const r = await post(base, s);
            if (r.status >= 500) throw new Error(`5xx under load: ${r.status} ${r.text}`);
            answers.set(requestId, r);
            if (r.status === 200) okCount += 1;
            if (okCount >= killAfter && !killed) {
              killed = true;
              killGroup(gw.child);
            }
          } catch (err) {
            if (!killed) throw err; // in flight at the kill: outcome unknown until the retry
          }
        }
      };
      await Promise.all(Array.from({ length: 12 }, worker));
      expect(killed).toBe(true);
      expect((await gw.exited).signal).toBe('SIGKILL');
      const sentThisRound = load.filter((s) => sentAll.has(s.body.requestId as string));
      expect(sentThisRound.length).toBeLessThan(load.length); // it died mid-load
      stats.rounds += 1;
      stats.sent += sentThisRound.length;
      stats.ackedAtKill += sentThisRound.filter(
        (s) => answers.get(s.body.requestId as string)?.status === 200,
      ).length;
      stats.inFlightLost += sentThisRound.filter((s) => !answers.has(s.body.requestId as string)).length;

      // ---- straight from the file: acknowledged work is there once; nothing unknown is there
      await audit(dataDir, answers, sentAll, acked);

      // ---- restart on the same data; retry everything sent this round, twice
      gw = await startGateway(dataDir, { SCHEDULER_TICK_MS: '0' });
      const first = await inBatches(sentThisRound, (s) => post(gw.base, s));
      first.forEach((r, i) => {
        const requestId = sentThisRound[i]!.body.requestId as string;
        expect(r.status).toBeLessThan(500);
        const prior = answers.get(requestId);
        // An answer the client got is replayed byte for byte.
        if (prior) expect({ requestId, ...r }).toEqual({ requestId, ...prior });
        else answers.set(requestId, r);
      });
      const second = await inBatches(sentThisRound, (s) => post(gw.base, s));
      second.forEach((r, i) => expect(r).toEqual(first[i]));
      stats.retried += 2 * sentThisRound.length;
    }
    gw.child.kill('SIGTERM');
    expect(await gw.exited).toEqual({ code: 0, signal: null });
    await audit(dataDir, answers, sentAll, acked);
    console.log(
      `crash-mixed: ${stats.rounds} SIGKILLs, ${stats.sent} requests sent under load (${stats.ackedAtKill} acknowledged ok before the kills, ` +
        `${stats.inFlightLost} in flight), ${stats.retried} retries after restarts; lost: 0, duplicated: 0`,
    );
  });
});

async function inBatches<T>(items: Sent[], fn: (s: Sent) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < items.length; i += 12) out.push(...(await Promise.all(items.slice(i, i + 12).map(fn))));
  return out;
}

/**
 * With no gateway running: every acknowledged spend and repayment is in the database exactly once,
 * every record belongs to a request that was sent, and each user's books balance.
 */
async function audit(
  dataDir: string,
  answers: Map<string, { status: number; text: string }>,
  sentAll: Map<string, Sent>,
  acked: Map<string, Set<string>>,
): Promise<void> {
  const deps = createLocalDeps({ dataDir });
  try {
    for (const openid of USERS) {
      const txns = await deps.store.find<TxnDoc>('txns', { openid });
      const reps = await deps.store.find<RepaymentDoc>('repayments', { openid });
      const txnByRequest = new Map(txns.map((t) => [t.requestId, t]));
      const repByRequest = new Map(reps.map((r) => [r.requestId, r]));
      expect(txnByRequest.size).toBe(txns.length); // one record per requestId
      expect(repByRequest.size).toBe(reps.length);
      for (const t of txns) expect(sentAll.get(t.requestId)?.openid).toBe(openid);
      for (const r of reps) expect(sentAll.get(r.requestId ?? '')?.openid).toBe(openid);
      for (const [requestId, s] of sentAll) {
        if (s.openid !== openid) continue;
        const a = answers.get(requestId);
        if (!a || a.status !== 200) continue;
        const data = (
          JSON.parse(a.text) as { data: { txnId?: string; repaymentId?: string; amount: string } }
        ).data;
        if (s.fn === 'pay') {
          expect(txnByRequest.get(requestId)).toMatchObject({ _id: data.txnId, amountFen: fen(data.amount) });
        } else {
          expect(repByRequest.get(requestId)).toMatchObject({
            _id: data.repaymentId,
            amountFen: fen(data.amount),
          });
          acked.get(openid)!.add(data.repaymentId!);
        }
      }
      // Everything the database holds, acknowledged or caught in flight, now counts as acknowledged
      // for the funds check below (in-flight work that committed is real work, once).
      const u: SimUser = {
        openid,
        funds: { balance: fen(PROFILE.balance), bank_card: fen(PROFILE.bankCardBalance) },
        seenRepayments: new Set(),
        acked: new Set([...acked.get(openid)!, ...reps.map((r) => r._id)]),
        txnIds: [],
      };
      const checker = new Checker(deps.store, deps.policy);
      await checker.checkUser(u, async (fn, action, params = {}) => {
        const def = FUNCTIONS[fn]!;
        return handle(fn, def, { action, ...params }, openid, deps, { error: () => undefined });
      });
    }
  } finally {
    await deps.store.close();
  }
}
