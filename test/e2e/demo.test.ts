/**
 * `npm run demo` (scripts/demo.ts): the in-process mode when nothing answers on DEMO_URL, and the
 * running-gateway mode, re-runnable on the same data thanks to fresh openids.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createLocalDeps, seedDemoPersonas } from '../../cloudfunctions/src/app/local';
import { FUNCTIONS } from '../../cloudfunctions/src/handlers';
import { createGateway } from '../../cloudfunctions/src/gateway/server';
import { runDemo } from '../../scripts/demo';

jest.setTimeout(30_000);

/** A localhost URL on which nothing listens. */
async function deadUrl(): Promise<string> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function expectStory(text: string): void {
  // Opening with every scoring dimension, the quota and its breakdown.
  expect(text).toMatch(/APPROVED — score 100\/100/);
  for (const label of ['支付分', '支付活跃度', '零钱余额', '社交关系', '信用记录'])
    expect(text).toContain(label);
  expect(text).toContain('7300.00');
  expect(text).toMatch(/base .*= 7000\.00/);
  expect(text).toMatch(/spend .*= 240\.00/);
  expect(text).toMatch(/deposit .*= 100\.00/);
  expect(text).toMatch(/raw .*= 7340\.00/);
  // The purchase and the refused transfer with its Chinese message; nothing charged by the refusal.
  expect(text).toMatch(/available is now 7031\.50/);
  expect(text).toMatch(/HTTP 400 CASH_OUT_FORBIDDEN — .*[\u4e00-\u9fff]/);
  expect(text).toMatch(/Nothing was charged: used 268\.50, available 7031\.50/);
  // The thin file's rejection with reasons and suggestions.
  expect(text).toMatch(/REJECTED — .*PAY_SCORE_TOO_LOW/);
  expect(text).toMatch(/→ 支付分还差 20 分/);
}

it('runs in-process when no gateway answers, and cleans up its temporary data', async () => {
  const lines: string[] = [];
  const before = new Set(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('fenfu-demo-')));
  const result = await runDemo({ url: await deadUrl(), write: (l) => lines.push(l) });
  expect(result.mode).toBe('in-process');
  const text = lines.join('\n');
  expect(text).toContain('started one in-process');
  expectStory(text);
  const leftovers = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('fenfu-demo-') && !before.has(n));
  expect(leftovers).toEqual([]);
});

it('uses a running gateway, and can run twice against the same data', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenfu-demo-gw-'));
  const deps = createLocalDeps({ dataDir: dir, config: { sandboxEnabled: true } });
  await seedDemoPersonas(deps);
  const server = createGateway({ deps, functions: FUNCTIONS });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    for (let run = 0; run < 2; run++) {
      const lines: string[] = [];
      const result = await runDemo({ url, write: (l) => lines.push(l) });
      expect(result.mode).toBe('running');
      expectStory(lines.join('\n'));
    }
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await deps.store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
