/**
 * Wire-level test of the CloudBase adapter: the REAL @cloudbase/node-sdk is pointed at a local
 * HTTP server through its `serviceUrl` init option (fake env and keys; requests are still signed),
 * and the server answers the database actions the SDK sends from a small in-memory database with
 * snapshot transactions and write-conflict detection. Every request is recorded and asserted on.
 *
 * Actions and shapes (from @cloudbase/database 1.4.3: src/transaction/index.ts, document.ts,
 * collection.ts, query.ts; transport in @cloudbase/node-sdk src/utils/tcbapirequester.ts):
 *   database.startTransaction  {}                                   → { transactionId }
 *   database.commitTransaction { transactionId }                    → {}
 *   database.abortTransaction  { transactionId }                    → {}
 *   database.getDocument       { collectionName, queryType, query, transactionId?, order?, offset?, limit? }
 *                                                                  → { data: { list: [ejson] } }
 *   database.modifyDocument    { collectionName, queryType, query, data, merge, upsert, multi, transactionId? }
 *                                                                  → { data: { updated, upsert_id? } }
 *   database.insertDocument    { collectionName, data: [ejson], transactionId? } → { data: { insertedIds } }
 *   database.removeDocument    { collectionName, queryType, query, multi, transactionId? } → { data: { deleted } }
 * An answer with `code` is thrown by the SDK as an error with that code.
 * The fake itself lives in test/support/fakeTcb.ts (the built-function test uses it too).
 */
import {
  createCloudbaseStore,
  CloudbaseStore,
} from '../../cloudfunctions/src/adapters/cloudbase/cloudbaseStore';
import { Doc, DuplicateError, NotFoundError, Tx } from '../../cloudfunctions/src/ports/store';
import { describeStoreContract } from './store.contract';
import { DOC_LEVEL, FakeCloudbase, FakeServer, Json, startFake, WRITES } from '../support/fakeTcb';

const ENV = 'fenfu-wire-0a1b2c';

// Outside Tencent Cloud the SDK probes http://metadata.tencentyun.com twice per request to learn
// where it runs (node-sdk src/utils/cloudplatform.ts, metadata.ts; failures are not cached). That is
// not part of the database protocol, is slow here and leaves DNS lookups pending after the run:
// TENCENTCLOUD=true answers the probe. With `serviceUrl` set it changes nothing on the wire but
// the X-TCB-Source header.
const savedTencentCloud = process.env.TENCENTCLOUD;
process.env.TENCENTCLOUD = 'true';
afterAll(() => {
  if (savedTencentCloud === undefined) delete process.env.TENCENTCLOUD;
  else process.env.TENCENTCLOUD = savedTencentCloud;
});

function storeFor(
  server: FakeServer,
  extra: Parameters<typeof createCloudbaseStore>[0] = {},
): CloudbaseStore {
  return createCloudbaseStore({
    env: ENV,
    secretId: 'AKIDfakeSecretId',
    secretKey: 'fakeSecretKey',
    serviceUrl: server.url,
    ...extra,
  });
}

describe('CloudBase adapter on the wire: the real SDK against a local fake server', () => {
  let server: FakeServer;
  let fake: FakeCloudbase;
  let store: CloudbaseStore;

  const actions = (): string[] => fake.requests.map((r) => r.action);

  beforeEach(async () => {
    server = await startFake();
    fake = server.fake;
    store = storeFor(server);
  });

  afterEach(async () => {
    await store.close();
    await server.close();
    // Whatever the test did: no write ever left without a transaction id, and none was set-wide.
    for (const r of fake.requests.filter((q) => WRITES.has(q.action))) {
      expect(r.transactionId).toEqual(expect.any(String));
      if (r.action !== 'database.insertDocument') expect([r.queryType, r.multi]).toEqual(['DOC', false]);
    }
  });

  it('sends every request to serviceUrl, signed with the given key, for the given env', async () => {
    await store.get('accounts', 'nobody');
    expect(fake.requests).toHaveLength(1);
    const [r] = fake.requests;
    expect(r.url).toMatch(new RegExp(`^/admin\\?env=${ENV}&seqId=`));
    expect(r.envName).toBe(ENV);
    expect(r.authorization).toMatch(/^TC3-HMAC-SHA256 Credential=AKIDfakeSecretId\//);
    expect(r).toMatchObject({
      action: 'database.getDocument',
      collectionName: 'accounts',
      queryType: 'DOC',
      query: { _id: 'nobody' },
      transactionId: undefined,
    });
  });

  it('sends every operation of a transaction with its id, through the document-level actions', async () => {
    await store.transaction((tx) =>
      tx.put('accounts', { _id: 'a1', balance: 0, limits: { day: 1, month: 2 } }),
    );
    fake.requests.length = 0;

    await store.transaction(async (tx) => {
      await tx.get('accounts', 'a1');
      await tx.put('txns', { _id: 't1', amount: 5 });
      await tx.patch('accounts', 'a1', { balance: 5, limits: { day: 3 } });
      await tx.add('txns', { _id: 't2', amount: 6 });
      await tx.remove('txns', 't1');
    });

    expect(actions()).toEqual([
      'database.startTransaction',
      'database.getDocument', // get
      'database.modifyDocument', // put = doc(id).set()
      'database.getDocument', // patch: existence check…
      'database.modifyDocument', // …then doc(id).update() with _.set()
      'database.getDocument', // add: absence check…
      'database.insertDocument', // …then collection.add({_id, …})
      'database.removeDocument', // remove = doc(id).delete()
      'database.commitTransaction',
    ]);
    const txId = fake.requests[0].response.transactionId;
    expect(txId).toEqual(expect.any(String));
    for (const r of fake.requests.slice(1)) expect(r.transactionId).toBe(txId);
    for (const r of fake.requests.filter(
      (q) => DOC_LEVEL.has(q.action) && q.action !== 'database.insertDocument',
    )) {
      expect(r).toMatchObject({ queryType: 'DOC', multi: false });
      expect(Object.keys(r.query as Json)).toEqual(['_id']);
    }
    const [, , put, , patch, , insert, remove] = fake.requests;
    expect(put).toMatchObject({ collectionName: 'txns', query: { _id: 't1' }, merge: false, upsert: true });
    expect(put.data).toEqual({ amount: 5 }); // the whole document, without _id: a replace
    expect(patch).toMatchObject({
      collectionName: 'accounts',
      query: { _id: 'a1' },
      merge: true,
      upsert: false,
    });
    // Top-level $set of whole values: no dotted paths, so `limits` is replaced, not merged.
    expect(patch.data).toEqual({ $set: { balance: 5, limits: { day: 3 } } });
    expect(insert).toMatchObject({ collectionName: 'txns', data: [{ _id: 't2', amount: 6 }] });
    expect(remove).toMatchObject({ collectionName: 'txns', query: { _id: 't1' } });
    expect(fake.committed('accounts', 'a1')).toEqual({ _id: 'a1', balance: 5, limits: { day: 3 } });
    expect(fake.committed('txns', 't1')).toBeNull();
  });

  it('aborts the transaction, writing nothing, when fn throws', async () => {
    const boom = new Error('boom');
    await expect(
      store.transaction(async (tx) => {
        await tx.put('txns', { _id: 'x', amount: 1 });
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(actions()).toEqual([
      'database.startTransaction',
      'database.modifyDocument',
      'database.abortTransaction',
    ]);
    const txId = fake.requests[0].response.transactionId;
    expect(fake.requests[1].transactionId).toBe(txId);
    expect(fake.requests[2].transactionId).toBe(txId);
    expect(fake.committed('txns', 'x')).toBeNull();
  });

  it('aborts on NotFoundError (patch of a missing document) without sending the update', async () => {
    const err = await store
      .transaction((tx) => tx.patch('accounts', 'ghost', { balance: 1 }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(actions()).toEqual([
      'database.startTransaction',
      'database.getDocument',
      'database.abortTransaction',
    ]);
  });

  it('throws DuplicateError from the read inside the transaction, without sending a failing insert', async () => {
    await store.transaction((tx) => tx.add('txns', { _id: 'dup', amount: 1 }));
    fake.requests.length = 0;
    const err = await store
      .transaction((tx) => tx.add('txns', { _id: 'dup', amount: 2 }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DuplicateError);
    expect(actions()).toEqual([
      'database.startTransaction',
      'database.getDocument',
      'database.abortTransaction',
    ]);
    expect(fake.committed('txns', 'dup')).toEqual({ _id: 'dup', amount: 1 });
  });

  it("maps the server's duplicate-key refusal of an insert (a racing writer) to DuplicateError", async () => {
    fake.intercept = (r) =>
      r.action === 'database.insertDocument'
        ? {
            code: 'DATABASE_DUPLICATE_WRITE',
            message: 'E11000 duplicate key error collection: txns dup key: { _id: "race" }',
          }
        : undefined;
    const err = await store
      .transaction((tx) => tx.add('txns', { _id: 'race', amount: 1 }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DuplicateError);
    expect(actions()).toEqual([
      'database.startTransaction',
      'database.getDocument',
      'database.insertDocument',
      'database.abortTransaction',
    ]);
  });

  it('retries a write conflict through runTransaction, in a fresh transaction', async () => {
    await store.transaction((tx) => tx.put('accounts', { _id: 'c', value: 0 }));
    fake.requests.length = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let readA!: () => void;
    const aHasRead = new Promise<void>((resolve) => (readA = resolve));
    let attemptsA = 0;
    const increment = async (tx: Tx): Promise<number> => {
      const doc = await tx.get<Doc & { value: number }>('accounts', 'c');
      return doc!.value;
    };

    const a = store.transaction(async (tx) => {
      attemptsA++;
      const value = await increment(tx);
      if (attemptsA === 1) {
        readA();
        await gate; // B commits meanwhile: A's snapshot is now stale
      }
      await tx.patch('accounts', 'c', { value: value + 1 });
      return value + 1;
    });
    await aHasRead;
    const b = await store.transaction(async (tx) => {
      const value = await increment(tx);
      await tx.patch('accounts', 'c', { value: value + 1 });
      return value + 1;
    });
    release();
    expect(b).toBe(1);
    expect(await a).toBe(2);
    expect(attemptsA).toBe(2);
    expect(fake.committed('accounts', 'c')).toEqual({ _id: 'c', value: 2 });

    const conflicted = fake.requests.filter((r) => r.response.code === 'DATABASE_TRANSACTION_CONFLICT');
    expect(conflicted).toHaveLength(1);
    expect(conflicted[0].action).toBe('database.modifyDocument');
    const starts = fake.requests.filter((r) => r.action === 'database.startTransaction');
    const commits = fake.requests.filter((r) => r.action === 'database.commitTransaction');
    expect(starts).toHaveLength(3); // A, B, A again
    expect(commits).toHaveLength(2);
    expect(new Set(commits.map((r) => r.transactionId)).size).toBe(2);
    expect(commits.map((r) => r.transactionId)).not.toContain(conflicted[0].transactionId);
  });

  it('find issues one query action outside any transaction, equality only, ordered then by _id', async () => {
    await store.find(
      'accounts',
      { shard: 3, active: true, closedAt: null, name: '分付' },
      { orderBy: { field: 'createdAt', direction: 'desc' }, limit: 5, offset: 2 },
    );
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      action: 'database.getDocument',
      transactionId: undefined,
      collectionName: 'accounts',
      queryType: 'WHERE',
      query: { shard: 3, active: true, closedAt: null, name: '分付' },
      order: { createdAt: -1, _id: 1 },
      offset: 2,
      limit: 5,
    });
  });

  it('find pages through results larger than a page', async () => {
    const paged = storeFor(server, { pageSize: 2 });
    await paged.transaction(async (tx) => {
      for (let i = 0; i < 5; i++) await tx.put('txns', { _id: `p${i}`, openid: 'o', at: i });
    });
    fake.requests.length = 0;
    const all = await paged.find('txns', { openid: 'o' }, { orderBy: { field: 'at', direction: 'asc' } });
    expect(all.map((d) => d._id)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(fake.requests.map((r) => [r.action, r.offset, r.limit])).toEqual([
      ['database.getDocument', undefined, 2],
      ['database.getDocument', 2, 2],
      ['database.getDocument', 4, 2],
    ]);
    fake.requests.length = 0;
    const some = await paged.find(
      'txns',
      { openid: 'o' },
      { orderBy: { field: 'at', direction: 'desc' }, limit: 3, offset: 1 },
    );
    expect(some.map((d) => d._id)).toEqual(['p3', 'p2', 'p1']);
    expect(fake.requests.map((r) => [r.offset, r.limit])).toEqual([
      [1, 2],
      [3, 1],
    ]);
    await paged.close();
  });

  it('find reads on past a page a server capped at 100, and ends on a short page or an empty one', async () => {
    await store.transaction(async (tx) => {
      for (let i = 0; i < 250; i++)
        await tx.put('txns', { _id: `c${String(i).padStart(3, '0')}`, openid: 'cap' });
    });
    // A server that answers at most 100 a request, whatever limit was asked.
    fake.intercept = (r) => {
      if (r.action === 'database.getDocument' && r.queryType === 'WHERE' && (r.limit ?? 100) > 100)
        r.limit = 100;
      return undefined;
    };
    fake.requests.length = 0;
    expect(await store.find('txns', { openid: 'cap' })).toHaveLength(250);
    // 100, 100, then 50: short and not a whole hundred, so the end.
    expect(fake.requests.map((r) => r.offset ?? 0)).toEqual([0, 100, 200]);
    expect(await store.find('txns', { openid: 'cap' }, { limit: 200 })).toHaveLength(200);
    // 200 matches: the second 100 is short of the 1000 asked but a whole hundred, so one more (empty) read.
    await store.transaction(async (tx) => {
      for (let i = 200; i < 250; i++) await tx.remove('txns', `c${String(i).padStart(3, '0')}`);
    });
    fake.requests.length = 0;
    expect(await store.find('txns', { openid: 'cap' })).toHaveLength(200);
    expect(fake.requests.map((r) => r.offset ?? 0)).toEqual([0, 100, 200]);
  });

  it('refuses field names that could be paths or operators before anything is sent', async () => {
    await expect(store.find('accounts', { 'a.b': 1 })).rejects.toThrow(/bad field name/);
    await expect(store.find('accounts', { $where: 1 })).rejects.toThrow(/bad field name/);
    await store.transaction((tx) => tx.put('accounts', { _id: 'f', v: 1 }));
    fake.requests.length = 0;
    await expect(store.transaction((tx) => tx.patch('accounts', 'f', { 'x.y': 1 }))).rejects.toThrow(
      /bad field name/,
    );
    expect(actions()).not.toContain('database.modifyDocument');
  });
});

const ADAPTER = '../../cloudfunctions/src/adapters/cloudbase/cloudbaseStore';
type AdapterModule = typeof import('../../cloudfunctions/src/adapters/cloudbase/cloudbaseStore');

describe('createCloudbaseStore', () => {
  afterEach(() => {
    jest.dontMock('@cloudbase/node-sdk');
  });

  it('loads the SDK only when a store is created, and passes the options to tcb.init', () => {
    let loaded = 0;
    const configs: Json[] = [];
    jest.isolateModules(() => {
      jest.doMock('@cloudbase/node-sdk', () => {
        loaded++;
        return {
          SYMBOL_CURRENT_ENV: Symbol.for('SYMBOL_CURRENT_ENV'),
          init: (config: Json) => {
            configs.push(config);
            return { database: () => ({}) };
          },
        };
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const adapter = require(ADAPTER) as AdapterModule;
      expect(loaded).toBe(0);
      adapter.createCloudbaseStore({ env: 'e1', serviceUrl: 'http://127.0.0.1:1/admin', timeout: 5000 });
      adapter.createCloudbaseStore({ env: 'e2', secretId: 'id', secretKey: 'key' });
    });
    expect(loaded).toBe(1);
    expect(configs[0]).toEqual({ env: 'e1', serviceUrl: 'http://127.0.0.1:1/admin', timeout: 5000 });
    expect(configs[1]).toEqual({ env: 'e2', secretId: 'id', secretKey: 'key' });
  });
});

describeStoreContract(
  'CloudbaseStore through the real SDK and the wire fake',
  async () => {
    const server = await startFake();
    // A small page size so that `find` pages inside the contract too.
    return { store: storeFor(server, { pageSize: 7 }), dispose: () => server.close() };
  },
  { timeoutMs: 15_000 },
);
