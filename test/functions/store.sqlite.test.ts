/** The Store contract against the SQLite adapter, in a temporary directory (always runs). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
