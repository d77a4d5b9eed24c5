/**
 * The cloud composition root and entry points, in process (the built bundles are exercised end to
 * end in built.test.ts): configuration from the environment, the runtime wiring, identity, the
 * bounded scheduler run and its shard arithmetic, and the subscribe-message data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { checkBundle, runBuild } from '../../scripts/build';
import { StoreClock } from '../../cloudfunctions/src/adapters/clocks';
import type { SdkDb } from '../../cloudfunctions/src/adapters/cloudbase/cloudbaseStore';
import { cloudConfigFromEnv, parseSubscribeTemplates } from '../../cloudfunctions/src/cloud/config';
import { callerOpenid, createCloudRuntime, type CloudApp } from '../../cloudfunctions/src/cloud/deps';
import { cloudMain, withoutPlatformFields } from '../../cloudfunctions/src/cloud/entry';
import { createSubscribeNotifier, templateData } from '../../cloudfunctions/src/cloud/notifier';
import { parseShards, runBounded, shardGroups } from '../../cloudfunctions/src/cloud/scheduler';
import { bill } from '../../cloudfunctions/src/handlers/bill';
import { credit } from '../../cloudfunctions/src/handlers/credit';
import { systemClock } from '../../cloudfunctions/src/ports/clock';
import { parseIso } from '../../cloudfunctions/src/core/time';
import { createHarness, GROCERY, openAccount } from '../support/harness';

function fakeApp(openId = ''): CloudApp & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    database: () => ({}) as SdkDb,
    auth: () => ({ getUserInfo: () => ({ openId }) }),
    callWxOpenApi: async (o) => {
      calls.push(o);
      return { result: { errcode: 0, errmsg: 'ok' } };
    },
    callFunction: async () => ({ result: { ok: true, data: {} } }),
  };
}

function fakeTcb(app: CloudApp) {
  const inits: Record<string, unknown>[] = [];
  return {
    inits,
    tcb: {
      SYMBOL_CURRENT_ENV: Symbol.for('SYMBOL_CURRENT_ENV'),
      init: (config: Record<string, unknown>) => {
        inits.push(config);
        return app;
      },
    },
  };
}

describe('cloud configuration', () => {
  it('defaults: sandbox off, no operators, no templates, bounded scheduler', () => {
    const c = cloudConfigFromEnv({});
    expect(c.app).toEqual({ sandboxEnabled: false, operatorOpenids: [] });
    expect(c.envId).toBeUndefined();
    expect(c.subscribe).toEqual({ templates: {}, state: 'formal' });
    expect(c.scheduler).toEqual({
      maxAccounts: 2000,
      budgetMs: 30_000,
      batch: 100,
      fanout: 0,
      pushLimit: 200,
    });
  });

  it('reads every variable; an empty one is unset', () => {
    const c = cloudConfigFromEnv({
      TCB_ENV: 'fenfu-1a2b',
      SANDBOX_ENABLED: 'true',
      OPERATOR_OPENIDS: ' op_1, op_2 ,',
      SCHEDULER_FANOUT: '100',
      SCHEDULER_MAX_ACCOUNTS: '',
      SUBSCRIBE_STATE: 'trial',
    });
    expect(c.envId).toBe('fenfu-1a2b');
    expect(c.app).toEqual({ sandboxEnabled: true, operatorOpenids: ['op_1', 'op_2'] });
    expect(c.scheduler.fanout).toBe(64);
    expect(c.scheduler.maxAccounts).toBe(2000);
    expect(c.subscribe.state).toBe('trial');
    expect(cloudConfigFromEnv({ SANDBOX_ENABLED: 'yes' }).app.sandboxEnabled).toBe(false);
  });

  it('refuses malformed numbers and template maps, naming the variable', () => {
    expect(() => cloudConfigFromEnv({ SCHEDULER_BUDGET_MS: '30s' })).toThrow(/SCHEDULER_BUDGET_MS/);
    expect(() => cloudConfigFromEnv({ SCHEDULER_BATCH: '0' })).toThrow(/SCHEDULER_BATCH/);
    expect(() => parseSubscribeTemplates('{')).toThrow(/not valid JSON/);
    expect(() => parseSubscribeTemplates('{"nope":"x"}')).toThrow(/unknown message type nope/);
    expect(() => parseSubscribeTemplates('{"due_soon":"bad id!"}')).toThrow(/bad template id/);
    expect(() => parseSubscribeTemplates('{"due_soon":{"id":"T1","fields":{"thing1":"amount"}}}')).toThrow(
      /fields\.thing1/,
    );
  });

  it('templates: an id gets the default keywords; fields can be mapped; a JSON-encoded string is accepted', () => {
    const map = { due_soon: 'T_due', overdue: { id: 'T_over', fields: { thing3: 'title', date1: 'date' } } };
    const parsed = parseSubscribeTemplates(JSON.stringify(map));
    expect(parsed).toEqual({
      due_soon: { id: 'T_due', fields: { thing1: 'title', thing2: 'body', time3: 'time' } },
      overdue: { id: 'T_over', fields: { thing3: 'title', date1: 'date' } },
    });
    expect(parseSubscribeTemplates(JSON.stringify(JSON.stringify(map)))).toEqual(parsed);
  });
});

describe('cloud runtime', () => {
  it('initialises the SDK once with TCB_ENV (or the current environment) and the endpoint override', () => {
    const app = fakeApp();
    const { tcb, inits } = fakeTcb(app);
    const a = createCloudRuntime({ TCB_ENV: 'fenfu-1a2b', TCB_SERVICE_URL: 'http://127.0.0.1:9/admin' }, tcb);
    const b = createCloudRuntime({}, tcb);
    expect(inits).toEqual([
      { env: 'fenfu-1a2b', serviceUrl: 'http://127.0.0.1:9/admin' },
      { env: tcb.SYMBOL_CURRENT_ENV },
    ]);
    expect(a.deps.clock).toBe(systemClock);
    expect(b.deps.notifier.enabled).toBe(false);
  });

  it('the sandbox switch also switches to the movable store clock', () => {
    const { tcb } = fakeTcb(fakeApp());
    expect(createCloudRuntime({ SANDBOX_ENABLED: 'true' }, tcb).deps.clock).toBeInstanceOf(StoreClock);
  });

  it('identity: a well-formed WX_OPENID from the context, nothing else', () => {
    expect(callerOpenid(fakeApp('oAbc_12-3'))).toBe('oAbc_12-3');
    expect(callerOpenid(fakeApp(''))).toBeUndefined();
    expect(callerOpenid(fakeApp('{"$gt":""}'))).toBeUndefined();
  });

  it('drops the userInfo WeChat adds to an event, and nothing else', () => {
    expect(withoutPlatformFields({ action: 'status', userInfo: { openId: 'x' } })).toEqual({
      action: 'status',
    });
    expect(withoutPlatformFields({ action: 'status', openid: 'x' })).toEqual({
      action: 'status',
      openid: 'x',
    });
    expect(withoutPlatformFields([1])).toEqual([1]);
  });

  it('answers INTERNAL, not a crash, when the configuration is broken; refuses oversized events', async () => {
    const { tcb } = fakeTcb(fakeApp('oUser1'));
    const broken = cloudMain('credit', credit, () => createCloudRuntime({ SCHEDULER_BATCH: 'x' }, tcb));
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await broken({ action: 'status' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    spy.mockRestore();
    const ok = cloudMain('credit', credit, () => createCloudRuntime({}, tcb));
    expect(await ok({ action: 'status', pad: 'x'.repeat(70_000) })).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE' },
    });
  });
});

describe('cloud entry: actions as of today', () => {
  it("a cloud function catches its caller's lagging account up before acting, as the gateway does", async () => {
    const h = await createHarness('2026-11-05T10:00:00+08:00');
    try {
      await openAccount(h);
      await h.ok('pay', 'spend', { requestId: 'spend-before-dec', amount: '1000.00', merchant: GROCERY });
      await h.at('2026-12-01T00:05:00+08:00'); // no scheduler run yet
      const main = cloudMain('bill', bill, () => ({
        app: fakeApp('u_alice'),
        deps: h.deps,
        config: cloudConfigFromEnv({}),
      }));
      expect(await main({ action: 'summary' })).toMatchObject({
        ok: true,
        data: { current: { period: '2026-11', balance: '1000.00' } },
      });
    } finally {
      await h.close();
    }
  });
});

describe('subscribe messages', () => {
  const at = parseIso('2026-11-05T09:07:00+08:00')!;

  it('cuts thing to 20 characters and formats time in Shanghai', () => {
    const data = templateData(
      { thing1: 'title', thing2: 'body', time3: 'time', date4: 'date', phrase5: 'title' },
      {
        title: '账单已逾期',
        body: '你 2026-10 账单未按时还足最低还款额，已逾期，请尽快还款。',
        createdAt: at,
      },
    );
    expect(data).toEqual({
      thing1: { value: '账单已逾期' },
      thing2: { value: '你 2026-10 账单未按时还足最低…' },
      time3: { value: '2026-11-05 09:07' },
      date4: { value: '2026-11-05' },
      phrase5: { value: '账单已逾期' },
    });
    expect([...data.thing2!.value]).toHaveLength(20);
  });

  it('sends through callWxOpenApi and fails on a WeChat error code', async () => {
    const app = fakeApp();
    const notifier = createSubscribeNotifier(
      app,
      parseSubscribeTemplates('{"due_soon":"T_due"}'),
      'developer',
    );
    expect(notifier.enabled).toBe(true);
    expect(notifier.templateOf('due_soon')).toBeDefined();
    expect(notifier.templateOf('overdue')).toBeUndefined();
    await notifier.send({ openid: 'oU', type: 'due_soon', title: '还款日提醒', body: 'b', createdAt: at });
    expect(app.calls).toEqual([
      {
        apiName: '/cgi-bin/message/subscribe/send',
        requestData: expect.objectContaining({
          touser: 'oU',
          template_id: 'T_due',
          page: 'pages/bills/index',
          miniprogram_state: 'developer',
        }),
      },
    ]);
    app.callWxOpenApi = async () => ({ result: { errcode: 43101, errmsg: 'user refuse to accept the msg' } });
    await expect(
      notifier.send({ openid: 'oU', type: 'due_soon', title: 't', body: 'b', createdAt: at }),
    ).rejects.toThrow(/43101/);
  });
});

describe('scheduler fan-out and bounded runs', () => {
  it('splits the 64 shards into contiguous groups covering each shard once', () => {
    for (const n of [1, 2, 3, 7, 8, 64, 100]) {
      const groups = shardGroups(n);
      expect(groups).toHaveLength(Math.min(n, 64));
      expect(groups.flat()).toEqual(Array.from({ length: 64 }, (_, i) => i));
      const sizes = groups.map((g) => g.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('parses the shards of an event', () => {
    expect(parseShards({ Type: 'Timer' })).toBeUndefined();
    expect(parseShards({ shards: [9, 2] })).toEqual([2, 9]);
    for (const bad of [[], [64], [-1], [1.5], [3, 3], '1', [null]]) {
      expect(parseShards({ shards: bad })).toHaveProperty('error');
    }
  });

  it('stops at the account cap and resumes where it stopped; the time budget sizes the batches', async () => {
    const h = await createHarness('2026-11-05T10:00:00+08:00');
    try {
      for (let i = 0; i < 7; i++) await openAccount(h, `u_${i}`);
      await h.at('2026-11-08T10:00:00+08:00');
      const first = await runBounded(h.deps, { maxAccounts: 3, batch: 2, budgetMs: 60_000 });
      expect(first).toMatchObject({ done: false, accounts: 3, shards: 'all' });
      const second = await runBounded(h.deps, { maxAccounts: 100, batch: 2, budgetMs: 60_000 });
      expect(second).toMatchObject({ done: true, accounts: 4 });
      expect((await runBounded(h.deps, { maxAccounts: 100, batch: 2, budgetMs: 60_000 })).accounts).toBe(0);

      // A clock that jumps 10 s per read: after the first batch the budget is spent.
      await h.at('2026-11-09T10:00:00+08:00');
      let t = 0;
      const slow = await runBounded(h.deps, {
        maxAccounts: 100,
        batch: 2,
        budgetMs: 5_000,
        now: () => (t += 10_000),
      });
      expect(slow).toMatchObject({ done: false, accounts: 2, batches: 1 });
    } finally {
      await h.close();
    }
  });
});

describe('build guards', () => {
  const metafile = (inputs: string[], imports: { path: string; external: boolean }[] = []) =>
    ({
      inputs: Object.fromEntries(inputs.map((i) => [i, { bytes: 1, imports: [] }])),
      outputs: { 'cloudfunctions/x/index.js': { bytes: 1, inputs: {}, imports, exports: [] } },
    }) as unknown as Metafile;

  it('refuses local-only code and run-time requires other than the SDK and Node built-ins', () => {
    expect(() => checkBundle('x', metafile(['node_modules/better-sqlite3/lib/index.js']), '')).toThrow(
      /better-sqlite3/,
    );
    expect(() => checkBundle('x', metafile(['cloudfunctions/src/gateway/server.ts']), '')).toThrow(/gateway/);
    expect(() => checkBundle('x', metafile(['cloudfunctions/src/app/local.ts']), '')).toThrow(
      /composition root/,
    );
    expect(() => checkBundle('x', metafile([]), 'require("better-sqlite3")')).toThrow(/better-sqlite3/);
    expect(() => checkBundle('x', metafile([], [{ path: 'zod', external: true }]), '')).toThrow(
      /requires zod/,
    );
    expect(() =>
      checkBundle(
        'x',
        metafile(
          ['cloudfunctions/src/cloud/entry.ts'],
          [
            { path: '@cloudbase/node-sdk', external: true },
            { path: 'node:crypto', external: true },
            { path: 'fs', external: true },
          ],
        ),
        '',
      ),
    ).not.toThrow();
  });

  it('refuses a function folder holding index.ts', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fenfu-build-'));
    try {
      fs.mkdirSync(path.join(root, 'cloudfunctions/credit'), { recursive: true });
      fs.writeFileSync(path.join(root, 'cloudfunctions/credit/index.ts'), 'export {};');
      await expect(runBuild({ root, log: () => undefined })).rejects.toThrow(/credit\/index\.ts/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
