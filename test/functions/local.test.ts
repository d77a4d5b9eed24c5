/**
 * The local composition root (`npm start`): its clock follows the sandbox switch as the cloud's
 * does (cloud/deps.ts). A clock moved in the sandbox is kept in the store across restarts; with
 * the sandbox off, time is the machine's, whatever a sandbox once did to that data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Deps } from '../../cloudfunctions/src/app/context';
import { handle } from '../../cloudfunctions/src/app/dispatch';
import { createLocalDeps, seedDemoPersonas } from '../../cloudfunctions/src/app/local';
import { dayStart } from '../../cloudfunctions/src/core/time';
import { FUNCTIONS } from '../../cloudfunctions/src/handlers';
import type { AccountDoc, TxnDoc } from '../../cloudfunctions/src/usecases/documents';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenfu-local-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const silent = { error: () => undefined };
const NEXT_YEAR = Date.parse('2027-06-01T09:00:00+08:00');

const setClock = (deps: Deps, set = '2027-06-01T09:00:00+08:00') =>
  handle('sandbox', FUNCTIONS.sandbox!, { action: 'clock', set }, 'u_dev', deps, silent);

/** The local cloud on the test's data directory, as `npm start` would open it, closed after `fn`. */
async function withLocal(sandboxEnabled: boolean, fn: (deps: Deps) => Promise<void>): Promise<void> {
  const deps = createLocalDeps({ dataDir: dir, config: { sandboxEnabled } });
  try {
    await fn(deps);
  } finally {
    await deps.store.close();
  }
}

const moveClockInSandbox = () =>
  withLocal(true, async (deps) => expect((await setClock(deps)).status).toBe(200));

describe('local clock', () => {
  it('with the sandbox on, a moved clock is still moved after a restart', async () => {
    await moveClockInSandbox();
    await withLocal(true, async (deps) => {
      expect(Math.abs((await deps.clock.now()) - NEXT_YEAR)).toBeLessThan(60_000);
    });
  });

  it('moves only forward: a time before now is CLOCK_BACKWARDS, and the clock stays', async () => {
    await moveClockInSandbox();
    await withLocal(true, async (deps) => {
      const back = await setClock(deps, '2027-01-01T09:00:00+08:00');
      expect(back.status).toBe(400);
      expect(back.body).toMatchObject({ ok: false, error: { code: 'CLOCK_BACKWARDS' } });
      expect(Math.abs((await deps.clock.now()) - NEXT_YEAR)).toBeLessThan(60_000);
    });
  });

  it('refuses an impossible date and a jump of more than 366 days, naming `set`; the clock stays', async () => {
    await moveClockInSandbox();
    await withLocal(true, async (deps) => {
      for (const set of ['2027-02-31T09:00:00+08:00', '2028-06-02T09:00:00+08:00']) {
        const r = await setClock(deps, set);
        expect(r.status).toBe(400);
        expect(r.body).toMatchObject({
          ok: false,
          error: { code: 'INVALID_INPUT', details: { field: 'set' } },
        });
      }
      expect(JSON.stringify((await setClock(deps, '2028-06-02T09:00:00+08:00')).body)).toContain('366 天');
      expect(Math.abs((await deps.clock.now()) - NEXT_YEAR)).toBeLessThan(60_000);
      expect((await setClock(deps, '2028-02-29T09:00:00+08:00')).status).toBe(200); // a leap day is real
    });
  });

  it('with the sandbox off, time is real even on data whose clock a sandbox moved, and cannot be moved', async () => {
    await moveClockInSandbox();
    await withLocal(false, async (deps) => {
      expect(Math.abs((await deps.clock.now()) - Date.now())).toBeLessThan(60_000);
      const refused = await setClock(deps);
      expect(refused.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    });
  });

  it('with the sandbox off, an account the sandbox moved ahead still answers, at times not before its day (review 3)', async () => {
    const call = (deps: Deps, fn: string, action: string, params: Record<string, unknown> = {}) =>
      handle(fn, FUNCTIONS[fn]!, { action, ...params }, 'demo_strong', deps, silent);
    const GROCERY = { id: 'm_grocery', name: '华润万家', category: 'grocery', scene: 'offline' };
    await withLocal(true, async (deps) => {
      await seedDemoPersonas(deps);
      expect(
        (await call(deps, 'credit', 'apply', { channel: 'checkout', annualIncome: '240000.00' })).status,
      ).toBe(200);
      expect((await setClock(deps)).status).toBe(200);
      expect((await call(deps, 'sandbox', 'runScheduler')).status).toBe(200);
    });
    await withLocal(false, async (deps) => {
      const account = (await deps.store.get<AccountDoc>('accounts', 'demo_strong'))!;
      expect(account.lastDay).toBe('2027-06-01'); // ahead of the machine's clock
      for (const [fn, action] of [
        ['credit', 'status'],
        ['credit', 'quota'],
        ['bill', 'summary'],
        ['bill', 'list'],
        ['inbox', 'list'],
        ['risk', 'events'],
      ] as const) {
        expect([`${fn}.${action}`, (await call(deps, fn, action)).status]).toEqual([`${fn}.${action}`, 200]);
      }
      const spent = await call(deps, 'pay', 'spend', {
        requestId: 'req-local-1',
        amount: '10.00',
        merchant: GROCERY,
      });
      expect(spent.status).toBe(200);
      const txnId = (spent.body as { data: { txnId: string } }).data.txnId;
      expect((await deps.store.get<TxnDoc>('txns', txnId))!.at).toBe(dayStart('2027-06-01'));
    });
  });
});
