/**
 * Hostile input corpus (SPEC §9): malformed requests for EVERY action of every function, generated
 * from a table of each action's fields and their kinds, sent over real HTTP to the in-process
 * gateway. Each must get a 4xx with an error code (INVALID_INPUT naming the field where a field is
 * at fault), never a 500 and never a stack trace, and the database must be exactly as before.
 */
import type { ErrorCode } from '../../typings/api';
import { diffSnapshots, snapshotOf, summarize } from '../support/snapshot';
import { MAX_BODY_BYTES } from '../../cloudfunctions/src/gateway/server';
import { OPERATOR, populatedWorld, startTestGateway, type Owned, type TestGateway } from './support';

jest.setTimeout(60_000);

type Kind =
  | 'money'
  | 'balance'
  | 'requestId'
  | 'docId'
  | 'enum'
  | 'bool'
  | 'int'
  | 'text'
  | 'iso'
  | 'openid'
  | 'category'
  | 'object'
  | 'typesArray';

interface ActionSpec {
  fn: string;
  action: string;
  /** Who calls it (admin actions: the operator, so the input is what gets judged). */
  as: 'alice' | 'operator';
  /** Valid parameters: each case breaks exactly one thing. */
  base: (w: World) => Record<string, unknown>;
  /** Field path → kind. Required fields are also tried missing. */
  fields: Record<string, { kind: Kind; required?: boolean; max?: number }>;
}

interface World {
  alice: Owned;
  bob: Owned;
}

interface Case {
  label: string;
  fn: string;
  /** JSON body, or a raw string when `raw`. */
  body: unknown;
  raw?: boolean;
  openid?: string;
  status: number;
  code: ErrorCode;
  /** details.field must equal this or start with it followed by '.'. */
  field?: string;
}

const MERCHANT = { id: 'm_grocery', name: '华润万家', category: 'grocery', scene: 'offline' };

const SPECS: ActionSpec[] = [
  { fn: 'credit', action: 'status', as: 'alice', base: () => ({}), fields: {} },
  {
    fn: 'credit',
    action: 'apply',
    as: 'alice',
    base: () => ({ channel: 'checkout', annualIncome: '100000.00' }),
    fields: {
      channel: { kind: 'enum', required: true },
      annualIncome: { kind: 'money' },
      occupation: { kind: 'text', max: 40 },
    },
  },
  { fn: 'credit', action: 'quota', as: 'alice', base: () => ({}), fields: {} },
  { fn: 'credit', action: 'reevaluate', as: 'alice', base: () => ({}), fields: {} },
  {
    fn: 'pay',
    action: 'spend',
    as: 'alice',
    base: () => ({ requestId: 'hostile-0001', amount: '10.00', merchant: MERCHANT, city: '深圳' }),
    fields: {
      requestId: { kind: 'requestId', required: true },
      amount: { kind: 'money', required: true },
      merchant: { kind: 'object', required: true },
      'merchant.id': { kind: 'openid', required: true },
      'merchant.name': { kind: 'text', required: true, max: 60 },
      'merchant.category': { kind: 'category', required: true },
      'merchant.scene': { kind: 'enum', required: true },
      city: { kind: 'text', max: 30 },
    },
  },
  { fn: 'bill', action: 'summary', as: 'alice', base: () => ({}), fields: {} },
  { fn: 'bill', action: 'list', as: 'alice', base: () => ({}), fields: {} },
  {
    fn: 'bill',
    action: 'detail',
    as: 'alice',
    base: (w) => ({ statementId: w.alice.statementId }),
    fields: { statementId: { kind: 'docId', required: true } },
  },
  {
    fn: 'bill',
    action: 'quote',
    as: 'alice',
    base: () => ({ mode: 'custom', amount: '10.00', channel: 'balance' }),
    fields: {
      mode: { kind: 'enum', required: true },
      amount: { kind: 'money', required: true },
      channel: { kind: 'enum', required: true },
    },
  },
  {
    fn: 'bill',
    action: 'repay',
    as: 'alice',
    base: () => ({ requestId: 'hostile-0002', mode: 'custom', amount: '10.00', channel: 'balance' }),
    fields: {
      requestId: { kind: 'requestId', required: true },
      mode: { kind: 'enum', required: true },
      amount: { kind: 'money', required: true },
      channel: { kind: 'enum', required: true },
    },
  },
  {
    fn: 'bill',
    action: 'installmentOffers',
    as: 'alice',
    base: (w) => ({ txnId: w.alice.txnIds[0] }),
    fields: { txnId: { kind: 'docId' } },
  },
  {
    fn: 'bill',
    action: 'convert',
    as: 'alice',
    base: (w) => ({ requestId: 'hostile-0003', txnId: w.alice.txnIds[0], term: 3 }),
    fields: {
      requestId: { kind: 'requestId', required: true },
      txnId: { kind: 'docId' },
      term: { kind: 'int', required: true },
    },
  },
  {
    fn: 'bill',
    action: 'autoDebit',
    as: 'alice',
    base: () => ({ enabled: true, channel: 'balance' }),
    fields: { enabled: { kind: 'bool', required: true }, channel: { kind: 'enum', required: true } },
  },
  { fn: 'risk', action: 'events', as: 'alice', base: () => ({}), fields: {} },
  {
    fn: 'risk',
    action: 'appeal',
    as: 'alice',
    base: (w) => ({ eventId: w.alice.eventIds[0], reason: '本人消费' }),
    fields: {
      eventId: { kind: 'docId', required: true },
      reason: { kind: 'text', required: true, max: 500 },
    },
  },
  { fn: 'risk', action: 'appeals', as: 'alice', base: () => ({}), fields: {} },
  { fn: 'inbox', action: 'list', as: 'alice', base: () => ({}), fields: {} },
  { fn: 'inbox', action: 'unsubscribe', as: 'alice', base: () => ({}), fields: {} },
  {
    fn: 'inbox',
    action: 'read',
    as: 'alice',
    base: (w) => ({ messageId: w.alice.messageIds[0] }),
    fields: { messageId: { kind: 'docId', required: true } },
  },
  {
    fn: 'inbox',
    action: 'subscribe',
    as: 'alice',
    base: () => ({ types: ['due_soon'] }),
    fields: { types: { kind: 'typesArray', required: true } },
  },
  {
    fn: 'admin',
    action: 'resolveAppeal',
    as: 'operator',
    base: (w) => ({ appealId: w.alice.appealId, outcome: 'upheld', note: '已核实' }),
    fields: {
      appealId: { kind: 'docId', required: true },
      outcome: { kind: 'enum', required: true },
      note: { kind: 'text', required: true, max: 500 },
    },
  },
  {
    fn: 'admin',
    action: 'clearReview',
    as: 'operator',
    base: () => ({ openid: 'u_alice' }),
    fields: { openid: { kind: 'openid', required: true } },
  },
  {
    fn: 'admin',
    action: 'invite',
    as: 'operator',
    base: () => ({ openid: 'u_carol' }),
    fields: { openid: { kind: 'openid', required: true } },
  },
  {
    fn: 'sandbox',
    action: 'setProfile',
    as: 'alice',
    base: () => ({ age: 30, balance: '100.00', homeCity: '深圳', realNameVerified: true }),
    fields: {
      age: { kind: 'int' },
      payScore: { kind: 'int' },
      balance: { kind: 'balance' },
      bankCardBalance: { kind: 'balance' },
      homeCity: { kind: 'text', max: 30 },
      realNameVerified: { kind: 'bool' },
    },
  },
  {
    fn: 'sandbox',
    action: 'clock',
    as: 'alice',
    base: () => ({ advanceHours: 1 }),
    fields: { advanceHours: { kind: 'int' } },
  },
  {
    fn: 'sandbox',
    action: 'clock',
    as: 'alice',
    base: () => ({ set: '2027-01-01T00:00:00+08:00' }),
    fields: { set: { kind: 'iso' } },
  },
  { fn: 'sandbox', action: 'runScheduler', as: 'alice', base: () => ({}), fields: {} },
  { fn: 'sandbox', action: 'invite', as: 'alice', base: () => ({}), fields: {} },
];

const OPERATOR_OBJECTS: unknown[] = [
  { $gt: '' },
  { $where: 'function() { return true; }' },
  { $ne: null },
  { $regex: '.*' },
  { $in: ['a'] },
];
const COMMAND_STRINGS = ['_.gt(0)', '_.remove()', '_.exists(true)', '_.inc(100)'];

/** Values that are wrong for a field of this kind (none of them valid). */
function badValues(kind: Kind, max = 0): [string, unknown][] {
  const common: [string, unknown][] = [
    ['null', null],
    ['array', ['x']],
    ...OPERATOR_OBJECTS.map((o): [string, unknown] => [`operator ${JSON.stringify(o)}`, o]),
  ];
  const commands: [string, unknown][] = COMMAND_STRINGS.map((c) => [`command ${c}`, c]);
  switch (kind) {
    case 'money':
    case 'balance':
      return [
        ...common,
        ...commands,
        ['number', 10],
        ['float', 10.5],
        ['negative', '-1.00'],
        ['exponent', '1e3'],
        ['three decimals', '1.001'],
        ['leading space', ' 1.00'],
        ['trailing space', '1.00 '],
        ['plus sign', '+1.00'],
        ['over the maximum', '10000000.01'],
        ['huge', '99999999999999999999.00'],
        ['hex', '0x10'],
        ['fullwidth digits', '１００.００'],
        ['thousands separator', '1,000.00'],
        ['leading dot', '.50'],
        ['leading zero', '01.00'],
        ['empty', ''],
        ['NaN', 'NaN'],
        ['Infinity', 'Infinity'],
        ...(kind === 'money' ? ([['zero', '0.00']] as [string, unknown][]) : []),
      ];
    case 'requestId':
      return [
        ...common,
        ...commands,
        ['number', 12345678],
        ['too short', 'short'],
        ['too long', 'x'.repeat(65)],
        ['space', 'has space 123'],
        ['slash', 'bad/char/123'],
        ['path', '../../etc/passwd'],
        ['unicode', '请求编号请求编号请求编号'],
        ['empty', ''],
      ];
    case 'docId':
    case 'openid':
      return [
        ...common,
        ...commands,
        ['number', 123],
        ['empty', ''],
        ['too long', 'x'.repeat(kind === 'docId' ? 81 : 65)],
        ['space', 'a b'],
        ['path', '../x'],
        ['sql', "x'; DROP TABLE c_accounts; --"],
        ['dollar', '$gt'],
        ['unicode', '账单'],
      ];
    case 'category':
      return [
        ...common,
        ...commands,
        ['number', 1],
        ['uppercase', 'Grocery'],
        ['empty', ''],
        ['too long', 'a'.repeat(41)],
      ];
    case 'enum':
      return [
        ...common,
        ...commands,
        ['number', 1],
        ['uppercase', 'ONLINE'],
        ['empty', ''],
        ['padded', ' balance '],
        ['control', 'full\u0000'],
        ['NaN-like', 'NaN'],
      ];
    case 'bool':
      return [...common, ['string', 'true'], ['number', 1], ['zero', 0], ['yes', 'yes']];
    case 'int':
      return [
        ...common,
        ...commands,
        ['string', '3'],
        ['negative', -1],
        ['fraction', 1.5],
        ['huge', 1e21],
        ['tiny', 5e-324],
        ['unsafe', 2 ** 53 + 2],
        ['boolean', true],
        ['NaN-like', 'NaN'],
      ];
    case 'text':
      return [
        ...common,
        ['number', 123],
        ['empty', ''],
        ['blank', '   '],
        ['NUL', 'a\u0000b'],
        ['bell', 'a\u0007b'],
        ['too long', 'x'.repeat(max + 1)],
        ['very long', '长'.repeat(20_000)],
      ];
    case 'iso':
      return [
        ...common,
        ...commands,
        ['number', 1_700_000_000_000],
        ['date only', '2027-01-01'],
        ['no offset', '2027-01-01T00:00:00'],
        ['month 13', '2027-13-01T00:00:00+08:00'],
        ['words', 'tomorrow'],
        ['empty', ''],
      ];
    case 'object':
      return [
        ['null', null],
        ['string', 'm_grocery'],
        ['array', [MERCHANT]],
        ['number', 1],
        ['operator', { $gt: '' }],
        ['empty object', {}],
        ['extra field', { ...MERCHANT, verified: true }],
      ];
    case 'typesArray':
      return [
        ...common.filter(([l]) => l !== 'array'),
        ['empty', []],
        ['unknown type', ['bogus']],
        ['string', 'due_soon'],
        ['too many', Array.from({ length: 11 }, () => 'due_soon')],
        ['operator inside', [{ $gt: '' }]],
      ];
  }
}

function setPath(
  obj: Record<string, unknown>,
  dotted: string,
  value: unknown,
  remove = false,
): Record<string, unknown> {
  const copy = structuredClone(obj);
  const parts = dotted.split('.');
  let cur: Record<string, unknown> = copy;
  for (const p of parts.slice(0, -1)) cur = cur[p] as Record<string, unknown>;
  const last = parts[parts.length - 1]!;
  if (remove) delete cur[last];
  else cur[last] = value;
  return copy;
}

function buildCorpus(w: World): Case[] {
  const cases: Case[] = [];
  const who = (s: ActionSpec) => (s.as === 'operator' ? OPERATOR : w.alice.openid);
  for (const spec of SPECS) {
    const base = spec.base(w);
    const add = (label: string, body: unknown, field: string | undefined, extra: Partial<Case> = {}) =>
      cases.push({
        label: `${spec.fn}.${spec.action}: ${label}`,
        fn: spec.fn,
        body,
        openid: who(spec),
        status: 400,
        code: 'INVALID_INPUT',
        ...(field !== undefined ? { field } : {}),
        ...extra,
      });
    for (const [field, { kind, required, max }] of Object.entries(spec.fields)) {
      for (const [label, value] of badValues(kind, max)) {
        add(`${field} ${label}`, { action: spec.action, ...setPath(base, field, value) }, field);
      }
      if (required)
        add(`${field} missing`, { action: spec.action, ...setPath(base, field, undefined, true) }, field);
    }
    // Unknown and operator-looking keys at the top level, and an openid the payload must not carry.
    const unknown: [string, Record<string, unknown>, string][] = [
      ['unknown field', { hack: 1 }, 'hack'],
      ['$where key', { $where: 'sleep(1000)' }, '$where'],
      ['_id key', { _id: 'x' }, '_id'],
      ['constructor key', { constructor: { prototype: { admin: true } } }, 'constructor'],
      ['nested operator', { hack: { deep: [{ $gt: '' }] } }, 'hack'],
    ];
    if (!(spec.fn === 'admin' && 'openid' in base))
      unknown.push(['openid in payload', { openid: 'u_bob' }, 'openid']);
    for (const [label, extra, field] of unknown)
      add(label, { action: spec.action, ...base, ...extra }, field);
    // __proto__ only survives as a key in raw JSON.
    add(
      '__proto__ key',
      JSON.stringify({ action: spec.action, ...base }).replace(/^\{/, '{"__proto__":{"isAdmin":true},'),
      '__proto__',
      { raw: true },
    );
    // Whole-body shapes.
    add('array body', [{ action: spec.action, ...base }], '(body)');
    add(
      'duplicate key, operator last',
      JSON.stringify({ action: spec.action, ...base }).replace(/\}$/, ',"action":{"$gt":""}}'),
      undefined,
      { raw: true },
    );
  }
  // Requests that are malformed as a whole, per function (with one valid action of each).
  const valid: Record<string, Record<string, unknown>> = {
    credit: { action: 'status' },
    pay: { action: 'spend', requestId: 'hostile-0008', amount: '1.00', merchant: MERCHANT },
    bill: { action: 'summary' },
    risk: { action: 'events' },
    inbox: { action: 'list' },
    admin: { action: 'invite', openid: 'u_carol' },
    sandbox: { action: 'runScheduler' },
  };
  for (const [fn, ok] of Object.entries(valid)) {
    const caller = fn === 'admin' ? OPERATOR : w.alice.openid;
    const bad = (
      label: string,
      body: unknown,
      status: number,
      code: ErrorCode,
      raw = false,
      field?: string,
    ) =>
      cases.push({
        label: `${fn}: ${label}`,
        fn,
        body,
        raw,
        openid: caller,
        status,
        code,
        ...(field ? { field } : {}),
      });
    for (const [label, text] of [
      ['truncated JSON', '{"action":"status"'],
      ['not JSON', 'action=status'],
      ['empty body', ''],
      ['single quotes', "{'action':'status'}"],
      ['trailing comma', '{"action":"status",}'],
      ['NaN literal', '{"action":"status","x":NaN}'],
      ['BOM', '\ufeff{"action":"status"}'],
      ['comment', '{"action":"status"/* hi */}'],
    ] as const) {
      bad(label, text, 400, 'INVALID_INPUT', true);
    }
    for (const [label, text] of [
      ['array', '[]'],
      ['number', '42'],
      ['string', '"status"'],
      ['null', 'null'],
      ['true', 'true'],
    ] as const) {
      bad(`${label} instead of an object`, text, 400, 'INVALID_INPUT', true, '(body)');
    }
    bad('missing action', {}, 400, 'INVALID_INPUT', false, 'action');
    bad('numeric action', { action: 1 }, 400, 'INVALID_INPUT', false, 'action');
    bad('array action', { action: ['status'] }, 400, 'INVALID_INPUT', false, 'action');
    bad('operator action', { action: { $gt: '' } }, 400, 'INVALID_INPUT', false, 'action');
    for (const name of [
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'launchRocket',
      '',
    ]) {
      bad(`unknown action ${JSON.stringify(name)}`, { action: name }, 404, 'NOT_FOUND');
    }
    const json = JSON.stringify(ok);
    bad('huge number', json.replace(/\}$/, ',"x":1e999}'), 400, 'INVALID_INPUT', true, 'x');
    bad('tiny number', json.replace(/\}$/, ',"x":1e-999}'), 400, 'INVALID_INPUT', true, 'x');
    bad(
      'deep nesting',
      json.replace(/\}$/, `,"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`),
      400,
      'INVALID_INPUT',
      true,
    );
    bad(
      'deep object nesting',
      json.replace(/\}$/, `,"x":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`),
      400,
      'INVALID_INPUT',
      true,
    );
    bad(
      'oversized body',
      JSON.stringify({ ...ok, pad: 'x'.repeat(MAX_BODY_BYTES) }),
      413,
      'PAYLOAD_TOO_LARGE',
      true,
    );
    bad(
      'oversized multibyte body',
      JSON.stringify({ ...ok, pad: '长'.repeat(25_000) }),
      413,
      'PAYLOAD_TOO_LARGE',
      true,
    );
    // Identity: no X-Openid, or one that is not an openid.
    for (const [label, openid] of [
      ['no X-Openid', undefined],
      ['empty X-Openid', ''],
      ['X-Openid with a space', 'u alice'],
      ['X-Openid too long', 'u'.repeat(65)],
      ['X-Openid operator', '$gt'],
    ] as const) {
      cases.push({ label: `${fn}: ${label}`, fn, body: ok, openid, status: 401, code: 'UNAUTHENTICATED' });
    }
  }
  // Unknown functions.
  for (const fn of ['nope', 'scheduler', 'constructor', 'CREDIT', 'Admin']) {
    cases.push({
      label: `unknown function ${fn}`,
      fn,
      body: { action: 'status' },
      openid: w.alice.openid,
      status: 404,
      code: 'NOT_FOUND',
    });
  }
  // Other users' ids: indistinguishable from missing ones, invalid input naming the field (SPEC §9
  // keeps 404 for an unknown function or action).
  const theirs: [string, string, Record<string, unknown>, string][] = [
    ['bill', 'detail', { statementId: w.bob.statementId }, 'statementId'],
    ['bill', 'installmentOffers', { statementId: w.bob.statementId }, 'statementId'],
    ['bill', 'installmentOffers', { txnId: w.bob.txnIds[0] }, 'txnId'],
    [
      'bill',
      'convert',
      { requestId: 'hostile-0004', statementId: w.bob.statementId, term: 3 },
      'statementId',
    ],
    ['bill', 'convert', { requestId: 'hostile-0005', txnId: w.bob.txnIds[2], term: 6 }, 'txnId'],
    ['risk', 'appeal', { eventId: w.bob.eventIds[0], reason: '不是我的' }, 'eventId'],
    ['inbox', 'read', { messageId: w.bob.messageIds[0] }, 'messageId'],
  ];
  for (const [fn, action, params, field] of theirs) {
    cases.push({
      label: `${fn}.${action}: another user's ${field}`,
      fn,
      body: { action, ...params },
      openid: w.alice.openid,
      status: 400,
      code: 'INVALID_INPUT',
      field,
    });
  }
  // Both or neither of statementId and txnId.
  cases.push({
    label: 'bill.installmentOffers: both ids',
    fn: 'bill',
    body: { action: 'installmentOffers', statementId: w.alice.statementId, txnId: w.alice.txnIds[0] },
    openid: w.alice.openid,
    status: 400,
    code: 'INVALID_INPUT',
    field: 'statementId',
  });
  cases.push({
    label: 'bill.installmentOffers: neither id',
    fn: 'bill',
    body: { action: 'installmentOffers' },
    openid: w.alice.openid,
    status: 400,
    code: 'INVALID_INPUT',
    field: 'statementId',
  });
  // Amount where the mode takes none; a term that is an integer but not offered.
  cases.push({
    label: 'bill.repay: amount with mode full',
    fn: 'bill',
    body: { action: 'repay', requestId: 'hostile-0006', mode: 'full', amount: '1.00', channel: 'balance' },
    openid: w.alice.openid,
    status: 400,
    code: 'INVALID_INPUT',
    field: 'amount',
  });
  for (const term of [0, 1, 4, 24, 36]) {
    cases.push({
      label: `bill.convert: term ${term}`,
      fn: 'bill',
      body: { action: 'convert', requestId: 'hostile-0007', txnId: w.alice.txnIds[0], term },
      openid: w.alice.openid,
      status: 400,
      code: 'INVALID_INPUT',
      field: 'term',
    });
  }
  cases.push({
    label: 'sandbox.clock: two of advanceHours/advanceDays/set',
    fn: 'sandbox',
    body: { action: 'clock', advanceHours: 1, advanceDays: 1 },
    openid: w.alice.openid,
    status: 400,
    code: 'INVALID_INPUT',
    field: 'set',
  });
  return cases;
}

let gw: TestGateway;
let world: World;

beforeAll(async () => {
  gw = await startTestGateway();
  world = await populatedWorld(gw);
});
afterAll(() => gw.close());

describe('hostile input corpus', () => {
  it('every malformed request gets a 4xx with a code (naming the field), none a 500, and nothing changes', async () => {
    const cases = buildCorpus(world);
    const before = await snapshotOf(gw.deps.store);
    const failures: string[] = [];
    const byStatus: Record<number, number> = {};
    for (const c of cases) {
      const r = await gw.post(c.fn, c.body, c.openid, c.raw);
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      const err = r.body.ok ? null : r.body.error;
      const field = err?.details?.field;
      const problems: string[] = [];
      if (r.status !== c.status) problems.push(`status ${r.status} ≠ ${c.status}`);
      if (!err || typeof err.code !== 'string' || typeof err.message !== 'string')
        problems.push('no error code');
      else if (err.code !== c.code) problems.push(`code ${err.code} ≠ ${c.code}`);
      if (
        c.field !== undefined &&
        !(field === c.field || (typeof field === 'string' && field.startsWith(`${c.field}.`)))
      ) {
        problems.push(`details.field ${JSON.stringify(field)} ≠ ${c.field}`);
      }
      if (/\.ts:\d+|\bat [\w.<>]+ \(/.test(r.text)) problems.push('stack trace in the answer');
      if (problems.length) failures.push(`${c.label}: ${problems.join('; ')} — ${r.text.slice(0, 200)}`);
    }
    const after = await snapshotOf(gw.deps.store);
    const functions = new Set(cases.map((c) => c.fn));
    const actions = new Set(SPECS.map((s) => `${s.fn}.${s.action}`));
    console.log(
      `hostile corpus: ${cases.length} requests over ${actions.size} actions of ${functions.size} function paths; ` +
        `answers by status ${JSON.stringify(byStatus)}; database unchanged: ${JSON.stringify(summarize(diffSnapshots(before, after))) === '{}'}`,
    );
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(byStatus[500]).toBeUndefined();
    expect(summarize(diffSnapshots(before, after))).toEqual({});
  });

  it('covers every action of every function', () => {
    const { FUNCTIONS } = jest.requireActual<typeof import('../../cloudfunctions/src/handlers')>(
      '../../cloudfunctions/src/handlers',
    );
    const all = Object.entries(FUNCTIONS).flatMap(([fn, def]) => Object.keys(def).map((a) => `${fn}.${a}`));
    const covered = new Set(SPECS.map((s) => `${s.fn}.${s.action}`));
    expect(all.filter((a) => !covered.has(a))).toEqual([]);
  });
});
