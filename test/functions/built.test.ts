/**
 * The deployable functions, proven without a cloud account.
 *
 * `npm run build` runs once; then every call below loads a built cloudfunctions/<fn>/index.js in a
 * FRESH Node process, the way CloudBase does: `require('./index.js').main(event, context)`, with the
 * real @cloudbase/node-sdk (the only thing not bundled) pointed through its `serviceUrl` option
 * (TCB_SERVICE_URL) at the local fake CloudBase of test/support/fakeTcb.ts, fake API keys, and
 * the caller's identity supplied the way CloudBase supplies it: WX_CONTEXT_KEYS=WX_OPENID plus
 * WX_OPENID in the environment, read by `app.auth().getUserInfo()`. TENCENTCLOUD=true spares the
 * SDK its metadata probe (see cloudbase.wire.test.ts).
 *
 * Each call's requests are checked: the database actions expected, a transaction id on every
 * write (the fake refuses writes without one), one transaction per use case, and the SPEC envelope
 * returned. With TCB_LIVE=1, TCB_ENV and credentials, the same bundles run against a real
 * environment (skipped otherwise).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COLLECTIONS } from '../../cloudfunctions/src/ports/collections';
import { FUNCTION_NAMES } from '../../cloudfunctions/src/cloud/manifest';
import { DEMO_PERSONAS, profileDoc } from '../../cloudfunctions/src/usecases/profiles';
import { createCloudbaseStore } from '../../cloudfunctions/src/adapters/cloudbase/cloudbaseStore';
import { toIso, DAY_MS } from '../../cloudfunctions/src/core/time';
import { FakeCloudbase, FakeServer, Json, Recorded, startFake, WRITES } from '../support/fakeTcb';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const ENV = 'fenfu-built-0a1b2c';
const STRONG = DEMO_PERSONAS.demo_strong!.profile;
const GROCERY = { id: 'm_grocery', name: '华润万家', category: 'grocery', scene: 'offline' };
const APPLY = { action: 'apply', channel: 'wallet', occupation: '软件工程师', annualIncome: '240000.00' };

type Envelope =
  { ok: true; data: Json } | { ok: false; error: { code: string; message: string; details?: Json } };

interface Run {
  result: Envelope;
  /** Modules the bundle itself required (anything else is inside the bundle). */
  requires: string[];
  stderr: string;
}

/** Loads the bundle like the CloudBase Node runtime and calls main once. */
const RUNNER = `
const Module = require('module');
const file = process.argv[1];
const requires = new Set();
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (parent && parent.filename === file) requires.add(request);
  return load.apply(this, arguments);
};
const fn = require(file);
if (typeof fn.main !== 'function') { console.error('no main export'); process.exit(2); }
fn.main(JSON.parse(process.argv[2]), { request_id: 'req-built-test', function_name: process.argv[3] }).then(
  (result) => process.stdout.write(JSON.stringify({ result, requires: [...requires] }), () => process.exit(0)),
  (err) => { console.error(err); process.exit(1); },
);
`;

function exec(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeout = 60_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, env, timeout, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

interface CallOptions {
  openid?: string;
  env?: Record<string, string>;
}

function baseEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME ?? os.tmpdir(), TZ: process.env.TZ };
}

/** Call a built function in a fresh process against `server` (or the live environment when null). */
async function callBuilt(
  server: FakeServer | null,
  fn: string,
  event: unknown,
  options: CallOptions = {},
): Promise<Run> {
  const env: NodeJS.ProcessEnv = server
    ? {
        ...baseEnv(),
        TCB_ENV: ENV,
        TCB_SERVICE_URL: server.url,
        TENCENTCLOUD_SECRETID: 'AKIDfakeSecretId',
        TENCENTCLOUD_SECRETKEY: 'fakeSecretKey',
        TENCENTCLOUD: 'true',
      }
    : { ...process.env, TCB_SERVICE_URL: '' };
  if (options.openid) {
    env.WX_CONTEXT_KEYS = 'WX_OPENID,WX_APPID';
    env.WX_OPENID = options.openid;
    env.WX_APPID = 'wx0000000000000000';
  }
  Object.assign(env, options.env);
  const bundle = path.join(ROOT, 'cloudfunctions', fn, 'index.js');
  const r = await exec(process.execPath, ['-e', RUNNER, bundle, JSON.stringify(event), fn], env);
  if (r.code !== 0) throw new Error(`${fn} exited ${r.code}: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as Omit<Run, 'stderr'>;
  return { ...out, stderr: r.stderr };
}

/** The requests one call made: run it and slice the recorded requests. */
async function traced(
  server: FakeServer,
  fn: string,
  event: unknown,
  options: CallOptions = {},
): Promise<Run & { requests: Recorded[] }> {
  const from = server.fake.requests.length;
  const run = await callBuilt(server, fn, event, options);
  return { ...run, requests: server.fake.requests.slice(from) };
}

const dbActions = (requests: Recorded[]): string[] =>
  requests.filter((r) => r.action.startsWith('database.')).map((r) => r.action);

/**
 * Every write carries the id of a transaction this call started and committed; no write is
 * set-wide. Returns the committed transactions' writes, per transaction id.
 */
function transactionalWrites(requests: Recorded[]): Map<string, Recorded[]> {
  const started = new Set(
    requests
      .filter((r) => r.action === 'database.startTransaction')
      .map((r) => String(r.response.transactionId)),
  );
  const committed = new Set(
    requests
      .filter((r) => r.action === 'database.commitTransaction' && !r.response.code)
      .map((r) => String(r.transactionId)),
  );
  const writes = new Map<string, Recorded[]>();
  for (const r of requests.filter((q) => WRITES.has(q.action))) {
    expect(r.transactionId).toEqual(expect.any(String));
    expect(started.has(r.transactionId!)).toBe(true);
    if (r.action !== 'database.insertDocument') expect([r.queryType, r.multi]).toEqual(['DOC', false]);
    if (!committed.has(r.transactionId!)) continue;
    writes.set(r.transactionId!, [...(writes.get(r.transactionId!) ?? []), r]);
  }
  return writes;
}

/** "collection:action" of each write, e.g. "accounts:insertDocument". */
const writeKeys = (writes: Recorded[]): string[] =>
  writes.map((w) => `${w.collectionName}:${w.action.replace('database.', '')}`);

beforeAll(async () => {
  for (const fn of FUNCTION_NAMES)
    fs.rmSync(path.join(ROOT, 'cloudfunctions', fn, 'index.js'), { force: true });
  const r = await exec(process.execPath, [TSX, 'scripts/build.ts'], { ...process.env }, 180_000);
  if (r.code !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
}, 200_000);

describe('npm run build', () => {
  const sdkVersion = (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@cloudbase/node-sdk/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

  it.each([...FUNCTION_NAMES])(
    'cloudfunctions/%s holds index.js, package.json and config.json only',
    (fn) => {
      const dir = path.join(ROOT, 'cloudfunctions', fn);
      expect(fs.existsSync(path.join(dir, 'index.js'))).toBe(true);
      expect(fs.existsSync(path.join(dir, 'index.ts'))).toBe(false);
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Json;
      expect(pkg).toMatchObject({ main: 'index.js', dependencies: { '@cloudbase/node-sdk': sdkVersion } });
      expect(Object.keys(pkg.dependencies as Json)).toEqual(['@cloudbase/node-sdk']);
      expect(pkg.devDependencies).toBeUndefined();
      const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Json;
      expect(config).toMatchObject({
        permissions: { openapi: ['subscribeMessage.send'] },
        timeout: expect.any(Number),
        memorySize: expect.any(Number),
        envVariables: expect.objectContaining({ SANDBOX_ENABLED: 'false' }),
      });
      expect(config.triggers).toEqual(
        fn === 'scheduler' ? [{ name: 'daily', type: 'timer', config: '0 5 0 * * * *' }] : [],
      );
    },
  );

  it('bundles no local-only code; prints the sizes', () => {
    const sizes = FUNCTION_NAMES.map((fn) => {
      const code = fs.readFileSync(path.join(ROOT, 'cloudfunctions', fn, 'index.js'), 'utf8');
      expect(code).not.toContain('better-sqlite3');
      expect(code).not.toContain('createGateway');
      expect(code).not.toMatch(/SqliteStore/);
      return { fn, bytes: Buffer.byteLength(code) };
    });
    const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    console.log(
      `bundle sizes: ${sizes.map((s) => `${s.fn} ${(s.bytes / 1024).toFixed(1)} KiB`).join(', ')}; ` +
        `largest: ${largest.fn} ${(largest.bytes / 1024).toFixed(1)} KiB`,
    );
    expect(largest.bytes).toBeLessThan(1024 * 1024);
  });

  it('cloudbaserc.json lists the eight functions and a CUSTOM rule for every collection', () => {
    const rc = JSON.parse(fs.readFileSync(path.join(ROOT, 'cloudbaserc.json'), 'utf8')) as {
      functionRoot: string;
      functions: { name: string; handler: string; triggers: unknown[] }[];
      framework: {
        plugins: {
          database: {
            inputs: { collections: { collectionName: string; aclTag: string; aclRule: string }[] };
          };
        };
      };
    };
    expect(rc.functionRoot).toBe('./cloudfunctions');
    expect(rc.functions.map((f) => f.name)).toEqual([...FUNCTION_NAMES]);
    expect(rc.functions.map((f) => f.name)).not.toContain('src');
    for (const f of rc.functions) expect(f.handler).toBe('index.main');
    const collections = rc.framework.plugins.database.inputs.collections;
    expect(collections.map((c) => c.collectionName).sort()).toEqual(Object.keys(COLLECTIONS).sort());
    for (const c of collections) {
      expect(c.aclTag).toBe('CUSTOM');
      expect(JSON.parse(c.aclRule)).toMatchObject({ write: false });
    }
  });

  it('each bundle loads in a fresh Node process and requires nothing but the SDK and Node built-ins', async () => {
    const server = await startFake();
    try {
      for (const fn of FUNCTION_NAMES) {
        // No identity: every function answers (UNAUTHENTICATED, or the scheduler's run) without crashing.
        const run = await callBuilt(server, fn, { action: 'status' });
        expect(run.result).toHaveProperty('ok');
        for (const m of run.requires)
          expect(m === '@cloudbase/node-sdk' || /^(node:)?[a-z_]+$/.test(m)).toBe(true);
        expect(run.requires).toContain('@cloudbase/node-sdk');
      }
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('built functions against the fake CloudBase (fresh process per call)', () => {
  let server: FakeServer;
  let fake: FakeCloudbase;
  const user = 'oUser_built_0001';

  beforeAll(async () => {
    server = await startFake();
    fake = server.fake;
  });
  afterAll(() => server.close());

  it('credit.status reads the caller’s documents by id, outside any transaction, and writes nothing', async () => {
    const { result, requests } = await traced(server, 'credit', { action: 'status' }, { openid: user });
    expect(result).toEqual({ ok: true, data: { account: null, canApply: true, invited: false } });
    expect(dbActions(requests)).toEqual([
      'database.getDocument',
      'database.getDocument',
      'database.getDocument',
    ]);
    expect(requests.map((r) => [r.collectionName, r.query, r.transactionId]).sort()).toEqual([
      ['accounts', { _id: user }, undefined],
      ['applications', { _id: user }, undefined],
      ['invitations', { _id: user }, undefined],
    ]);
    expect(requests.every((r) => r.envName === ENV)).toBe(true);
  }, 60_000);

  it('credit.apply opens the account in one transaction', async () => {
    fake.seed('profiles', profileDoc(user, STRONG));
    const { result, requests } = await traced(server, 'credit', APPLY, { openid: user });
    expect(result).toMatchObject({ ok: true, data: { decision: 'approved', quota: expect.any(String) } });
    const writes = transactionalWrites(requests);
    expect(writes.size).toBe(1);
    const [tx] = [...writes.values()];
    expect(writeKeys(tx!)).toEqual(
      expect.arrayContaining([
        'applications:modifyDocument',
        'accounts:insertDocument',
        'messages:insertDocument',
      ]),
    );
    expect(dbActions(requests)[0]).toBe('database.startTransaction');
    expect(dbActions(requests).at(-1)).toBe('database.commitTransaction');
    expect(fake.committed('accounts', user)).toMatchObject({
      _id: user,
      openid: user,
      quotaFen: expect.any(Number),
    });
  }, 60_000);

  it('pay.spend writes the purchase, the balances and the idempotency record in one transaction; a retry replays', async () => {
    const event = { action: 'spend', requestId: 'built_spend_0001', amount: '100.00', merchant: GROCERY };
    const first = await traced(server, 'pay', event, { openid: user });
    expect(first.result).toMatchObject({
      ok: true,
      data: { txnId: expect.any(String), amount: '100.00', available: expect.any(String), warnings: [] },
    });
    const writes = transactionalWrites(first.requests);
    expect(writes.size).toBe(1);
    expect(writeKeys([...writes.values()][0]!)).toEqual(
      expect.arrayContaining([
        'txns:insertDocument',
        'accounts:modifyDocument',
        'idempotency:insertDocument',
      ]),
    );
    const data = (first.result as unknown as { data: { txnId: string } }).data;
    expect(fake.committed('txns', data.txnId)).toMatchObject({ openid: user, amountFen: 10_000 });

    const again = await traced(server, 'pay', event, { openid: user });
    expect(again.result).toEqual(first.result);
    expect(again.requests.filter((r) => WRITES.has(r.action))).toEqual([]);
  }, 60_000);

  it('identity comes from WX_OPENID only: an openid in the event is dropped or refused, never used', async () => {
    const victim = 'oVictim_built_0001';
    fake.seed('accounts', { _id: victim, openid: victim, planted: true });
    // WeChat adds userInfo to a mini program call's event: dropped unread.
    const spoof = await traced(
      server,
      'credit',
      { action: 'status', userInfo: { openId: victim, appId: 'wx0' } },
      { openid: user },
    );
    expect(spoof.result).toMatchObject({ ok: true, data: { account: { status: 'active' } } });
    // A payload openid is an unknown field: refused, naming it.
    const payload = await traced(server, 'credit', { action: 'status', openid: victim }, { openid: user });
    expect(payload.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(JSON.stringify(payload.result)).toContain('openid');
    // No context identity: refused, even with an openid in the event.
    const anonymous = await traced(server, 'credit', { action: 'status', userInfo: { openId: victim } });
    expect(anonymous.result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    for (const r of [...spoof.requests, ...payload.requests, ...anonymous.requests]) {
      expect(JSON.stringify(r.query ?? null)).not.toContain(victim);
    }
  }, 60_000);

  it('the sandbox is off unless SANDBOX_ENABLED=true', async () => {
    const { result, requests } = await traced(
      server,
      'sandbox',
      { action: 'clock', advanceDays: 1 },
      { openid: user },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(requests.filter((r) => WRITES.has(r.action))).toEqual([]);
  }, 60_000);

  it('the scheduler refuses users, checks shards, and runs only the shards it is given', async () => {
    const asUser = await traced(server, 'scheduler', {}, { openid: user });
    expect(asUser.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(asUser.requests).toEqual([]);
    const bad = await traced(server, 'scheduler', { shards: [64] });
    expect(bad.result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { field: 'shards' } },
    });

    const some = await traced(server, 'scheduler', { shards: [5, 3] });
    expect(some.result).toMatchObject({ ok: true, data: { done: true, shards: [3, 5] } });
    const scanned = some.requests.filter((r) => r.collectionName === 'accounts' && r.queryType === 'WHERE');
    // Only the accounts still behind, by an indexed range on their cursor.
    const today = (some.result as unknown as { data: { to: string } }).data.to;
    expect(scanned.map((r) => r.query)).toEqual([
      { shard: 3, lastDay: { $lt: today } },
      { shard: 5, lastDay: { $lt: today } },
    ]);

    const tick = await traced(server, 'scheduler', {
      Type: 'Timer',
      TriggerName: 'daily',
      Time: new Date().toISOString(),
    });
    expect(tick.result).toMatchObject({ ok: true, data: { done: true, shards: 'all' } });
    expect(
      tick.requests.filter((r) => r.collectionName === 'accounts' && r.queryType === 'WHERE'),
    ).toHaveLength(64);
    transactionalWrites(tick.requests);
  }, 60_000);

  it('with SCHEDULER_FANOUT the timer invocation invokes itself once per shard group', async () => {
    const seen: number[][] = [];
    fake.invoke = (_name, data) => {
      const shards = (data as { shards: number[] }).shards;
      seen.push(shards);
      return { ok: true, data: { done: true, accounts: shards.length, shards } };
    };
    const tick = await traced(
      server,
      'scheduler',
      { Type: 'Timer', TriggerName: 'daily' },
      { env: { SCHEDULER_FANOUT: '4' } },
    );
    expect(tick.result).toMatchObject({ ok: true, data: { fanout: 4, done: true, accounts: 64 } });
    const invokes = tick.requests.filter((r) => r.action === 'functions.invokeFunction');
    expect(invokes.map((r) => r.body.function_name)).toEqual([
      'scheduler',
      'scheduler',
      'scheduler',
      'scheduler',
    ]);
    expect(seen.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, i) => i));
    expect(seen.map((g) => g.length)).toEqual([16, 16, 16, 16]);
    // The parent itself scans no shard.
    expect(tick.requests.filter((r) => r.collectionName === 'accounts')).toEqual([]);
  }, 60_000);

  it('after a successful call, queued subscribe messages are sent through wx.api with the configured template', async () => {
    const subscriber = 'oUser_built_push';
    fake.seed('profiles', profileDoc(subscriber, STRONG));
    fake.seed('subscriptions', { _id: subscriber, openid: subscriber, remaining: { quota_changed: 1 } });
    const sent: Json[] = [];
    fake.wxApi = (apiName, requestData) => {
      sent.push({ apiName, ...(requestData as Json) });
      return { errcode: 0, errmsg: 'ok' };
    };
    const { result, requests } = await traced(server, 'credit', APPLY, {
      openid: subscriber,
      env: { SUBSCRIBE_TEMPLATES: JSON.stringify({ quota_changed: 'TPL_quota_0001' }) },
    });
    expect(result).toMatchObject({ ok: true, data: { decision: 'approved' } });
    expect(requests.filter((r) => r.action === 'wx.api')).toHaveLength(1);
    expect(sent).toEqual([
      {
        apiName: '/cgi-bin/message/subscribe/send',
        touser: subscriber,
        template_id: 'TPL_quota_0001',
        page: 'pages/quota/index',
        data: {
          thing1: { value: '分付开通成功' },
          thing2: { value: expect.stringMatching(/^恭喜，你的分付已开通.{0,10}…$/) },
          time3: { value: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/) },
        },
        miniprogram_state: 'formal',
        lang: 'zh_CN',
      },
    ]);
    expect([...(sent[0]!.data as Record<string, { value: string }>).thing2!.value]).toHaveLength(20);
    const message = fake.all('messages').find((m) => m.openid === subscriber);
    expect(message).toMatchObject({ type: 'quota_changed', push: 'sent' });
    transactionalWrites(requests);
  }, 60_000);
});

describe('a statement repaid through the built functions (sandbox clock, SANDBOX_ENABLED=true)', () => {
  let server: FakeServer;
  const user = 'oUser_built_repay';
  const sandbox = { env: { SANDBOX_ENABLED: 'true' }, openid: user };

  beforeAll(async () => {
    server = await startFake();
  });
  afterAll(() => server.close());

  it('apply → spend → clock to the 3rd of next month → runScheduler → bill.repay full', async () => {
    server.fake.seed('profiles', profileDoc(user, STRONG));
    expect((await callBuilt(server, 'credit', APPLY, sandbox)).result).toMatchObject({
      ok: true,
      data: { decision: 'approved' },
    });
    const spent = await callBuilt(
      server,
      'pay',
      { action: 'spend', requestId: 'built_repay_spend1', amount: '200.00', merchant: GROCERY },
      sandbox,
    );
    expect(spent.result).toMatchObject({ ok: true });

    // Noon on the 3rd of next month (Shanghai): statement issued on the 1st, due on the 10th.
    const now = toIso(Date.now());
    const [y, m] = [Number(now.slice(0, 4)), Number(now.slice(5, 7))];
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    const target = `${next}-03T12:00:00+08:00`;
    expect(Date.parse(target) - Date.now()).toBeGreaterThan(DAY_MS);
    const clock = await callBuilt(server, 'sandbox', { action: 'clock', set: target }, sandbox);
    expect(clock.result).toEqual({ ok: true, data: { now: target } });
    const run = await traced(server, 'sandbox', { action: 'runScheduler' }, sandbox);
    expect(run.result).toMatchObject({ ok: true, data: { statementsIssued: 1 } });
    transactionalWrites(run.requests);

    const summary = await callBuilt(server, 'bill', { action: 'summary' }, sandbox);
    expect(summary.result).toMatchObject({
      ok: true,
      data: {
        current: { period: expect.any(String), balance: '200.00', remaining: '200.00', status: 'open' },
      },
    });

    const repay = await traced(
      server,
      'bill',
      { action: 'repay', requestId: 'built_repay_full01', mode: 'full', channel: 'balance' },
      sandbox,
    );
    expect(repay.result).toEqual({
      ok: true,
      data: {
        repaymentId: expect.any(String),
        amount: '200.00',
        fee: '0.00',
        total: '200.00',
        owedAfter: '0.00',
      },
    });
    const writes = transactionalWrites(repay.requests);
    expect(writes.size).toBe(1);
    expect(writeKeys([...writes.values()][0]!)).toEqual(
      expect.arrayContaining([
        'repayments:insertDocument',
        'statements:modifyDocument',
        'accounts:modifyDocument',
        'idempotency:insertDocument',
      ]),
    );
    const after = await callBuilt(server, 'bill', { action: 'summary' }, sandbox);
    expect(after.result).toMatchObject({ ok: true, data: { totalOwed: '0.00' } });
  }, 120_000);
});

describe('npm run deploy preflight', () => {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fenfu-tcb-'));
  const log = path.join(bin, 'calls.log');
  const deploy = (env: NodeJS.ProcessEnv, args: string[] = []) =>
    exec(
      process.execPath,
      [TSX, 'scripts/deploy.ts', ...args],
      { ...baseEnv(), PATH: `${bin}:${path.dirname(process.execPath)}`, ...env },
      120_000,
    );
  const fakeTcb = (loggedIn: boolean) => {
    fs.writeFileSync(
      path.join(bin, 'tcb'),
      `#!/bin/sh\necho "$@" >> ${log}\n` +
        'if [ "$1" = "--version" ]; then echo 2.12.10; exit 0; fi\n' +
        (loggedIn
          ? 'if [ "$1 $2" = "env list" ]; then echo "| fenfu | fenfu-live-1a2b | 正常 |"; exit 0; fi\nexit 0\n'
          : 'echo "无有效身份信息，请使用 cloudbase login 登录" >&2; exit 1\n'),
      { mode: 0o755 },
    );
  };
  afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

  it('names the fix: TCB_ENV, the CLI, the login', async () => {
    const noEnv = await deploy({});
    expect(noEnv.code).not.toBe(0);
    expect(noEnv.stderr).toMatch(/TCB_ENV is not set/);

    const noCli = await deploy({ TCB_ENV: 'fenfu-live-1a2b' });
    expect(noCli.code).not.toBe(0);
    expect(noCli.stderr).toMatch(/npm i -g @cloudbase\/cli/);

    fakeTcb(false);
    const loggedOut = await deploy({ TCB_ENV: 'fenfu-live-1a2b' });
    expect(loggedOut.code).not.toBe(0);
    expect(loggedOut.stderr).toMatch(/tcb login/);
  }, 120_000);

  it('logged in: builds, renders the environment into the CLI config, deploys database then functions', async () => {
    fakeTcb(true);
    fs.rmSync(log, { force: true });
    const ok = await deploy({
      TCB_ENV: 'fenfu-live-1a2b',
      OPERATOR_OPENIDS: 'oOperator1,oOperator2',
      SUBSCRIBE_TEMPLATES: '{"due_soon":"TPL_due"}',
    });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(calls).toEqual([
      '--version',
      'env list',
      '--config-file .tmp/cloudbaserc.deploy.json framework deploy database -e fenfu-live-1a2b',
      '--config-file .tmp/cloudbaserc.deploy.json fn deploy --all --force --yes -e fenfu-live-1a2b',
    ]);
    const rendered = JSON.parse(fs.readFileSync(path.join(ROOT, '.tmp/cloudbaserc.deploy.json'), 'utf8')) as {
      envId: string;
      functions: { name: string; envVariables: Record<string, string> }[];
    };
    expect(rendered.envId).toBe('fenfu-live-1a2b');
    const admin = rendered.functions.find((f) => f.name === 'admin')!;
    expect(admin.envVariables).toMatchObject({
      OPERATOR_OPENIDS: 'oOperator1,oOperator2',
      SANDBOX_ENABLED: 'false',
    });
    // Double-encoded so the CLI keeps it a string; the functions decode both forms.
    expect(JSON.parse(JSON.parse(admin.envVariables.SUBSCRIBE_TEMPLATES!) as string)).toEqual({
      due_soon: 'TPL_due',
    });
  }, 120_000);
});

const live =
  process.env.TCB_LIVE === '1' &&
  Boolean(process.env.TCB_ENV) &&
  Boolean(
    (process.env.TENCENTCLOUD_SECRETID && process.env.TENCENTCLOUD_SECRETKEY) || process.env.CLOUDBASE_APIKEY,
  );

(live ? describe : describe.skip)(
  live
    ? `built functions against the live environment ${process.env.TCB_ENV}`
    : 'built functions against a live environment — skipped: set TCB_LIVE=1, TCB_ENV and TENCENTCLOUD_SECRETID/TENCENTCLOUD_SECRETKEY to run',
  () => {
    const user = `oLive_${Date.now().toString(36)}`;

    it('credit.status, credit.apply, pay.spend and bill.repay (payoff) answer the SPEC envelope', async () => {
      const store = createCloudbaseStore({ env: process.env.TCB_ENV });
      for (const name of Object.keys(COLLECTIONS)) await store.ensureCollection(name);
      await store.transaction((tx) => tx.put('profiles', profileDoc(user, STRONG)));
      await store.close();

      expect((await callBuilt(null, 'credit', { action: 'status' }, { openid: user })).result).toMatchObject({
        ok: true,
        data: { account: null, canApply: true },
      });
      expect((await callBuilt(null, 'credit', APPLY, { openid: user })).result).toMatchObject({
        ok: true,
        data: { decision: 'approved' },
      });
      expect(
        (
          await callBuilt(
            null,
            'pay',
            { action: 'spend', requestId: `${user}_s1`.slice(0, 64), amount: '12.34', merchant: GROCERY },
            { openid: user },
          )
        ).result,
      ).toMatchObject({ ok: true, data: { amount: '12.34' } });
      expect(
        (
          await callBuilt(
            null,
            'bill',
            { action: 'repay', requestId: `${user}_r1`.slice(0, 64), mode: 'payoff', channel: 'balance' },
            { openid: user },
          )
        ).result,
      ).toMatchObject({ ok: true, data: { amount: '12.34', owedAfter: '0.00' } });
    }, 180_000);
  },
);
