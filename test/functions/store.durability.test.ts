/**
 * The SQLite store's durability off the request thread: a transaction is acknowledged only after
 * an fsync of the WAL begun after its COMMIT; a failed fsync fails the waiting transactions and
 * stops the store taking writes; checkpoints run on their own thread, and the WAL stays bounded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Checkpointer } from '../../cloudfunctions/src/adapters/sqlite/checkpointer';
import { SqliteStore } from '../../cloudfunctions/src/adapters/sqlite/sqliteStore';

type FsyncCallback = (err: NodeJS.ErrnoException | null) => void;

let dir: string;
let file: string;
let store: SqliteStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fenfu-durable-'));
  file = path.join(dir, 'fenfu.db');
  store = new SqliteStore({ file });
});
afterEach(async () => {
  jest.restoreAllMocks();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Hold every fsync of the WAL until released, recording the order of events. */
function holdFsyncs() {
  const held: { fd: number; done: FsyncCallback }[] = [];
  const realFsync = fs.fsync.bind(fs);
  jest.spyOn(fs, 'fsync').mockImplementation(((fd: number, done: FsyncCallback) => {
    held.push({ fd, done });
  }) as typeof fs.fsync);
  return {
    held,
    /** Run the oldest held fsync for real (or fail it with `err`). */
    release(err?: NodeJS.ErrnoException) {
      const next = held.shift();
      if (!next) throw new Error('no fsync is waiting');
      if (err) next.done(err);
      else realFsync(next.fd, next.done);
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

it('a transaction resolves only after an fsync of the WAL that began after its COMMIT', async () => {
  await store.transaction((tx) => tx.put('docs', { _id: 'warm' })); // the WAL exists, its fd is open
  const fsyncs = holdFsyncs();
  let resolved = false;
  const first = store.transaction((tx) => tx.put('docs', { _id: 'a', n: 1 })).then(() => (resolved = true));
  await tick();
  // Committed (another connection already reads it) but not yet acknowledged: no fsync has run.
  expect(fsyncs.held).toHaveLength(1);
  expect(
    new Database(file, { readonly: true }).prepare(`SELECT id FROM c_docs WHERE id = 'a'`).get(),
  ).toEqual({
    id: 'a',
  });
  expect(resolved).toBe(false);

  // Committed while that fsync is in flight: it must wait for the next one, not ride on this one.
  let secondResolved = false;
  const second = store
    .transaction((tx) => tx.put('docs', { _id: 'b', n: 2 }))
    .then(() => (secondResolved = true));
  await tick();
  await tick();
  fsyncs.release();
  await first;
  expect(resolved).toBe(true);
  expect(secondResolved).toBe(false);
  await tick();
  expect(fsyncs.held).toHaveLength(1); // the second fsync starts once the first has ended
  fsyncs.release();
  await second;
  expect(secondResolved).toBe(true);
});

it('a failed fsync fails the transactions waiting on it, and the store takes no more writes', async () => {
  await store.transaction((tx) => tx.put('docs', { _id: 'warm' }));
  const fsyncs = holdFsyncs();
  const waiting = store.transaction((tx) => tx.put('docs', { _id: 'lost?' }));
  await tick();
  fsyncs.release(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
  await expect(waiting).rejects.toThrow(
    'the database could not be synced to disk: Error: EIO: i/o error, fsync',
  );
  await expect(store.transaction((tx) => tx.put('docs', { _id: 'after' }))).rejects.toThrow(
    'could not be synced to disk',
  );
  // Reading goes on: what is on disk is what a restart would recover.
  expect(await store.get('docs', 'warm')).toEqual({ _id: 'warm' });
});

it('a group gathered while the failed fsync was in flight never commits', async () => {
  await store.transaction((tx) => tx.put('docs', { _id: 'warm' }));
  const fsyncs = holdFsyncs();
  const first = store.transaction((tx) => tx.put('docs', { _id: 'first' }));
  await tick();
  // Runs while the first one's fsync is in flight: it reads the first one's write, and waits.
  const second = store.transaction(async (tx) => {
    expect(await tx.get('docs', 'first')).toEqual({ _id: 'first' });
    await tx.put('docs', { _id: 'second' });
  });
  await tick();
  fsyncs.release(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
  await expect(first).rejects.toThrow('could not be synced');
  await expect(second).rejects.toThrow('could not be synced');
  expect(await store.get('docs', 'second')).toBeNull();
  expect(fsyncs.held).toHaveLength(0);
});

it('concurrent transactions share fsyncs: a burst of 200 commits needs far fewer than 200', async () => {
  await store.transaction((tx) => tx.put('docs', { _id: 'warm' }));
  const spy = jest.spyOn(fs, 'fsync');
  await Promise.all(
    Array.from({ length: 200 }, (_, i) => store.transaction((tx) => tx.put('docs', { _id: `d${i}` }))),
  );
  expect(spy.mock.calls.length).toBeGreaterThan(0);
  expect(spy.mock.calls.length).toBeLessThan(20);
  expect(await store.find('docs', {})).toHaveLength(201);
});

it('checkpoints run on their own thread: the database file takes the WAL in while writes go on', async () => {
  const dbSize = () => fs.statSync(file).size;
  const before = dbSize();
  const body = 'x'.repeat(2000);
  for (let round = 0; round < 20; round += 1) {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.transaction((tx) => tx.put('docs', { _id: `r${round}-${i}`, body })),
      ),
    );
  }
  // The writing connection never checkpoints (wal_autocheckpoint = 0); the worker does.
  const deadline = Date.now() + 5000;
  while (dbSize() < before + 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(dbSize()).toBeGreaterThan(before + 1_000_000);
  expect(await store.find('docs', {})).toHaveLength(1000);
});

it('a checkpointer that cannot open the database reports it, so the writer takes checkpoints back', async () => {
  const failure = await new Promise<Error>((resolve) => {
    new Checkpointer(path.join(dir, 'missing', 'nothing.db'), resolve);
  });
  expect(failure.message).toMatch(/checkpoint/);
});

it('under a steady stream of commits the WAL stays bounded: past its limit it is written from the start again', async () => {
  await store.close();
  store = new SqliteStore({ file, walFramesLimit: 200 });
  const body = 'x'.repeat(3000); // a page and an overflow page per document: 4,000 frames at least
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < 4000) {
        const id = `s${next++}`;
        await store.transaction((tx) => tx.put('docs', { _id: id, body }));
      }
    }),
  );
  // Unbounded, the WAL holds every frame written (about 30 MB); here the limit, plus what is
  // committed between two checkpoints (5.5 MB in all, measured).
  expect(fs.statSync(`${file}-wal`).size).toBeLessThan(10_000_000);
  await store.close();
  store = new SqliteStore({ file });
  expect(await store.find('docs', {})).toHaveLength(4000);
});
