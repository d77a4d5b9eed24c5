/**
 * The local gateway over real HTTP: createGateway on an ephemeral port over a temporary SQLite
 * data directory, driven with node's fetch.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Deps } from '../../cloudfunctions/src/app/context';
import { createLocalDeps, seedDemoPersonas } from '../../cloudfunctions/src/app/local';
import { FUNCTIONS } from '../../cloudfunctions/src/handlers';
import { createGateway, MAX_BODY_BYTES } from '../../cloudfunctions/src/gateway/server';

let dir: string;
let deps: Deps;
let server: http.Server;
let base: string;
const lines: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenfu-gw-'));
  deps = createLocalDeps({ dataDir: dir, config: { sandboxEnabled: true, operatorOpenids: ['op_1'] } });
  await seedDemoPersonas(deps);
  server = createGateway({
    deps,
    functions: FUNCTIONS,
    log: (line) => lines.push(line),
    logger: { error: () => undefined },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await deps.store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  lines.length = 0;
});

async function post(fn: string, body: unknown, openid?: string, raw = false) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (openid !== undefined) headers['x-openid'] = openid;
  const res = await fetch(`${base}/api/${fn}`, {
    method: 'POST',
    headers,
    body: raw ? (body as string) : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), body: JSON.parse(text) };
}

describe('gateway over HTTP', () => {
  it('GET /health answers 200', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });

  it('credit.apply then credit.status for a seeded persona, with the X-Openid header as identity', async () => {
    const before = await post('credit', { action: 'status' }, 'demo_strong');
    expect(before).toMatchObject({
      status: 200,
      body: { ok: true, data: { account: null, canApply: true } },
    });
    expect(before.contentType).toMatch(/^application\/json/);

    const applied = await post(
      'credit',
      { action: 'apply', channel: 'checkout', annualIncome: '240000.00' },
      'demo_strong',
    );
    expect(applied).toMatchObject({
      status: 200,
      body: { ok: true, data: { decision: 'approved', quota: '7300.00' } },
    });
    const status = await post('credit', { action: 'status' }, 'demo_strong');
    expect(status.body).toMatchObject({
      ok: true,
      data: { account: { status: 'active', quota: '7300.00', used: '0.00', available: '7300.00' } },
    });

    const spent = await post(
      'pay',
      {
        action: 'spend',
        requestId: 'gw-spend-0001',
        amount: '88.80',
        merchant: { id: 'm_cafe', name: '瑞幸咖啡', category: 'food', scene: 'offline' },
      },
      'demo_strong',
    );
    expect(spent).toMatchObject({ status: 200, body: { ok: true, data: { available: '7211.20' } } });
    const refused = await post(
      'pay',
      {
        action: 'spend',
        requestId: 'gw-spend-0002',
        amount: '88.80',
        merchant: { id: 'm_p2p', name: '转账', category: 'p2p', scene: 'transfer' },
      },
      'demo_strong',
    );
    expect(refused).toMatchObject({
      status: 400,
      body: { ok: false, error: { code: 'CASH_OUT_FORBIDDEN' } },
    });
  });

  it('an idempotency conflict is HTTP 409', async () => {
    const spendBody = (amount: string) => ({
      action: 'spend',
      requestId: 'gw-conflict-1',
      amount,
      merchant: { id: 'm_cafe', name: '瑞幸咖啡', category: 'food', scene: 'offline' },
    });
    // A new openid: give it a strong profile through the sandbox, then open credit.
    const profile = {
      realNameVerified: true,
      bankCards: 1,
      payScore: 700,
      monthlyPaymentCount: 30,
      balance: '2000.00',
      friendCount: 300,
      payHistoryDays: 400,
      avgMonthlySpend: '3000.00',
      age: 30,
    };
    expect((await post('sandbox', { action: 'setProfile', ...profile }, 'u_gw')).status).toBe(200);
    await post('credit', { action: 'apply', channel: 'checkout', annualIncome: '240000.00' }, 'u_gw');
    expect((await post('pay', spendBody('10.00'), 'u_gw')).status).toBe(200);
    const conflict = await post('pay', spendBody('10.01'), 'u_gw');
    expect(conflict).toMatchObject({
      status: 409,
      body: { ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } },
    });
  });

  it('a body over 64 KiB is 413', async () => {
    const big = JSON.stringify({ action: 'status', pad: 'x'.repeat(MAX_BODY_BYTES) });
    expect(Buffer.byteLength(big)).toBeGreaterThan(64 * 1024);
    const r = await post('credit', big, 'demo_strong', true);
    expect(r).toMatchObject({ status: 413, body: { ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } } });
  });

  it('a body of exactly 64 KiB is read (and refused only for its content)', async () => {
    const prefix = JSON.stringify({ action: 'status', pad: '' });
    const body = prefix.replace('"pad":""', `"pad":"${'x'.repeat(MAX_BODY_BYTES - prefix.length)}"`);
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    const r = await post('credit', body, 'demo_strong', true);
    expect(r).toMatchObject({
      status: 400,
      body: { ok: false, error: { code: 'INVALID_INPUT', details: { field: 'pad' } } },
    });
  });

  it('a deeply nested body within 64 KiB is 400, not 500', async () => {
    const depth = 30_000;
    const body = `{"action":"status","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    const r = await post('credit', body, 'demo_strong', true);
    expect(r).toMatchObject({ status: 400, body: { ok: false, error: { code: 'INVALID_INPUT' } } });
  });

  it('malformed JSON is 400 INVALID_INPUT', async () => {
    for (const body of ['{"action": "status"', 'not json', '', "{'action':'status'}"]) {
      const r = await post('credit', body, 'demo_strong', true);
      expect(r).toMatchObject({ status: 400, body: { ok: false, error: { code: 'INVALID_INPUT' } } });
    }
  });

  it('an unknown function is 404, as are other paths and methods', async () => {
    expect(await post('nope', { action: 'status' }, 'demo_strong')).toMatchObject({
      status: 404,
      body: { ok: false, error: { code: 'NOT_FOUND' } },
    });
    expect(await post('constructor', { action: 'status' }, 'demo_strong')).toMatchObject({ status: 404 });
    expect((await fetch(`${base}/api/credit`)).status).toBe(404);
    expect((await fetch(`${base}/nowhere`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('an unknown action is 404', async () => {
    expect(await post('credit', { action: 'launchRocket' }, 'demo_strong')).toMatchObject({
      status: 404,
      body: { ok: false, error: { code: 'NOT_FOUND' } },
    });
  });

  it('a missing or malformed X-Openid is 401', async () => {
    expect(await post('credit', { action: 'status' })).toMatchObject({
      status: 401,
      body: { ok: false, error: { code: 'UNAUTHENTICATED' } },
    });
    expect(await post('credit', { action: 'status' }, 'bad openid!')).toMatchObject({ status: 401 });
    expect(await post('credit', { action: 'status' }, 'x'.repeat(65))).toMatchObject({ status: 401 });
  });

  it('an error body never carries a stack trace', async () => {
    const r = await post('pay', { action: 'spend', amount: '1e3' }, 'demo_strong');
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).not.toMatch(/\.ts:\d+|at Object\./);
  });

  it('logs one line per request with function.action, status and ms', async () => {
    await post('credit', { action: 'status' }, 'demo_strong');
    await post('credit', { action: 'nope' }, 'demo_strong');
    await post('credit', { action: 'status' });
    await post('credit', '{oops', 'demo_strong', true);
    await fetch(`${base}/health`);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/credit\.status 200 \d+(\.\d+)?ms/);
    expect(lines[1]).toMatch(/credit\.nope 404 \d+(\.\d+)?ms/);
    expect(lines[2]).toMatch(/credit\.status 401 \d+(\.\d+)?ms/);
    expect(lines[3]).toMatch(/credit 400 \d+(\.\d+)?ms/);
    expect(lines[4]).toMatch(/health 200 \d+(\.\d+)?ms/);
    // The log never carries the caller's identity or the request body.
    for (const line of lines) expect(line).not.toMatch(/demo_strong|oops/);
  });
});
