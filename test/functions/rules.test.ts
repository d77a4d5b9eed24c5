/**
 * CloudBase database security rules (database/rules/<collection>.json, deployed through
 * cloudbaserc.json): the mini program writes nothing directly and reads at most its own documents.
 *
 * Our documents are written by the functions with the admin SDK, which does not stamp `_openid`;
 * every per-user document stores its owner as `openid` instead, so an owner rule reads
 * `doc.openid == auth.openid`. That field is trustworthy because no client can write any document.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COLLECTIONS } from '../../cloudfunctions/src/ports/collections';
import { BuildError, loadRules, OWNER_READ } from '../../scripts/build';
import { createHarness, GROCERY, openAccount, rid, type Harness } from '../support/harness';

const ROOT = path.resolve(__dirname, '../..');
const RULES = path.join(ROOT, 'database/rules');
const NAMES = Object.keys(COLLECTIONS);

/** Never readable by a client: scoring inputs, internal risk state, grants, idempotency, singletons. */
const SERVER_ONLY = [
  'profiles',
  'accounts',
  'applications',
  'invitations',
  'riskEvents',
  'appeals',
  'subscriptions',
  'idempotency',
  'meta',
];

const readRule = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(RULES, `${name}.json`), 'utf8')) as Record<string, unknown>;

describe('database security rules', () => {
  it('every collection in COLLECTIONS has a rule file, and every rule file a collection', () => {
    const files = fs
      .readdirSync(RULES)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    expect(files.sort()).toEqual([...NAMES].sort());
  });

  it.each(NAMES)('%s: clients cannot write; they read nothing or only their own documents', (name) => {
    const rule = readRule(name);
    expect(rule.write).toBe(false);
    for (const op of ['create', 'update', 'delete']) {
      if (op in rule) expect(rule[op]).toBe(false);
    }
    expect(Object.keys(rule).every((k) => ['read', 'write', 'create', 'update', 'delete'].includes(k))).toBe(
      true,
    );
    expect([false, OWNER_READ]).toContainEqual(rule.read);
    if (SERVER_ONLY.includes(name)) expect(rule.read).toBe(false);
  });

  it('the build refuses a rule that lets clients write, a missing rule, and an unknown read expression', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fenfu-rules-'));
    const dir = path.join(root, 'database/rules');
    fs.mkdirSync(dir, { recursive: true });
    try {
      for (const name of NAMES)
        fs.copyFileSync(path.join(RULES, `${name}.json`), path.join(dir, `${name}.json`));
      expect(Object.keys(loadRules(root)).sort()).toEqual([...NAMES].sort());

      fs.writeFileSync(path.join(dir, 'txns.json'), JSON.stringify({ read: OWNER_READ, write: true }));
      expect(() => loadRules(root)).toThrow(BuildError);
      fs.writeFileSync(
        path.join(dir, 'txns.json'),
        JSON.stringify({ read: OWNER_READ, write: false, create: true }),
      );
      expect(() => loadRules(root)).toThrow(/"create" must be false/);
      fs.writeFileSync(path.join(dir, 'txns.json'), JSON.stringify({ read: true, write: false }));
      expect(() => loadRules(root)).toThrow(/"read" must be false/);
      fs.rmSync(path.join(dir, 'txns.json'));
      expect(() => loadRules(root)).toThrow(/txns\.json is missing/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('cloudbaserc.json deploys exactly these rules (run npm run build after editing one)', () => {
    const rc = JSON.parse(fs.readFileSync(path.join(ROOT, 'cloudbaserc.json'), 'utf8')) as {
      framework: {
        plugins: {
          database: {
            inputs: { collections: { collectionName: string; aclTag: string; aclRule: string }[] };
          };
        };
      };
    };
    const deployed = rc.framework.plugins.database.inputs.collections;
    expect(deployed.map((c) => c.collectionName).sort()).toEqual([...NAMES].sort());
    for (const c of deployed) {
      expect(c.aclTag).toBe('CUSTOM');
      expect(JSON.parse(c.aclRule)).toEqual(readRule(c.collectionName));
    }
  });
});

describe('owner-readable collections store their owner as `openid` on every document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('2026-11-05T10:00:00+08:00');
  });
  afterAll(() => h.close());

  it('after opening, spending, a statement, a repayment and an installment plan', async () => {
    await openAccount(h, 'u_alice');
    await h.ok('pay', 'spend', { requestId: rid(), amount: '900.00', merchant: GROCERY });
    const { txnId } = await h.ok<{ txnId: string }>('pay', 'spend', {
      requestId: rid(),
      amount: '1200.00',
      merchant: GROCERY,
    });
    await h.ok('bill', 'convert', { requestId: rid(), txnId, term: 3 });
    await h.at('2026-12-02T10:00:00+08:00');
    await h.ok('sandbox', 'runScheduler');
    await h.ok('bill', 'repay', { requestId: rid(), mode: 'minimum', channel: 'balance' });

    const owned = NAMES.filter((n) => readRule(n).read === OWNER_READ);
    expect(owned.length).toBeGreaterThan(0);
    let seen = 0;
    for (const name of owned) {
      for (const doc of await h.store.find(name, {})) {
        expect(doc).toMatchObject({ openid: 'u_alice' });
        seen += 1;
      }
    }
    // txns, plans, statements, repayments and messages at least.
    expect(seen).toBeGreaterThanOrEqual(5);
  });
});
