/**
 * Function-test harness: the real handlers over the real SQLite store in a temporary directory,
 * with a manual clock. `call` goes through the same `handle()` the gateway and the cloud use.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Envelope } from '../../typings/api';
import { ManualClock } from '../../cloudfunctions/src/adapters/clocks';
import { SqliteStore } from '../../cloudfunctions/src/adapters/sqlite/sqliteStore';
import type { Deps } from '../../cloudfunctions/src/app/context';
import { handle } from '../../cloudfunctions/src/app/dispatch';
import { ACTIVE_POLICY } from '../../cloudfunctions/src/core/policyLoader';
import type { CoreProfile } from '../../cloudfunctions/src/core/credit/profile';
import { parseIso } from '../../cloudfunctions/src/core/time';
import { FUNCTIONS } from '../../cloudfunctions/src/handlers';
import { DEMO_PERSONAS, profileDoc } from '../../cloudfunctions/src/usecases/profiles';
import { inboxOnlyNotifier } from '../../cloudfunctions/src/ports/notifier';

export interface Harness {
  deps: Deps;
  store: SqliteStore;
  clock: ManualClock;
  dir: string;
  /** Call a function action as `openid`; returns the HTTP status and the envelope. */
  call<T = unknown>(
    fn: string,
    action: string,
    params?: Record<string, unknown>,
    openid?: string,
  ): Promise<{ status: number; body: Envelope<T> }>;
  /** Call and expect ok: returns data or throws with the error. */
  ok<T = Record<string, unknown>>(
    fn: string,
    action: string,
    params?: Record<string, unknown>,
    openid?: string,
  ): Promise<T>;
  setProfile(openid: string, profile: Partial<CoreProfile>): Promise<void>;
  at(iso: string): Promise<void>;
  /** Every document of every collection, for "nothing changed" assertions. */
  snapshot(): Promise<string>;
  close(): Promise<void>;
}

export const STRONG = DEMO_PERSONAS.demo_strong!.profile;

export async function createHarness(startIso = '2026-11-05T10:00:00+08:00'): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenfu-test-'));
  const store = new SqliteStore({ file: path.join(dir, 'fenfu.db') });
  const clock = new ManualClock(parseIso(startIso)!);
  const deps: Deps = {
    store,
    clock,
    policy: ACTIVE_POLICY,
    notifier: inboxOnlyNotifier,
    config: { sandboxEnabled: true, operatorOpenids: ['op_1'] },
  };
  const h: Harness = {
    deps,
    store,
    clock,
    dir,
    async call<T>(fn: string, action: string, params: Record<string, unknown> = {}, openid = 'u_alice') {
      const def = FUNCTIONS[fn];
      if (!def)
        return { status: 404, body: { ok: false, error: { code: 'NOT_FOUND', message: fn } } } as never;
      const r = await handle(fn, def, { action, ...params }, openid, deps, { error: () => undefined });
      return r as { status: number; body: Envelope<T> };
    },
    async ok<T>(fn: string, action: string, params: Record<string, unknown> = {}, openid = 'u_alice') {
      const r = await h.call<T>(fn, action, params, openid);
      if (!r.body.ok) throw new Error(`${fn}.${action} failed: ${JSON.stringify(r.body.error)}`);
      return r.body.data;
    },
    async setProfile(openid, profile) {
      await store.transaction((tx) => tx.put('profiles', profileDoc(openid, { ...STRONG, ...profile })));
    },
    async at(iso) {
      const t = parseIso(iso);
      if (t === null) throw new Error(`bad iso ${iso}`);
      await clock.set(t);
    },
    async snapshot() {
      const names = [
        'profiles',
        'accounts',
        'applications',
        'invitations',
        'txns',
        'statements',
        'plans',
        'repayments',
        'riskEvents',
        'appeals',
        'messages',
        'idempotency',
        'meta',
      ];
      const all: Record<string, unknown> = {};
      for (const n of names) all[n] = await store.find(n, {});
      return JSON.stringify(all);
    },
    async close() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Open a credit line for `openid` with the strong persona (quota 7300.00). */
export async function openAccount(
  h: Harness,
  openid = 'u_alice',
  profile: Partial<CoreProfile> = {},
): Promise<void> {
  await h.setProfile(openid, profile);
  await h.ok('credit', 'apply', { channel: 'checkout', annualIncome: '240000.00' }, openid);
}

export const GROCERY = { id: 'm_grocery', name: '华润万家', category: 'grocery', scene: 'offline' } as const;

let seq = 0;
/** A fresh valid requestId. */
export function rid(prefix = 'req'): string {
  seq += 1;
  return `${prefix}-${process.pid}-${seq}-${Math.random().toString(36).slice(2, 8)}`;
}
