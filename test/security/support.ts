/**
 * The in-process gateway over real HTTP (createGateway on 127.0.0.1:0) on a temporary SQLite data
 * directory and a manual clock, plus a populated world: two users with accounts, a statement,
 * transactions, an installment plan, a risk event, an appeal and inbox messages each.
 */
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../cloudfunctions/src/adapters/clocks';
import type { AppConfig, Deps } from '../../cloudfunctions/src/app/context';
import { createLocalDeps } from '../../cloudfunctions/src/app/local';
import { parseIso } from '../../cloudfunctions/src/core/time';
import { createGateway } from '../../cloudfunctions/src/gateway/server';
import { FUNCTIONS } from '../../cloudfunctions/src/handlers';
import type { Envelope } from '../../typings/api';

export interface Reply<T = unknown> {
  status: number;
  body: Envelope<T>;
  text: string;
}

export interface TestGateway {
  base: string;
  deps: Deps;
  dir: string;
  /** POST /api/<fn>; `body` is JSON-encoded unless `raw`. No openid → no X-Openid header. */
  post<T = Record<string, unknown>>(
    fn: string,
    body: unknown,
    openid?: string,
    raw?: boolean,
  ): Promise<Reply<T>>;
  /** POST and expect ok: the data. */
  ok<T = Record<string, unknown>>(fn: string, body: Record<string, unknown>, openid: string): Promise<T>;
  close(): Promise<void>;
}

export const OPERATOR = 'op_1';

export async function startTestGateway(
  config: Partial<AppConfig> = {},
  startIso = '2026-11-05T10:00:00+08:00',
): Promise<TestGateway> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenfu-sec-'));
  const deps = createLocalDeps({
    dataDir: dir,
    clock: new ManualClock(parseIso(startIso)!),
    config: { sandboxEnabled: true, operatorOpenids: [OPERATOR], ...config },
  });
  const server: http.Server = createGateway({
    deps,
    functions: FUNCTIONS,
    logger: { error: () => undefined },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gw: TestGateway = {
    base,
    deps,
    dir,
    async post<T>(fn: string, body: unknown, openid?: string, raw = false): Promise<Reply<T>> {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (openid !== undefined) headers['x-openid'] = openid;
      const res = await fetch(`${base}/api/${fn}`, {
        method: 'POST',
        headers,
        body: raw ? (body as string) : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: JSON.parse(text) as Envelope<T>, text };
    },
    async ok<T>(fn: string, body: Record<string, unknown>, openid: string): Promise<T> {
      const r = await gw.post<T>(fn, body, openid);
      if (!r.body.ok) throw new Error(`${fn}.${String(body.action)} as ${openid}: ${r.text}`);
      return r.body.data;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await deps.store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return gw;
}

export const STRONG_PROFILE = {
  realNameVerified: true,
  age: 30,
  bankCards: 2,
  payScore: 700,
  monthlyPaymentCount: 45,
  balance: '2000.00',
  friendCount: 320,
  overdueCount: 0,
  payHistoryDays: 1500,
  annualIncome: '240000.00',
  avgMonthlySpend: '3000.00',
  homeCity: '深圳',
  bankCardBalance: '50000.00',
};

export const GROCERY = { id: 'm_grocery', name: '华润万家', category: 'grocery', scene: 'offline' };

/** Everything a user owns that another user could try to reach, by id. */
export interface Owned {
  openid: string;
  statementId: string;
  /** An unbilled purchase (convertible) and a billed one. */
  txnIds: string[];
  planId: string;
  eventIds: string[];
  appealId: string;
  messageIds: string[];
  repaymentId: string;
  /** Amounts that appear only in this user's records (distinctive on purpose). */
  amounts: string[];
}

/**
 * Open a credit line for `openid` and give it one of everything. `cents` makes the user's amounts
 * distinctive (e.g. 37 → 1234.37), so a leak of one of them into another user's answer is visible.
 */
export async function populate(gw: TestGateway, openid: string, cents: number): Promise<Owned> {
  const c = String(cents).padStart(2, '0');
  await gw.ok('sandbox', { action: 'setProfile', ...STRONG_PROFILE }, openid);
  await gw.ok('credit', { action: 'apply', channel: 'checkout', annualIncome: '240000.00' }, openid);
  const spend = (requestId: string, amount: string, extra: Record<string, unknown> = {}) =>
    gw.post<{ txnId: string }>(
      'pay',
      { action: 'spend', requestId, amount, merchant: GROCERY, ...extra },
      openid,
    );
  const a = await spend(`${openid}-sp-0001`, `1234.${c}`);
  const b = await spend(`${openid}-sp-0002`, `321.${c}`);
  // A large spend in another city: refused, a level-2 event and a risk warning message.
  const city = await spend(`${openid}-sp-0003`, `2500.${c}`, { city: '上海' });
  if (!a.body.ok || !b.body.ok || city.body.ok)
    throw new Error(`populate ${openid}: spends ${a.text} ${b.text}`);
  return {
    openid,
    statementId: '',
    txnIds: [a.body.data.txnId, b.body.data.txnId],
    planId: '',
    eventIds: [],
    appealId: '',
    messageIds: [],
    repaymentId: '',
    amounts: [`1234.${c}`, `321.${c}`, `2500.${c}`],
  };
}

/** After populate() for everyone and a statement issued: plans, appeals, repayments, ids. */
export async function finish(gw: TestGateway, o: Owned, cents: number): Promise<Owned> {
  const { openid } = o;
  const c = String(cents).padStart(2, '0');
  const summary = await gw.ok<{ current: { id: string } | null }>('bill', { action: 'summary' }, openid);
  if (!summary.current) throw new Error(`${openid}: no statement`);
  // A new purchase after the statement (unbilled), turned into installments.
  const late = await gw.ok<{ txnId: string }>(
    'pay',
    { action: 'spend', requestId: `${openid}-sp-0004`, amount: `600.${c}`, merchant: GROCERY },
    openid,
  );
  const plan = await gw.ok<{ planId: string }>(
    'bill',
    { action: 'convert', requestId: `${openid}-cv-0001`, txnId: late.txnId, term: 3 },
    openid,
  );
  const repaid = await gw.ok<{ repaymentId: string }>(
    'bill',
    { action: 'repay', requestId: `${openid}-rp-0001`, mode: 'minimum', channel: 'balance' },
    openid,
  );
  const { events } = await gw.ok<{ events: { id: string }[] }>('risk', { action: 'events' }, openid);
  const appeal = await gw.ok<{ id: string }>(
    'risk',
    { action: 'appeal', eventId: events[events.length - 1]!.id, reason: '本人出差消费' },
    openid,
  );
  const { messages } = await gw.ok<{ messages: { id: string }[] }>('inbox', { action: 'list' }, openid);
  return {
    ...o,
    statementId: summary.current.id,
    txnIds: [...o.txnIds, late.txnId],
    planId: plan.planId,
    eventIds: events.map((e) => e.id),
    appealId: appeal.id,
    messageIds: messages.map((m) => m.id),
    repaymentId: repaid.repaymentId,
    amounts: [...o.amounts, `600.${c}`],
  };
}

/** Two users with one of everything; the clock ends in the statement month (2026-12-05). */
export async function populatedWorld(gw: TestGateway): Promise<{ alice: Owned; bob: Owned }> {
  let alice = await populate(gw, 'u_alice', 37);
  let bob = await populate(gw, 'u_bob', 59);
  await gw.ok('sandbox', { action: 'clock', set: '2026-12-05T09:00:00+08:00' }, OPERATOR);
  await gw.ok('sandbox', { action: 'runScheduler' }, OPERATOR);
  alice = await finish(gw, alice, 37);
  bob = await finish(gw, bob, 59);
  return { alice, bob };
}

/** Every string of `owner`'s that must never appear in another user's answer. */
export function secretsOf(o: Owned): string[] {
  return [
    o.openid,
    o.statementId,
    ...o.txnIds,
    o.planId,
    ...o.eventIds,
    o.appealId,
    ...o.messageIds,
    o.repaymentId,
    ...o.amounts,
  ].filter((s) => s.length > 0);
}
