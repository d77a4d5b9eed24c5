/**
 * Realistic account histories for the batch benchmark, made by the product itself.
 *
 * 1. Templates: K accounts live three months (September–November 2026) through the real handlers
 *    on a real SQLite store with a manual clock, the scheduler running every day: several
 *    purchases a month, and one behaviour each — pays in full, pays the minimum (carried balance
 *    and interest), converts a purchase or a statement to installments, pays late, never pays
 *    (overdue, then frozen after 30 days), or pays by auto-debit. The store is left at
 *    2026-11-30 done, so the next scheduler day is the statement day, 1 December (the heaviest).
 * 2. Clones: N accounts copy the templates' documents (every collection but the idempotency
 *    memos, which the scheduler never reads), with the openid, the user key inside record ids,
 *    and the shard rewritten. Each template's own 1 December run (catchUpAccount on the template
 *    store) gives the figures the clones must add up to, so a benchmark run checks its results.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { columnOf, layoutOf } from '../cloudfunctions/src/adapters/sqlite/layout';
import { SqliteStore } from '../cloudfunctions/src/adapters/sqlite/sqliteStore';
import { COLLECTIONS } from '../cloudfunctions/src/ports/collections';
import { atLocal, dayKey, DAY_MS } from '../cloudfunctions/src/core/time';
import { catchUpAccount, emptyStats, runScheduler } from '../cloudfunctions/src/usecases/scheduler';
import { shardOf, TxnDoc, userKey } from '../cloudfunctions/src/usecases/documents';
import { createHarness, Harness, rid, STRONG } from '../test/support/harness';

/** Bump when the templates or the store's schema (tables, indexes) change: cached seed files carry it in their name. */
export const SEED_VERSION = 4;
export const TEMPLATES = 48;
/** The measured day: the scheduler runs at 02:00 on the statement day. */
export const BENCH_NOW = atLocal(2026, 12, 1, 2);
export const BENCH_TODAY = dayKey(BENCH_NOW);

type Kind =
  'full' | 'minimum' | 'installment_txn' | 'installment_statement' | 'late' | 'overdue' | 'auto_debit';
/** Weights out of 20. */
const KINDS: [Kind, number][] = [
  ['full', 6],
  ['minimum', 3],
  ['installment_txn', 3],
  ['installment_statement', 2],
  ['late', 2],
  ['overdue', 2],
  ['auto_debit', 2],
];

const MERCHANTS = [
  { id: 'm_grocery', name: '华润万家', category: 'grocery', scene: 'offline' },
  { id: 'm_jd', name: '京东', category: 'electronics', scene: 'online' },
  { id: 'm_meituan', name: '美团外卖', category: 'food', scene: 'online' },
  { id: 'm_didi', name: '滴滴出行', category: 'transport', scene: 'online' },
  { id: 'm_bianlifeng', name: '便利蜂', category: 'grocery', scene: 'offline' },
  { id: 'm_uniqlo', name: '优衣库', category: 'retail', scene: 'offline' },
  { id: 'm_power', name: '深圳供电局', category: 'utility', scene: 'utility' },
] as const;

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function templateOpenid(t: number): string {
  return `tplacct${String(t).padStart(4, '0')}`;
}

export function cloneOpenid(i: number): string {
  return `bench${String(i).padStart(8, '0')}`;
}

interface Plan {
  openid: string;
  kind: Kind;
  openDay: number; // day of September
  /** Purchases: [month, day, hour, amount fen]. */
  purchases: [number, number, number, number][];
}

function plans(): Plan[] {
  const rand = prng(20261201);
  const weighted: Kind[] = KINDS.flatMap(([k, w]) => Array.from({ length: w }, () => k));
  return Array.from({ length: TEMPLATES }, (_, t) => {
    const kind = weighted[t % weighted.length]!;
    const openDay = 1 + Math.floor(rand() * 10);
    const purchases: Plan['purchases'] = [];
    for (const month of [9, 10, 11]) {
      const count = 3 + Math.floor(rand() * 5); // 3–7 a month
      for (let k = 0; k < count; k += 1) {
        const day =
          month === 9 ? openDay + 1 + Math.floor(rand() * (29 - openDay)) : 1 + Math.floor(rand() * 29);
        purchases.push([month, day, 9 + Math.floor(rand() * 12), (20 + Math.floor(rand() * 380)) * 100 + 50]);
      }
    }
    // One big purchase in October for the plans made from a purchase.
    if (kind === 'installment_txn') purchases.push([10, 12, 15, 150_000 + Math.floor(rand() * 100) * 1000]);
    purchases.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    return { openid: templateOpenid(t), kind, openDay, purchases };
  });
}

export interface TemplateSet {
  /** Per template: its openid and documents as [collection, id, json] with the openid inside. */
  templates: { openid: string; key: string; kind: Kind; rows: [string, string, string][] }[];
  /** What each template's statement day does (catchUpAccount's figures). */
  expected: Record<string, number>[];
}

/** Live the templates' three months; returns their documents and their 1 December figures. */
export async function buildTemplates(): Promise<TemplateSet> {
  const h = await createHarness('2026-09-01T00:30:00+08:00');
  try {
    const all = plans();
    const first = atLocal(2026, 9, 1);
    for (let t = first; t < atLocal(2026, 12, 1); t += DAY_MS) {
      const date = new Date(t + 8 * 3_600_000);
      const month = date.getUTCMonth() + 1;
      const day = date.getUTCDate();
      await h.clock.set(t + 30 * 60_000);
      await runScheduler(h.deps);
      // The day's actions, in time order.
      const actions: { hour: number; run: () => Promise<unknown> }[] = [];
      for (const p of all) {
        if (month === 9 && day === p.openDay) {
          actions.push({ hour: 8, run: () => open(h, p) });
        }
        for (const [m, d, hour, fen] of p.purchases) {
          if (m === month && d === day) actions.push({ hour, run: () => spend(h, p.openid, fen) });
        }
        if (month === 10 || month === 11) actions.push(...repayments(h, p, month, day));
      }
      actions.sort((a, b) => a.hour - b.hour);
      for (const a of actions) {
        await h.clock.set(t + a.hour * 3_600_000);
        await a.run();
      }
    }
    await h.clock.set(atLocal(2026, 11, 30, 23));
    await runScheduler(h.deps);

    const templates: TemplateSet['templates'] = [];
    for (const p of all)
      templates.push({
        openid: p.openid,
        key: userKey(p.openid),
        kind: p.kind,
        rows: await rowsOf(h, p.openid),
      });
    // Each template's own statement day, for the check.
    await h.clock.set(BENCH_NOW);
    const expected: Record<string, number>[] = [];
    for (const p of all) {
      const stats = emptyStats();
      await catchUpAccount(h.deps, p.openid, BENCH_TODAY, stats);
      expected.push(stats);
    }
    return { templates, expected };
  } finally {
    await h.close();
  }
}

async function open(h: Harness, p: Plan): Promise<void> {
  await h.setProfile(p.openid, { ...STRONG });
  await h.ok('credit', 'apply', { channel: 'checkout', annualIncome: '240000.00' }, p.openid);
  if (p.kind === 'auto_debit')
    await h.ok('bill', 'autoDebit', { enabled: true, channel: 'balance' }, p.openid);
}

async function spend(h: Harness, openid: string, fen: number): Promise<void> {
  const merchant = MERCHANTS[fen % MERCHANTS.length]!;
  const amount = (fen / 100).toFixed(2);
  // Refusals (a frozen account, the quota) are part of a realistic history: ignore them.
  await h.call('pay', 'spend', { requestId: rid('seed'), amount, merchant }, openid);
}

function repayments(
  h: Harness,
  p: Plan,
  month: number,
  day: number,
): { hour: number; run: () => Promise<unknown> }[] {
  const repay = (mode: string) => () =>
    h.call('bill', 'repay', { requestId: rid('seed'), mode, channel: 'balance' }, p.openid);
  switch (p.kind) {
    case 'full':
      return day === 6 ? [{ hour: 20, run: repay('full') }] : [];
    case 'installment_txn':
      if (month === 10 && day === 12) return [{ hour: 16, run: () => convertBigPurchase(h, p.openid) }];
      return day === 6 ? [{ hour: 20, run: repay('full') }] : [];
    case 'minimum':
      return day === 9 ? [{ hour: 21, run: repay('minimum') }] : [];
    case 'late':
      return day === 20 ? [{ hour: 12, run: repay('full') }] : [];
    case 'installment_statement':
      if (day === 3) {
        return [
          {
            hour: 11,
            run: async () => {
              const s = await h.ok<{ current: { id: string } | null }>('bill', 'summary', {}, p.openid);
              if (s.current)
                await h.call(
                  'bill',
                  'convert',
                  { requestId: rid('seed'), statementId: s.current.id, term: month === 10 ? 6 : 12 },
                  p.openid,
                );
            },
          },
        ];
      }
      return day === 8 ? [{ hour: 19, run: repay('full') }] : [];
    default:
      return [];
  }
}

/** The big October purchase becomes a 12-month plan the day it was made. */
async function convertBigPurchase(h: Harness, openid: string): Promise<void> {
  const txns = await h.store.find<TxnDoc>('txns', { openid, status: 'unbilled' });
  const big = txns.find((x) => x.amountFen >= 150_000);
  if (big) await h.ok('bill', 'convert', { requestId: rid('seed'), txnId: big._id, term: 12 }, openid);
}

async function rowsOf(h: Harness, openid: string): Promise<[string, string, string][]> {
  const rows: [string, string, string][] = [];
  for (const c of Object.keys(COLLECTIONS)) {
    if (c === 'idempotency' || c === 'meta') continue;
    const byOpenid = await h.store.find(c, { openid });
    const seen = new Set(byOpenid.map((d) => d._id));
    const own = await h.store.get(c, openid);
    if (own && !seen.has(own._id)) byOpenid.push(own);
    for (const d of byOpenid) rows.push([c, d._id, JSON.stringify(d)]);
  }
  return rows;
}

/**
 * Write `n` clones (clone i copies template i mod K) into a new SQLite file, built the way the
 * store builds it (tables and indexes by SqliteStore), with the scheduler's meta at 30 November.
 */
export async function writeClones(file: string, set: TemplateSet, n: number): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  // Tables and indexes exactly as the store makes them; the indexes are dropped for the bulk
  // insert and rebuilt by the store at the end.
  await new SqliteStore({ file }).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  const indexes = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`)
    .all() as { name: string }[];
  for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
  const insert = new Map<string, Database.Statement>();
  const stmt = (c: string) => {
    let s = insert.get(c);
    if (!s) {
      // The key columns as the store fills them from a document (adapters/sqlite/layout.ts).
      const { table, fields } = layoutOf(c);
      const columns = ['id', 'data', ...fields.map(columnOf)].join(', ');
      const values = ['@id', '@data', ...fields.map((f) => `json_extract(@data, '$.${f}')`)].join(', ');
      s = db.prepare(`INSERT INTO ${table} (${columns}) VALUES (${values})`);
      insert.set(c, s);
    }
    return s;
  };
  // Each template row as segments between the places its openid or user key appear.
  const OPENID = 0;
  const KEY = 1;
  const compile = (text: string, tpl: { openid: string; key: string }): (string | number)[] =>
    text.split(tpl.openid).flatMap((part, i) => {
      const pieces: (string | number)[] = i > 0 ? [OPENID] : [];
      part.split(tpl.key).forEach((piece, j) => pieces.push(...(j > 0 ? [KEY] : []), piece));
      return pieces;
    });
  const fill = (segments: (string | number)[], openid: string, key: string): string => {
    let out = '';
    for (const s of segments) out += s === OPENID ? openid : s === KEY ? key : s;
    return out;
  };
  const collections = Object.keys(COLLECTIONS);
  const compiled = set.templates.map((tpl) =>
    collections.map((c) =>
      tpl.rows
        .filter((r) => r[0] === c)
        .map(([, id, json]) => [compile(id, tpl), compile(json, tpl)] as const),
    ),
  );
  const K = set.templates.length;
  const CHUNK = 2000;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    const ids = Array.from({ length: end - start }, (_, j) => {
      const openid = cloneOpenid(start + j);
      return { openid, key: userKey(openid), shard: shardOf(openid) };
    });
    db.exec('BEGIN');
    // Collection by collection, so each table's b-tree is filled in one go.
    collections.forEach((c, ci) => {
      for (let i = start; i < end; i += 1) {
        const { openid, key, shard } = ids[i - start]!;
        for (const [id, json] of compiled[i % K]![ci]!) {
          let data = fill(json, openid, key);
          if (c === 'accounts') data = data.replace(/"shard":\d+/, `"shard":${shard}`);
          stmt(c).run({ id: fill(id, openid, key), data });
        }
      }
    });
    db.exec('COMMIT');
  }
  stmt('meta').run({
    id: 'scheduler',
    data: JSON.stringify({ _id: 'scheduler', lastDay: '2026-11-30', lastRunAt: BENCH_NOW - DAY_MS }),
  });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  // Rebuild the indexes (and checkpoint) through the store itself.
  const store = new SqliteStore({ file });
  await store.close();
  const again = new Database(file);
  again.pragma('wal_checkpoint(TRUNCATE)');
  again.close();
}

/** The expected figures of a run over n clones. */
export function expectedFigures(set: TemplateSet, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  const K = set.templates.length;
  for (let t = 0; t < K; t += 1) {
    const copies = Math.floor(n / K) + (t < n % K ? 1 : 0);
    for (const [k, v] of Object.entries(set.expected[t]!)) out[k] = (out[k] ?? 0) + v * copies;
  }
  return out;
}
