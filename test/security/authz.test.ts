/**
 * Authorization matrix over real HTTP: two users each with an account, a statement, purchases, an
 * installment plan, a risk event, an appeal, a repayment and inbox messages. Every action that
 * takes an id, tried by the other user with the first user's ids, is 400 (INVALID_INPUT, as a
 * missing id) or 403 and leaks nothing
 * of the first user's (no openid, id or amount of theirs in the answer); admin refuses
 * non-operators; the sandbox refuses when disabled; an openid in the payload is refused as an
 * unknown field and never trusted; a missing X-Openid is 401.
 */
import { diffSnapshots, snapshotOf, summarize } from '../support/snapshot';
import {
  GROCERY,
  OPERATOR,
  populatedWorld,
  secretsOf,
  startTestGateway,
  type Owned,
  type Reply,
  type TestGateway,
} from './support';

jest.setTimeout(60_000);

let gw: TestGateway;
let alice: Owned;
let bob: Owned;
/** Requests of the matrix (setup excluded). */
let tried = 0;

function counted(g: TestGateway): TestGateway['post'] {
  return (fn, body, openid, raw) => {
    tried += 1;
    return g.post(fn, body, openid, raw);
  };
}

beforeAll(async () => {
  gw = await startTestGateway();
  ({ alice, bob } = await populatedWorld(gw));
});
afterAll(async () => {
  console.log(`authorization matrix: ${tried} requests`);
  await gw.close();
});

function leaks(r: Reply, owner: Owned): string[] {
  return secretsOf(owner).filter((s) => r.text.includes(s));
}

/** Every id-taking action, as `intruder` with `owner`'s ids. */
function matrix(owner: Owned, intruder: Owned): [string, Record<string, unknown>, string][] {
  return [
    ['bill', { action: 'detail', statementId: owner.statementId }, intruder.openid],
    ['bill', { action: 'installmentOffers', statementId: owner.statementId }, intruder.openid],
    ...owner.txnIds.map((txnId): [string, Record<string, unknown>, string] => [
      'bill',
      { action: 'installmentOffers', txnId },
      intruder.openid,
    ]),
    [
      'bill',
      { action: 'convert', requestId: `authz-${intruder.openid}-1`, statementId: owner.statementId, term: 3 },
      intruder.openid,
    ],
    ...owner.txnIds.map((txnId, i): [string, Record<string, unknown>, string] => [
      'bill',
      { action: 'convert', requestId: `authz-${intruder.openid}-t${i}`, txnId, term: 6 },
      intruder.openid,
    ]),
    ...owner.eventIds.map((eventId): [string, Record<string, unknown>, string] => [
      'risk',
      { action: 'appeal', eventId, reason: '替别人申诉' },
      intruder.openid,
    ]),
    ...owner.messageIds.map((messageId): [string, Record<string, unknown>, string] => [
      'inbox',
      { action: 'read', messageId },
      intruder.openid,
    ]),
    [
      'admin',
      { action: 'resolveAppeal', appealId: owner.appealId, outcome: 'overturned', note: '自己批准' },
      intruder.openid,
    ],
    [
      'admin',
      { action: 'resolveAppeal', appealId: owner.appealId, outcome: 'overturned', note: '自己批准' },
      owner.openid,
    ],
    ['admin', { action: 'clearReview', openid: owner.openid }, intruder.openid],
    ['admin', { action: 'invite', openid: intruder.openid }, intruder.openid],
    ['admin', { action: 'invite', openid: owner.openid }, owner.openid],
  ];
}

describe('authorization matrix', () => {
  it("every id-taking action with the other user's ids is 400 INVALID_INPUT/403, leaks nothing, changes nothing", async () => {
    for (const o of [alice, bob]) {
      // The world really holds one of everything (else "leaks nothing" would be vacuous).
      expect(o.statementId).toMatch(/^st_/);
      expect(o.txnIds).toHaveLength(3);
      expect(o.planId).toMatch(/^plan_/);
      expect(o.appealId).toMatch(/^apl_/);
      expect(o.repaymentId).toMatch(/^rep_/);
      expect(o.eventIds.length).toBeGreaterThanOrEqual(1);
      expect(o.messageIds.length).toBeGreaterThanOrEqual(3);
    }
    const before = await snapshotOf(gw.deps.store);
    const rows: string[] = [];
    const failures: string[] = [];
    for (const [owner, intruder] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      for (const [fn, body, as] of matrix(owner, intruder)) {
        const r = await counted(gw)(fn, body, as);
        const code = r.body.ok ? 'ok' : r.body.error.code;
        rows.push(`${as} ${fn}.${String(body.action)} → ${r.status} ${code}`);
        const expected = fn === 'admin' ? [403] : [400, 403];
        if (!expected.includes(r.status) || (r.status === 400 && code !== 'INVALID_INPUT'))
          failures.push(`${as} ${fn}.${String(body.action)}: ${r.status} ${r.text}`);
        const leaked = leaks(r, owner).filter((s) => s !== as);
        if (leaked.length)
          failures.push(`${as} ${fn}.${String(body.action)} leaked ${leaked.join(', ')}: ${r.text}`);
      }
    }
    expect(failures).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(summarize(diffSnapshots(before, await snapshotOf(gw.deps.store)))).toEqual({});
  });

  it("a user's own lists hold nothing of the other user's", async () => {
    for (const [me, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      for (const [fn, action] of [
        ['credit', 'status'],
        ['credit', 'quota'],
        ['bill', 'summary'],
        ['bill', 'list'],
        ['risk', 'events'],
        ['risk', 'appeals'],
        ['inbox', 'list'],
      ] as const) {
        const r = await counted(gw)(fn, { action }, me.openid);
        expect(r.status).toBe(200);
        expect(leaks(r, other)).toEqual([]);
      }
    }
  });

  it('the operator can act on the ids; the owner sees the result', async () => {
    const r = await counted(gw)(
      'admin',
      { action: 'resolveAppeal', appealId: alice.appealId, outcome: 'upheld', note: '维持' },
      OPERATOR,
    );
    expect(r).toMatchObject({ status: 200, body: { ok: true, data: { status: 'upheld' } } });
    const mine = await gw.ok<{ appeals: { id: string; status: string }[] }>(
      'risk',
      { action: 'appeals' },
      alice.openid,
    );
    expect(mine.appeals.find((a) => a.id === alice.appealId)?.status).toBe('upheld');
  });

  it('an openid in the payload is an unknown field, refused before anything runs, and never trusted', async () => {
    const before = await snapshotOf(gw.deps.store);
    const bodies: [string, Record<string, unknown>][] = [
      ['credit', { action: 'status' }],
      ['credit', { action: 'quota' }],
      ['credit', { action: 'apply', channel: 'checkout', annualIncome: '100000.00' }],
      ['credit', { action: 'reevaluate' }],
      ['pay', { action: 'spend', requestId: 'authz-openid-1', amount: '1.00', merchant: GROCERY }],
      ['bill', { action: 'summary' }],
      ['bill', { action: 'list' }],
      ['bill', { action: 'detail', statementId: alice.statementId }],
      ['bill', { action: 'quote', mode: 'full', channel: 'balance' }],
      ['bill', { action: 'repay', requestId: 'authz-openid-2', mode: 'full', channel: 'balance' }],
      ['bill', { action: 'installmentOffers', txnId: alice.txnIds[0] }],
      ['bill', { action: 'convert', requestId: 'authz-openid-3', txnId: alice.txnIds[0], term: 3 }],
      ['bill', { action: 'autoDebit', enabled: true, channel: 'balance' }],
      ['risk', { action: 'events' }],
      ['risk', { action: 'appeals' }],
      ['risk', { action: 'appeal', eventId: alice.eventIds[0], reason: 'x' }],
      ['inbox', { action: 'list' }],
      ['inbox', { action: 'read', messageId: alice.messageIds[0] }],
      ['inbox', { action: 'subscribe', types: ['due_soon'] }],
      ['sandbox', { action: 'setProfile', balance: '99999.00' }],
      ['sandbox', { action: 'clock', advanceDays: 1 }],
      ['sandbox', { action: 'runScheduler' }],
      ['sandbox', { action: 'invite' }],
    ];
    for (const [fn, body] of bodies) {
      // Bob names Alice in the payload: refused as an unknown field, so nothing of hers comes back.
      const r = await counted(gw)(fn, { ...body, openid: alice.openid }, bob.openid);
      expect({
        call: `${fn}.${String(body.action)}`,
        status: r.status,
        code: r.body.ok ? 'ok' : r.body.error.code,
        field: r.body.ok ? null : r.body.error.details?.field,
      }).toEqual({
        call: `${fn}.${String(body.action)}`,
        status: 400,
        code: 'INVALID_INPUT',
        field: 'openid',
      });
      expect(leaks(r, alice)).toEqual([]);
    }
    expect(summarize(diffSnapshots(before, await snapshotOf(gw.deps.store)))).toEqual({});
  });

  it('requestIds are per user: the same key from another user is that user’s own request', async () => {
    const body = {
      action: 'spend',
      requestId: `${alice.openid}-sp-0001`,
      amount: '1234.37',
      merchant: GROCERY,
    };
    const r = await counted(gw)<{ txnId: string }>('pay', body, bob.openid);
    expect(r.status).toBe(200);
    expect(r.body.ok && r.body.data.txnId).not.toBe(alice.txnIds[0]);
    expect(leaks(r, alice).filter((s) => s !== '1234.37')).toEqual([]);
  });

  it('a missing or malformed X-Openid is 401 for every action of every function', async () => {
    const { FUNCTIONS } = await import('../../cloudfunctions/src/handlers');
    let n = 0;
    for (const [fn, def] of Object.entries(FUNCTIONS)) {
      for (const action of Object.keys(def)) {
        for (const openid of [undefined, '', 'not an openid', 'x'.repeat(65)]) {
          const r = await counted(gw)(fn, { action }, openid);
          expect({
            call: `${fn}.${action}`,
            status: r.status,
            code: r.body.ok ? 'ok' : r.body.error.code,
          }).toEqual({
            call: `${fn}.${action}`,
            status: 401,
            code: 'UNAUTHENTICATED',
          });
          n += 1;
        }
      }
    }
    expect(n).toBeGreaterThanOrEqual(100);
  });

  it('admin refuses every non-operator (403), whatever the input', async () => {
    for (const as of [alice.openid, bob.openid, 'u_stranger', 'demo_operator']) {
      for (const body of [
        { action: 'resolveAppeal', appealId: bob.appealId, outcome: 'overturned', note: 'x' },
        { action: 'clearReview', openid: as },
        { action: 'invite', openid: as },
      ]) {
        const r = await counted(gw)('admin', body, as);
        expect({
          as,
          action: body.action,
          status: r.status,
          code: r.body.ok ? 'ok' : r.body.error.code,
        }).toEqual({
          as,
          action: body.action,
          status: 403,
          code: 'FORBIDDEN',
        });
      }
    }
  });
});

describe('sandbox disabled (config.sandboxEnabled false)', () => {
  let off: TestGateway;
  beforeAll(async () => {
    off = await startTestGateway({ sandboxEnabled: false });
  });
  afterAll(() => off.close());

  it('every sandbox action is 403 FORBIDDEN and changes nothing', async () => {
    const before = await snapshotOf(off.deps.store);
    for (const body of [
      { action: 'setProfile', balance: '99999.00', payScore: 850 },
      { action: 'clock', advanceDays: 30 },
      { action: 'clock', set: '2030-01-01T00:00:00+08:00' },
      { action: 'clock' },
      { action: 'runScheduler' },
      { action: 'invite' },
    ]) {
      for (const as of ['u_alice', OPERATOR]) {
        const r = await counted(off)('sandbox', body, as);
        expect({ action: body.action, status: r.status, code: r.body.ok ? 'ok' : r.body.error.code }).toEqual(
          {
            action: body.action,
            status: 403,
            code: 'FORBIDDEN',
          },
        );
      }
    }
    expect(summarize(diffSnapshots(before, await snapshotOf(off.deps.store)))).toEqual({});
    // The rest of the product still answers.
    expect((await counted(off)('credit', { action: 'status' }, 'u_alice')).status).toBe(200);
  });
});
