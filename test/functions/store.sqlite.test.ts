/** The Store contract against the SQLite adapter, in a temporary directory (always runs). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { SqliteStore } from '../../cloudfunctions/src/adapters/sqlite/sqliteStore';
import type { Condition, Doc, FindOptions } from '../../cloudfunctions/src/ports/store';
import { describeStoreContract } from './store.contract';

let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fenfu-store-'));
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

let n = 0;

describeStoreContract(
  'SqliteStore',
  async () => {
    const dir = path.join(root, `db${n++}`);
    const file = path.join(dir, 'fenfu.sqlite');
    const store = new SqliteStore({ file });
    return {
      store,
      reopen: async () => {
        await store.close();
        return new SqliteStore({ file });
      },
      dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  },
  { durable: true },
);

/** The names of a table's indexes (those with SQL: not the primary key's). */
function indexesOf(file: string, table: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
      .pluck()
      .all(table) as string[];
  } finally {
    db.close();
  }
}

describe('SqliteStore schema', () => {
  it('drops an index an earlier version declared, and keeps every declared one', async () => {
    const file = path.join(root, 'retired', 'fenfu.sqlite');
    await new SqliteStore({ file }).close();
    // What a data directory of an earlier version holds: accounts indexed by shard alone.
    const old = new Database(file);
    old.exec(`CREATE INDEX "ix_accounts_shard" ON "c_accounts" ("f_shard")`);
    old.close();

    const store = new SqliteStore({ file });
    await store.transaction((tx) => tx.put('accounts', { _id: 'u_1', shard: 3, lastDay: '2026-11-01' }));
    expect(await store.find('accounts', { shard: 3, lastDay: { lt: '2026-11-02' } })).toHaveLength(1);
    await store.close();
    expect(indexesOf(file, 'c_accounts')).toEqual(['ix_accounts_shard_lastDay']);
  });

  it('opens a data directory from before the key columns: fills them from the documents, once', async () => {
    const file = path.join(root, 'v1', 'fenfu.sqlite');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // The earlier layout: documents only, indexes on json_extract expressions.
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec(`CREATE TABLE "c_accounts" (id TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID`);
    old.exec(
      `CREATE INDEX "idx_accounts_shard_lastDay" ON "c_accounts" (json_extract(data, '$.shard'), json_extract(data, '$.lastDay'))`,
    );
    const insert = old.prepare(`INSERT INTO "c_accounts" (id, data) VALUES (?, ?)`);
    for (let i = 0; i < 20; i += 1) {
      insert.run(
        `u_${i}`,
        JSON.stringify({ _id: `u_${i}`, shard: i % 4, lastDay: `2026-11-${10 + (i % 3)}` }),
      );
    }
    old.close();

    let store = new SqliteStore({ file });
    const due = await store.find('accounts', { shard: 1, lastDay: { lt: '2026-11-12' } });
    expect(due.map((d) => d._id)).toEqual(['u_1', 'u_13', 'u_9']);
    await store.close();
    expect(indexesOf(file, 'c_accounts')).toEqual(['ix_accounts_shard_lastDay']);
    // A second open finds the columns there and leaves the data alone.
    store = new SqliteStore({ file });
    expect(await store.find('accounts', { shard: 1, lastDay: { lt: '2026-11-12' } })).toEqual(due);
    await store.close();
  });

  it("answers the scheduler's query from the index on the key columns", async () => {
    const file = path.join(root, 'plan', 'fenfu.sqlite');
    await new SqliteStore({ file }).close();
    const db = new Database(file, { readonly: true });
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT data FROM "c_accounts" WHERE "f_shard" = ? AND "f_lastDay" < ? ORDER BY id`,
      )
      .all(3, '2026-11-02') as { detail: string }[];
    db.close();
    expect(plan.map((p) => p.detail).join('; ')).toMatch(/USING INDEX ix_accounts_shard_lastDay/);
  });
});

/**
 * The key columns against json_extract, differentially: the same documents, written and rewritten
 * the same way, into a declared collection (its indexed fields read from columns) and an
 * undeclared one (every field read with json_extract), must answer every query alike: values of
 * every JSON type, keys that change on a put or a patch, missing fields, ranges and orderings.
 */
describe('SqliteStore key columns', () => {
  // appeals: indexed by openid, createdAt, status and reviewDueAt.
  const FIELDS = ['openid', 'createdAt', 'status', 'reviewDueAt'] as const;
  const scalar = fc.oneof(
    fc.constantFrom('a', 'b', 'B', '', '10', '9', 'open', '2026-11-05T00:00:00.000Z'),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom(0.5, -1.5, 1e21, 2),
    fc.boolean(),
  );
  const value = fc.oneof(
    scalar,
    fc.constant(null),
    fc.constant(undefined),
    fc.constant({ deep: 1 }),
    fc.constant(new Date(Date.UTC(2026, 10, 5))),
    fc.constant([1]),
  );
  const fieldsArb = fc.record(
    Object.fromEntries(FIELDS.map((f) => [f, value])) as Record<(typeof FIELDS)[number], typeof value>,
  );
  const op = fc.oneof(
    fc.record({ kind: fc.constant('put' as const), id: fc.integer({ min: 0, max: 7 }), fields: fieldsArb }),
    fc.record({
      kind: fc.constant('patch' as const),
      id: fc.integer({ min: 0, max: 7 }),
      field: fc.constantFrom(...FIELDS),
      value: scalar,
    }),
    fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 7 }) }),
  );
  const bound = fc.oneof(
    fc.constantFrom('', 'a', 'b', '9', '2026-11-05T00:00:00.000Z'),
    fc.constantFrom(-1, 0, 0.5, 2, 1e21),
  );
  const condition: fc.Arbitrary<Condition> = fc.oneof(
    scalar,
    fc.constant(null),
    bound.map((b) => ({ gt: b })),
    bound.map((b) => ({ lte: b })),
    fc.tuple(fc.constantFrom(-1, 0), fc.constantFrom(0.5, 2)).map(([lo, hi]) => ({ gte: lo, lt: hi })),
  ) as fc.Arbitrary<Condition>;
  const query = fc.record({
    where: fc.dictionary(fc.constantFrom(...FIELDS), condition, { maxKeys: 2 }),
    order: fc.option(
      fc.record({ field: fc.constantFrom(...FIELDS), direction: fc.constantFrom('asc', 'desc') }),
      {
        nil: undefined,
      },
    ),
  });

  it('hold what the document holds: a Date as the ISO string JSON stores it as', async () => {
    const file = path.join(root, 'dates', 'fenfu.sqlite');
    const store = new SqliteStore({ file });
    try {
      const at = new Date(Date.UTC(2026, 10, 5));
      await store.transaction((tx) => tx.put('appeals', { _id: 'a1', status: at } as unknown as Doc));
      const found = await store.find('appeals', { status: '2026-11-05T00:00:00.000Z' });
      expect(found.map((d) => d._id)).toEqual(['a1']);
    } finally {
      await store.close();
    }
  });

  it('answer every query as json_extract does', async () => {
    const file = path.join(root, 'keys', 'fenfu.sqlite');
    const store = new SqliteStore({ file });
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(op, { maxLength: 25 }),
          fc.array(query, { minLength: 1, maxLength: 8 }),
          async (ops, queries) => {
            run += 1;
            // Two collections: the declared one, and one the adapter knows nothing about.
            const pair = ['appeals', `plain${run}`] as const;
            for (const c of pair) {
              await store.transaction(async (tx) => {
                for (let i = 0; i < 8; i += 1) await tx.remove(c, `d${i}`);
                for (const o of ops) {
                  if (o.kind === 'put') await tx.put(c, { _id: `d${o.id}`, ...o.fields } as Doc);
                  else if (o.kind === 'remove') await tx.remove(c, `d${o.id}`);
                  else if (await tx.get(c, `d${o.id}`)) await tx.patch(c, `d${o.id}`, { [o.field]: o.value });
                }
              });
            }
            for (const q of queries) {
              const options: FindOptions = q.order ? { orderBy: q.order } : {};
              const [columns, extracted] = await Promise.all(
                pair.map((c) => store.find(c, q.where, options)),
              );
              expect(columns).toEqual(extracted);
            }
          },
        ),
        { numRuns: 150 },
      );
    } finally {
      await store.close();
    }
  });
});
