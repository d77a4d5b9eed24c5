/**
 * Durability of the real local cloud: `npm start`'s command (tsx cloudfunctions/src/gateway/main.ts)
 * as a child process on a temporary DATA_DIR, SIGKILLed in the middle of a load of spends and
 * restarted on the same data. Every acknowledged spend is still there, and retrying every
 * requestId afterwards charges each exactly once. A SIGTERM shuts down cleanly with exit code 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../cloudfunctions/src/adapters/sqlite/sqliteStore';
import { killAllGateways, killGroup, startGateway } from '../support/gatewayProcess';

jest.setTimeout(60_000);

const OPENID = 'demo_strong';
const MERCHANT = { id: 'm_bianlifeng', name: '便利蜂', category: 'grocery', scene: 'offline' };

afterAll(killAllGateways);

interface Answer {
  ok: boolean;
  data?: { txnId?: string; account?: { used: string } };
  error?: { code: string };
}

async function post(base: string, fn: string, body: Record<string, unknown>) {
  const res = await fetch(`${base}/api/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-openid': OPENID },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

/** The spend records in the data directory (while no gateway holds it). */
async function txnsOf(dataDir: string) {
  const store = new SqliteStore({ file: path.join(dataDir, 'fenfu.db') });
  try {
    return await store.find<{ _id: string; requestId: string; amountFen: number }>('txns', {
      openid: OPENID,
    });
  } finally {
    await store.close();
  }
}

const fen = (money: string) => Math.round(Number(money.replace('.', '')));

describe('the gateway process', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenfu-crash-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged spend through a SIGKILL, and a retry after restart charges each requestId once', async () => {
    const first = await startGateway(dataDir);
    expect(first.output()).toContain('demo personas seeded');
    const applied = await post(first.base, 'credit', {
      action: 'apply',
      channel: 'checkout',
      annualIncome: '240000.00',
    });
    expect(applied.body).toMatchObject({ ok: true, data: { decision: 'approved', quota: '7300.00' } });

    // 600 distinct spends of 1.00 + 0.01 × i (2397.00 in all, within the quota), 12 in flight at a time.
    const requests = Array.from({ length: 600 }, (_, i) => ({
      requestId: `crash-${String(i).padStart(4, '0')}-${process.pid}`,
      amount: (1 + i / 100).toFixed(2),
    }));
    const sent = new Set<string>();
    const acked = new Map<string, { txnId: string; body: unknown }>();
    let next = 0;
    let killed = false;
    const KILL_AFTER = 60;

    const worker = async () => {
      while (!killed && next < requests.length) {
        const r = requests[next++]!;
        sent.add(r.requestId);
        try {
          const res = await post(first.base, 'pay', { action: 'spend', merchant: MERCHANT, ...r });
          if (res.status === 200 && res.body.ok) {
            acked.set(r.requestId, { txnId: res.body.data!.txnId!, body: res.body });
            if (acked.size >= KILL_AFTER && !killed) {
              killed = true;
              killGroup(first.child);
            }
          } else if (!killed) {
            throw new Error(`unexpected answer ${res.status} ${JSON.stringify(res.body)}`);
          }
        } catch (err) {
          // In flight when the server died: outcome unknown until the retry below.
          if (!killed) throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: 12 }, worker));
    const death = await first.exited;
    expect(death.signal).toBe('SIGKILL');
    expect(killed).toBe(true);
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(sent.size).toBeLessThan(requests.length); // it really died mid-load

    // Straight from the file, before anything is retried: every acknowledged spend committed, once;
    // spends in flight at the kill may or may not have.
    const committed = await txnsOf(dataDir);
    const committedIds = committed.map((t) => t.requestId);
    expect(new Set(committedIds).size).toBe(committed.length);
    for (const requestId of acked.keys()) expect(committedIds).toContain(requestId);
    for (const requestId of committedIds) expect(sent.has(requestId)).toBe(true);
    for (const t of committed) expect(t._id).toBe(acked.get(t.requestId)?.txnId ?? t._id);

    const second = await startGateway(dataDir);
    expect(second.output()).not.toContain('demo personas seeded'); // the data survived
    // Acknowledged spends are all there: retrying them replays the very same answer.
    for (const [requestId, ack] of acked) {
      const r = requests.find((q) => q.requestId === requestId)!;
      const res = await post(second.base, 'pay', { action: 'spend', merchant: MERCHANT, ...r });
      expect(res.body).toEqual(ack.body);
    }
    // Everything sent, acknowledged or not, is retried (in parallel): each now succeeds.
    const sentRequests = requests.filter((r) => sent.has(r.requestId));
    const retried = await Promise.all(
      sentRequests.map((r) => post(second.base, 'pay', { action: 'spend', merchant: MERCHANT, ...r })),
    );
    for (const res of retried) expect(res).toMatchObject({ status: 200, body: { ok: true } });
    const txnIds = new Set(retried.map((res) => res.body.data!.txnId!));
    expect(txnIds.size).toBe(sentRequests.length);

    const expectedFen = sentRequests.reduce((sum, r) => sum + fen(r.amount), 0);
    const status = await post(second.base, 'credit', { action: 'status' });
    expect(fen(status.body.data!.account!.used)).toBe(expectedFen);

    // A second round of retries is pure replay.
    for (const r of sentRequests.slice(0, 20)) {
      await post(second.base, 'pay', { action: 'spend', merchant: MERCHANT, ...r });
    }
    const again = await post(second.base, 'credit', { action: 'status' });
    expect(again.body.data!.account!.used).toBe(status.body.data!.account!.used);

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });

    // In the database itself: one transaction per requestId, no more.
    const txns = await txnsOf(dataDir);
    expect(txns).toHaveLength(sentRequests.length);
    expect(new Set(txns.map((t) => t.requestId)).size).toBe(sentRequests.length);
    expect(txns.reduce((s, t) => s + t.amountFen, 0)).toBe(expectedFen);
  });

  it('SIGTERM shuts down cleanly with exit code 0, even with a keep-alive connection open', async () => {
    const gw = await startGateway(dataDir);
    const res = await fetch(`${gw.base}/health`);
    expect(res.status).toBe(200);
    await post(gw.base, 'credit', { action: 'status' });
    // To the tsx process only, as a supervisor would: it forwards the signal to the server.
    gw.child.kill('SIGTERM');
    expect(await gw.exited).toEqual({ code: 0, signal: null });
    expect(gw.output()).toContain('SIGTERM: closing');
  });
});
