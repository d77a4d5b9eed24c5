/**
 * The SQLite store's group commit: transactions that arrive while an fsync is in flight share one
 * SQLite commit, each in its own savepoint. Serial semantics hold (each sees the ones before it), a failing one
 * rolls back alone, and nothing is visible outside — nor any promise resolved — before the commit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../cloudfunctions/src/adapters/sqlite/sqliteStore';
import type { Doc } from '../../cloudfunctions/src/ports/store';

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenfu-group-'));
  store = new SqliteStore({ file: path.join(dir, 'fenfu.db') });
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Counter extends Doc {
  value: number;
}

it('a failing transaction among concurrent ones rolls back alone; the others commit', async () => {
  const boom = new Error('boom');
  const outcomes = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      store.transaction(async (tx) => {
        await tx.put('docs', { _id: `d${i}`, i });
        if (i === 4) throw boom;
        return i;
      }),
    ),
  );
  expect(outcomes[4]).toEqual({ status: 'rejected', reason: boom });
  expect(
    outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<number>).value),
  ).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9]);
  const ids = (await store.find('docs', {})).map((d) => d._id);
  expect(ids).toEqual(['d0', 'd1', 'd2', 'd3', 'd5', 'd6', 'd7', 'd8', 'd9']);
});

it('each transaction of a group sees the writes of the ones before it, none outside sees them before the commit', async () => {
  await store.transaction((tx) => tx.put<Counter>('counters', { _id: 'c', value: 0 }));
  const seenOutside: (number | null)[] = [];
  const results = await Promise.all(
    Array.from({ length: 5 }, () =>
      store.transaction(async (tx) => {
        const c = await tx.get<Counter>('counters', 'c');
        // The read connection sees committed data only: the group has not committed yet.
        seenOutside.push((await store.get<Counter>('counters', 'c'))?.value ?? null);
        await tx.put<Counter>('counters', { _id: 'c', value: (c?.value ?? 0) + 1 });
        return c?.value ?? 0;
      }),
    ),
  );
  expect(results).toEqual([0, 1, 2, 3, 4]);
  // The first commits at once (the disk is idle); the other four gather into one group while its
  // fsync runs, each seeing the writes before it, while outside only the first one's write shows.
  expect(seenOutside).toEqual([0, 1, 1, 1, 1]);
  expect((await store.get<Counter>('counters', 'c'))?.value).toBe(5);
});

it('a transaction resolves only once its writes are committed and visible to every reader', async () => {
  const other = new SqliteStore({ file: path.join(dir, 'fenfu.db') });
  try {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store
          .transaction((tx) => tx.put('docs', { _id: `v${i}` }))
          .then(async () => {
            // Another connection (another process, in effect) already sees it.
            expect(await other.get('docs', `v${i}`)).toEqual({ _id: `v${i}` });
          }),
      ),
    );
  } finally {
    await other.close();
  }
});

it('close waits for queued transactions, then refuses new ones', async () => {
  const pending = Array.from({ length: 5 }, (_, i) =>
    store.transaction((tx) => tx.put('docs', { _id: `p${i}` })),
  );
  await store.close();
  await Promise.all(pending);
  await expect(store.transaction(async () => 1)).rejects.toThrow('store is closed');
  store = new SqliteStore({ file: path.join(dir, 'fenfu.db') });
  expect((await store.find('docs', {})).map((d) => d._id)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
});
