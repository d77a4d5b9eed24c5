/** The Store contract against the SQLite adapter, in a temporary directory (always runs). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../cloudfunctions/src/adapters/sqlite/sqliteStore';
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

describe('SqliteStore schema', () => {
  it('drops an index an earlier version declared, and keeps every declared one', async () => {
    const file = path.join(root, 'retired', 'fenfu.sqlite');
    await new SqliteStore({ file }).close();
    // What a data directory of an earlier version holds: accounts indexed by shard alone.
    const old = new Database(file);
    old.exec(`CREATE INDEX "idx_accounts_shard" ON "c_accounts" (json_extract(data, '$.shard'))`);
    old.close();

    const store = new SqliteStore({ file });
    await store.transaction((tx) => tx.put('accounts', { _id: 'u_1', shard: 3, lastDay: '2026-11-01' }));
    expect(await store.find('accounts', { shard: 3, lastDay: { lt: '2026-11-02' } })).toHaveLength(1);
    await store.close();
    const after = new Database(file, { readonly: true });
    const indexes = after
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'c_accounts' AND sql IS NOT NULL`,
      )
      .pluck()
      .all() as string[];
    after.close();
    expect(indexes).toEqual(['idx_accounts_shard_lastDay']);
  });
});
