/**
 * `npm run demo`: a short scripted walk through 分付 over HTTP, printed as a story.
 *
 * Talks to a running gateway (DEMO_URL, default http://127.0.0.1:3000) when one answers on
 * /health; otherwise starts an in-process gateway over a temporary data directory and removes it
 * afterwards. Each run uses fresh openids (the demo personas' profiles set through the sandbox),
 * so it can be re-run against a persistent gateway.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type {
  CreditApplyData,
  CreditQuotaData,
  CreditStatusData,
  Dimension,
  Envelope,
  SpendData,
} from '../typings/api';
import { createLocalDeps, seedDemoPersonas } from '../cloudfunctions/src/app/local';
import { createGateway } from '../cloudfunctions/src/gateway/server';
import { FUNCTIONS } from '../cloudfunctions/src/handlers';
import { DEMO_PERSONAS, profileView } from '../cloudfunctions/src/usecases/profiles';

export interface DemoOptions {
  /** Gateway to use when it answers on /health. */
  url?: string;
  /** Where the story goes (default: stdout). */
  write?: (line: string) => void;
}

export interface DemoResult {
  mode: 'running' | 'in-process';
  base: string;
}

interface Target {
  mode: DemoResult['mode'];
  base: string;
  close: () => Promise<void>;
}

const DEFAULT_URL = 'http://127.0.0.1:3000';

const SUPERMARKET = {
  id: 'm_crv_shenzhen',
  name: '华润万家',
  category: 'grocery',
  scene: 'offline',
} as const;
const TRANSFER = { id: 'm_p2p_transfer', name: '微信转账', category: 'p2p', scene: 'transfer' } as const;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function healthy(base: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(1_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

async function target(url: string): Promise<Target> {
  const base = url.replace(/\/+$/, '');
  if (await healthy(base)) return { mode: 'running', base, close: async () => undefined };

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenfu-demo-'));
  const deps = createLocalDeps({ dataDir, config: { sandboxEnabled: true } });
  await seedDemoPersonas(deps);
  const server = createGateway({ deps, functions: FUNCTIONS });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    mode: 'in-process',
    base: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await deps.store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function client(base: string) {
  /** POST /api/<fn> as `openid`: the data, or an ApiError carrying the refusal. */
  return async function call<T>(fn: string, openid: string, body: Record<string, unknown>): Promise<T> {
    const res = await fetch(`${base}/api/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-openid': openid },
      body: JSON.stringify(body),
    });
    const envelope = (await res.json()) as Envelope<T>;
    if (envelope.ok) return envelope.data;
    throw new ApiError(res.status, envelope.error.code, envelope.error.message);
  };
}

function shown(v: number | string): string {
  return typeof v === 'number' ? String(v) : v;
}

function dimensionLine(d: Dimension): string {
  const mark = d.passed ? '✓' : '✗';
  const rule = d.key === 'creditHistory' ? `= ${shown(d.threshold)}` : `≥ ${shown(d.threshold)}`;
  return `    ${mark} ${d.label.padEnd(5, '　')} ${shown(d.value).padStart(9)}  (needs ${rule}, weight ${d.weight})`;
}

function requestId(tag: string): string {
  return `demo-${tag}-${randomBytes(6).toString('hex')}`;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const say = options.write ?? ((line: string) => console.log(line));
  const t = await target(options.url ?? DEFAULT_URL);
  try {
    const call = client(t.base);
    const suffix = randomBytes(3).toString('hex');
    say('分付 · a short walk through the product');
    say(
      t.mode === 'running'
        ? `Using the gateway running at ${t.base}.`
        : `No gateway answered on ${options.url ?? DEFAULT_URL}; started one in-process at ${t.base} over a temporary data directory.`,
    );
    say('');

    // 1. A strong user opens credit.
    const strong = DEMO_PERSONAS.demo_strong!.profile;
    const alice = `demo_strong_${suffix}`;
    await call('sandbox', alice, { action: 'setProfile', ...profileView(strong) });
    say(`1. ${alice} — a WeChat Pay user with a good record — opens 分付 at checkout.`);
    say(
      `   Profile: 支付分 ${strong.payScore}, ${strong.monthlyPaymentCount} payments a month, ` +
        `零钱 ${profileView(strong).balance}, ${strong.friendCount} friends, ${strong.overdueCount} overdue records, ` +
        `月均消费 ${profileView(strong).avgMonthlySpend}.`,
    );
    const decision = await call<CreditApplyData>('credit', alice, {
      action: 'apply',
      channel: 'checkout',
      annualIncome: '240000.00',
    });
    say(
      `   Decision: ${decision.decision.toUpperCase()} — score ${decision.score}/100 (policy ${decision.policyVersion})`,
    );
    for (const d of decision.dimensions) say(dimensionLine(d));
    say(`   Opening quota (额度): ${decision.quota ?? '—'}`);
    say('');

    // 2. The quota, explained.
    const q = await call<CreditQuotaData>('credit', alice, { action: 'quota' });
    const b = q.breakdown;
    say('2. Where the quota comes from (credit.quota):');
    say(`    基础 base      = 支付分 ${strong.payScore} × 10        = ${b.base}`);
    say(`    消费 spend     = 月均消费 × 8%          = ${b.spend}`);
    say(`    存款 deposit   = 零钱 × 5%              = ${b.deposit}`);
    say(`    合计 raw                                = ${b.raw}`);
    say(`    风险系数 multiplier ${b.riskMultiplier} (1 normally; 0.5 / 0.2 / 0 under risk restrictions)`);
    say(`    额度 quota     = floor_to_100(raw × ${b.riskMultiplier}), at most ${b.cap} = ${q.quota}`);
    say(`    已用 used ${q.used} · 可用 available ${q.available}`);
    if (q.tips[0]) say(`    Tip: ${q.tips[0]}`);
    say('');

    // 3. A purchase.
    const spent = await call<SpendData>('pay', alice, {
      action: 'spend',
      requestId: requestId('grocery'),
      amount: '268.50',
      merchant: SUPERMARKET,
      city: strong.homeCity,
    });
    say(`3. She pays ${spent.amount} at ${SUPERMARKET.name} (offline QR) with 分付.`);
    say(`   Posted as ${spent.txnId}; available is now ${spent.available}.`);
    say('');

    // 4. A refused spend: no cash-out.
    say('4. She then tries to move 500.00 of credit to a friend by transfer (转账):');
    try {
      await call('pay', alice, {
        action: 'spend',
        requestId: requestId('transfer'),
        amount: '500.00',
        merchant: TRANSFER,
      });
      say('   ...and it went through, which it must not.');
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      say(`   Refused: HTTP ${err.status} ${err.code} — ${err.message}`);
    }
    const after = await call<CreditStatusData>('credit', alice, { action: 'status' });
    say(`   Nothing was charged: used ${after.account?.used}, available ${after.account?.available}.`);
    say('');

    // 5. A thin file is turned down, with reasons and suggestions.
    const thin = DEMO_PERSONAS.demo_thin!.profile;
    const bob = `demo_thin_${suffix}`;
    await call('sandbox', bob, { action: 'setProfile', ...profileView(thin) });
    say(`5. ${bob} — 支付分 ${thin.payScore}, ${thin.monthlyPaymentCount} payments a month — applies too.`);
    const rejected = await call<CreditApplyData>('credit', bob, {
      action: 'apply',
      channel: 'checkout',
      annualIncome: profileView(thin).annualIncome,
    });
    say(
      `   Decision: ${rejected.decision.toUpperCase()} — score ${rejected.score}/100, reasons: ${rejected.reasons.join(', ')}`,
    );
    for (const d of rejected.dimensions) {
      say(dimensionLine(d));
      if (!d.passed && d.suggestion) say(`        → ${d.suggestion}`);
    }
    if (rejected.reapplyAt) say(`   He may apply again from ${rejected.reapplyAt}.`);
    say('');
    say('That is the loop: open, understand the quota, spend, and the rules that protect both sides.');
    return { mode: t.mode, base: t.base };
  } finally {
    await t.close();
  }
}

if (require.main === module) {
  runDemo({ url: process.env.DEMO_URL ?? DEFAULT_URL }).catch((err: unknown) => {
    if (err instanceof ApiError) {
      console.error(`demo failed: HTTP ${err.status} ${err.code} — ${err.message}`);
      if (err.code === 'FORBIDDEN') console.error('The gateway has the sandbox off (SANDBOX_ENABLED=false).');
    } else {
      console.error(err);
    }
    process.exit(1);
  });
}
