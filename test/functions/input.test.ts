/**
 * Bad input changes nothing (SPEC §9): for every action of credit, pay, sandbox and admin,
 * malformed parameters are refused with 400 INVALID_INPUT naming the field, and neither the
 * database nor the clock moves. Plus the protocol refusals: no identity 401 (before anything
 * else), unknown action 404, sandbox off 403, admin by a non-operator 403, and an openid in the
 * payload is never trusted.
 */
import type { Envelope } from '../../typings/api';
import { handle } from '../../cloudfunctions/src/app/dispatch';
import { FUNCTIONS } from '../../cloudfunctions/src/handlers';
import { createHarness, GROCERY, Harness, openAccount, rid } from '../support/harness';
import { snapshotOf, Snapshot } from '../support/snapshot';

const MISSING = Symbol('missing');
type Params = Record<string, unknown>;

/** `params` with the value at a dotted path replaced (or removed with MISSING). */
function withValue(params: Params, path: string, value: unknown): Params {
  const copy = structuredClone(params);
  const keys = path.split('.');
  let target: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === MISSING) delete target[last];
  else target[last] = value;
  return copy;
}

const OPERATOR = { $gt: '' };

/** Amount strings (and non-strings) the SPEC's money grammar refuses. */
const BAD_MONEY_COMMON: unknown[] = [
  '1e3',
  '-1',
  '1.001',
  ' 1',
  '1 ',
  '10000000.01',
  '99999999.99',
  '+1',
  '1.',
  '.5',
  '01.00',
  '1,000.00',
  '０.５０',
  '0x10',
  'NaN',
  'Infinity',
  '',
  10000000.01,
  100,
  1.5,
  null,
  true,
  [],
  {},
];
/** Where zero is not an amount (spending, declared income at opening). */
const BAD_AMOUNT = [...BAD_MONEY_COMMON, '0', '0.00', '0.0'];

const BAD_REQUEST_ID: unknown[] = [
  'short',
  'a'.repeat(65),
  'has space 1234',
  '../../etc/passwd',
  'req.with.dots',
  '请求编号一二三四五',
  12345678,
  null,
];

interface ActionSpec {
  fn: string;
  action: string;
  openid: string;
  /** Parameters that pass validation (checked in a control test). */
  valid: () => Params;
  /** [path, bad value, expected details.field (defaults to path)]. */
  bad: [string, unknown, string?][];
  /** Required parameters: removing one names it. */
  required?: string[];
}

const money = (path: string, values: unknown[]): [string, unknown][] => values.map((v) => [path, v]);

const SPECS: ActionSpec[] = [
  { fn: 'credit', action: 'status', openid: 'u_alice', valid: () => ({}), bad: [] },
  {
    fn: 'credit',
    action: 'apply',
    openid: 'u_new',
    valid: () => ({ channel: 'wallet', occupation: '工程师', annualIncome: '240000.00' }),
    required: ['channel'],
    bad: [
      ['channel', 'bank'],
      ['channel', 'WALLET'],
      ['channel', 1],
      ['channel', null],
      ['channel', OPERATOR, 'channel.$gt'],
      ['channel', ['wallet']],
      ...money('annualIncome', BAD_AMOUNT),
      ['annualIncome', OPERATOR, 'annualIncome.$gt'],
      ['annualIncome', '_.gt(0)'],
      ['occupation', 123],
      ['occupation', ''],
      ['occupation', '   '],
      ['occupation', 'x'.repeat(41)],
      ['occupation', '工程师\u0000'],
      ['occupation', '_.remove()'],
      ['occupation', { $regex: '.*' }, 'occupation.$regex'],
    ],
  },
  { fn: 'credit', action: 'quota', openid: 'u_alice', valid: () => ({}), bad: [] },
  { fn: 'credit', action: 'reevaluate', openid: 'u_alice', valid: () => ({}), bad: [] },
  {
    fn: 'pay',
    action: 'spend',
    openid: 'u_alice',
    valid: () => ({ requestId: rid(), amount: '10.00', merchant: { ...GROCERY }, city: '深圳' }),
    required: [
      'requestId',
      'amount',
      'merchant',
      'merchant.id',
      'merchant.name',
      'merchant.category',
      'merchant.scene',
    ],
    bad: [
      ...BAD_REQUEST_ID.map((v): [string, unknown] => ['requestId', v]),
      ['requestId', OPERATOR, 'requestId.$gt'],
      ...money('amount', BAD_AMOUNT),
      ['amount', OPERATOR, 'amount.$gt'],
      ['amount', '_.inc(1)'],
      ['merchant', 'm_grocery'],
      ['merchant', null],
      ['merchant', []],
      ['merchant.extra', 1],
      ['merchant.openid', 'u_bob'],
      ['merchant.id', ''],
      ['merchant.id', 'id with space'],
      ['merchant.id', 7],
      ['merchant.id', OPERATOR, 'merchant.id.$gt'],
      ['merchant.name', ''],
      ['merchant.name', 'x'.repeat(61)],
      ['merchant.name', '_.set({})'],
      ['merchant.name', '  _.remove()'], // trimmed only after the check would have seen it
      ['merchant.name', '\n'],
      ['merchant.category', 'Grocery'],
      ['merchant.category', 'a-b'],
      ['merchant.category', 5],
      ['merchant.scene', 'teleport'],
      ['merchant.scene', 'ONLINE'],
      ['merchant.scene', { $in: ['online'] }, 'merchant.scene.$in'],
      ['merchant.$where', '1', 'merchant.$where'],
      ['city', 5],
      ['city', ''],
      ['city', 'x'.repeat(31)],
      ['city', '_.exists(true)'],
      ['city', '_.gt'],
      ['city', '深\u0007圳'],
    ],
  },
  {
    fn: 'sandbox',
    action: 'setProfile',
    openid: 'u_alice',
    valid: () => ({ payScore: 650, balance: '0.00', homeCity: '广州' }),
    bad: [
      ['payScore', 299],
      ['payScore', 851],
      ['payScore', 700.5],
      ['payScore', '700'],
      ['payScore', OPERATOR, 'payScore.$gt'],
      ['age', -1],
      ['age', '30'],
      ['age', 151],
      ['bankCards', 1.5],
      ['realNameVerified', 'true'],
      ['realNameVerified', 1],
      ['friendCount', null],
      ['overdueCount', -1],
      ['payHistoryDays', 1e9],
      ['monthlyPaymentCount', Number.NaN],
      ...money('balance', BAD_MONEY_COMMON),
      ...money('annualIncome', BAD_MONEY_COMMON),
      ...money('avgMonthlySpend', ['1e3', '-1', '1.001', 3000]),
      ...money('bankCardBalance', ['1e3', '-0.01', ' 1', 50000]),
      ['balance', OPERATOR, 'balance.$gt'],
      ['homeCity', ''],
      ['homeCity', 42],
      ['homeCity', '_.exists(true)'],
      ['quotaFen', 99_999_999],
      ['usedFen', 0],
    ],
  },
  {
    fn: 'sandbox',
    action: 'clock',
    openid: 'u_alice',
    valid: () => ({ advanceDays: 1 }),
    bad: [
      ['advanceDays', 0],
      ['advanceDays', -1],
      ['advanceDays', 1.5],
      ['advanceDays', '1'],
      ['advanceDays', 367],
      ['advanceDays', OPERATOR, 'advanceDays.$gt'],
      ['advanceHours', 0],
      ['advanceHours', '24'],
      ['set', 'tomorrow'],
      ['set', '2026-12-01T00:00:00'],
      ['set', '2026-13-01T00:00:00+08:00'],
      ['set', 1_800_000_000_000],
      ['set', OPERATOR, 'set.$gt'],
    ],
  },
  { fn: 'sandbox', action: 'runScheduler', openid: 'u_alice', valid: () => ({}), bad: [] },
  { fn: 'sandbox', action: 'invite', openid: 'u_alice', valid: () => ({}), bad: [] },
  ...(['invite', 'clearReview'] as const).map((action): ActionSpec => ({
    fn: 'admin',
    action,
    openid: 'op_1',
    valid: () => ({ openid: 'u_alice' }),
    required: ['openid'],
    bad: [
      ['openid', ''],
      ['openid', 'u alice'],
      ['openid', 'x'.repeat(65)],
      ['openid', 42],
      ['openid', null],
      ['openid', ['u_alice']],
      ['openid', OPERATOR, 'openid.$gt'],
      ['openid', { $ne: null }, 'openid.$ne'],
      ['openid', '_.neq(null)'],
    ],
  })),
  {
    fn: 'admin',
    action: 'resolveAppeal',
    openid: 'op_1',
    valid: () => ({ appealId: 'apl_missing_1', outcome: 'upheld', note: '维持原判' }),
    required: ['appealId', 'outcome', 'note'],
    bad: [
      ['appealId', ''],
      ['appealId', 'a/b'],
      ['appealId', 5],
      ['appealId', OPERATOR, 'appealId.$gt'],
      ['outcome', 'approved'],
      ['outcome', true],
      ['note', ''],
      ['note', 'x'.repeat(501)],
      ['note', '_.remove()'],
    ],
  },
];

const FUNCTIONS_UNDER_TEST = ['credit', 'pay', 'sandbox', 'admin'] as const;

function specOf(fn: string, action: string): ActionSpec {
  return (
    SPECS.find((s) => s.fn === fn && s.action === action) ?? {
      fn,
      action,
      openid: fn === 'admin' ? 'op_1' : 'u_alice',
      valid: () => ({}),
      bad: [],
    }
  );
}

interface Case {
  name: string;
  fn: string;
  action: string;
  openid: string;
  params: Params;
  field: string;
}

function casesOf(spec: ActionSpec): Case[] {
  const cases: Case[] = [];
  const add = (what: string, params: Params, field: string) =>
    cases.push({
      name: `${spec.fn}.${spec.action} ${what}`,
      fn: spec.fn,
      action: spec.action,
      openid: spec.openid,
      params,
      field,
    });
  const base = spec.valid();
  for (const [path, value, field] of spec.bad) {
    add(`${path} = ${JSON.stringify(value) ?? String(value)}`, withValue(base, path, value), field ?? path);
  }
  for (const path of spec.required ?? []) add(`without ${path}`, withValue(base, path, MISSING), path);
  // Every action: unknown fields and operator-looking keys, whatever its schema.
  add('unknown field zzz', { ...base, zzz: 1 }, 'zzz');
  add('unknown field (prototype name)', { ...base, constructor: 'x' }, 'constructor');
  add('operator key $where', { ...base, $where: 'this.quota > 0' }, '$where');
  add('command key _id', { ...base, _id: 'accounts/u_alice' }, '_id');
  if (!('openid' in base)) add('openid in the payload', { ...base, openid: 'u_bob' }, 'openid');
  return cases;
}

const ALL_CASES: Case[] = FUNCTIONS_UNDER_TEST.flatMap((fn) =>
  Object.keys(FUNCTIONS[fn]!).flatMap((action) => casesOf(specOf(fn, action))),
);

async function raw(h: Harness, fn: string, event: unknown, openid: string | undefined) {
  const def = FUNCTIONS[fn]!;
  return handle(fn, def, event, openid, h.deps, { error: () => undefined }) as Promise<{
    status: number;
    body: Envelope<unknown>;
  }>;
}

/** Database and clock, for "nothing changed". */
async function state(h: Harness): Promise<{ db: Snapshot; now: number }> {
  return { db: await snapshotOf(h.store), now: await h.clock.now() };
}

async function setUp(h: Harness): Promise<void> {
  await openAccount(h, 'u_alice');
  await openAccount(h, 'u_bob');
  await h.setProfile('u_new', {});
}

describe('bad input changes nothing', () => {
  let h: Harness;
  let before: { db: Snapshot; now: number };
  beforeAll(async () => {
    h = await createHarness();
    await setUp(h);
    before = await state(h);
  });
  afterAll(() => h.close());

  it('has input cases for every action of credit, pay, sandbox and admin', () => {
    // A new action needs its entry in SPECS (valid params and the bad values of its fields).
    for (const fn of FUNCTIONS_UNDER_TEST) {
      for (const action of Object.keys(FUNCTIONS[fn]!)) {
        expect(`${fn}.${action}: ${SPECS.some((s) => s.fn === fn && s.action === action)}`).toBe(
          `${fn}.${action}: true`,
        );
      }
    }
    expect(ALL_CASES.length).toBeGreaterThan(200);
  });

  it.each(ALL_CASES.map((c) => [c.name, c] as const))('%s → 400 INVALID_INPUT', async (_name, c) => {
    const r = await h.call(c.fn, c.action, c.params, c.openid);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { field: c.field } },
    });
    if (!r.body.ok) {
      expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(r.body.error.message).not.toMatch(/at .*\.ts:\d+/); // no stack traces
      // In Chinese throughout: no type names or values of the validator's own language.
      expect(r.body.error.message).not.toMatch(/\b(string|number|boolean|array|object|int|undefined|null)\b/);
    }
    expect(await state(h)).toEqual(before);
  });
});

describe('the valid counterparts pass validation (control)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    await setUp(h);
  });
  afterEach(() => h.close());

  it.each(SPECS.map((s) => [`${s.fn}.${s.action}`, s] as const))('%s', async (_name, spec) => {
    const r = await h.call(spec.fn, spec.action, spec.valid(), spec.openid);
    // Well-formed; an id naming nothing is answered as such (reason not_found), not as malformed.
    if (!r.body.ok && r.body.error.code === 'INVALID_INPUT') {
      expect(r.body.error.details).toMatchObject({ reason: 'not_found' });
    }
  });
});

describe('protocol refusals', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    await setUp(h);
  });
  afterEach(() => h.close());

  it('an unknown action is 404 NOT_FOUND, including prototype names', async () => {
    const before = await state(h);
    for (const fn of FUNCTIONS_UNDER_TEST) {
      for (const action of ['nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '']) {
        const r = await h.call(fn, action, {});
        expect(r.status).toBe(404);
        expect(r.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      }
    }
    expect(await state(h)).toEqual(before);
  });

  it('a missing or non-string action, or a body that is not an object, is INVALID_INPUT', async () => {
    const before = await state(h);
    for (const event of [
      {},
      { action: 1 },
      { action: null },
      { action: ['spend'] },
      { action: { $gt: '' } },
    ]) {
      const r = await raw(h, 'pay', event, 'u_alice');
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', details: { field: 'action' } },
      });
    }
    for (const event of [null, [], 'spend', 42]) {
      const r = await raw(h, 'pay', event, 'u_alice');
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    expect(await state(h)).toEqual(before);
  });

  it('deeply nested values are INVALID_INPUT (not a stack overflow and a 500)', async () => {
    const before = await state(h);
    const nest = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown;
    for (const depth of [20, 1_000, 30_000]) {
      const r = await h.call('credit', 'status', { x: nest(depth) });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      if (!r.body.ok) expect(r.body.error.details?.field).toMatch(/^x\./);
      const s = await h.call('pay', 'spend', {
        requestId: rid(),
        amount: '10.00',
        merchant: { ...GROCERY, id: nest(depth) },
      });
      expect(s.status).toBe(400);
      if (!s.body.ok) expect(s.body.error.details?.field).toMatch(/^merchant\.id\./);
    }
    expect(await state(h)).toEqual(before);
  });

  it('an own __proto__ key (as JSON.parse makes it) is refused by name', async () => {
    const before = await state(h);
    const event = JSON.parse('{"action":"status","__proto__":{"isAdmin":true}}') as unknown;
    const r = await raw(h, 'credit', event, 'u_alice');
    expect(r).toMatchObject({
      status: 400,
      body: { ok: false, error: { code: 'INVALID_INPUT', details: { field: '__proto__' } } },
    });
    expect(await state(h)).toEqual(before);
  });

  it('no identity is 401 UNAUTHENTICATED for every action', async () => {
    const before = await state(h);
    for (const fn of FUNCTIONS_UNDER_TEST) {
      for (const action of Object.keys(FUNCTIONS[fn]!)) {
        for (const openid of [undefined, '']) {
          const r = await raw(h, fn, { action, ...specOf(fn, action).valid() }, openid);
          expect(r.status).toBe(401);
          expect(r.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
        }
      }
    }
    expect(await state(h)).toEqual(before);
  });

  it('no identity is 401 before anything else: an unknown action, a bad body, bad input', async () => {
    for (const body of [
      { action: 'nope' },
      { action: 'constructor' },
      [],
      null,
      'x',
      { action: 'spend', amount: -1 },
    ]) {
      const r = await raw(h, 'pay', body, undefined);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('the sandbox is 403 FORBIDDEN when disabled, for every action, before looking at the input', async () => {
    h.deps.config.sandboxEnabled = false;
    const before = await state(h);
    for (const action of Object.keys(FUNCTIONS.sandbox!)) {
      for (const params of [specOf('sandbox', action).valid(), { zzz: 1 }]) {
        const r = await h.call('sandbox', action, params);
        expect(r.status).toBe(403);
        expect(r.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
    }
    expect(await state(h)).toEqual(before);
  });

  it('admin actions are 403 FORBIDDEN for a non-operator, even one naming an operator in the payload', async () => {
    const before = await state(h);
    for (const action of Object.keys(FUNCTIONS.admin!)) {
      for (const params of [specOf('admin', action).valid(), { openid: 'op_1' }]) {
        const r = await h.call('admin', action, params, 'u_alice');
        expect(r.status).toBe(403);
        expect(r.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
    }
    expect(await h.store.get('invitations', 'u_alice')).toBeNull();
    expect(await state(h)).toEqual(before);
  });

  it('an openid in the payload never selects whose account is used', async () => {
    const before = await state(h);
    const r = await h.call(
      'pay',
      'spend',
      { requestId: rid(), amount: '10.00', merchant: GROCERY, openid: 'u_bob' },
      'u_alice',
    );
    expect(r.body).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { field: 'openid' } },
    });
    const s = await h.call('credit', 'status', { openid: 'u_nobody' }, 'u_alice');
    expect(s.body).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { field: 'openid' } },
    });
    expect(await state(h)).toEqual(before);
    // The context's identity is the one that counts.
    await h.ok('pay', 'spend', { requestId: rid(), amount: '10.00', merchant: GROCERY }, 'u_bob');
    const bob = await h.ok<{ account: { used: string } }>('credit', 'status', {}, 'u_bob');
    const alice = await h.ok<{ account: { used: string } }>('credit', 'status', {}, 'u_alice');
    expect([bob.account.used, alice.account.used]).toEqual(['10.00', '0.00']);
  });
});
