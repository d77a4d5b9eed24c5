/**
 * WAL checkpoints on a thread of their own. A checkpoint copies the WAL's pages into the database
 * file and syncs both: milliseconds of I/O that SQLite's automatic checkpoint would spend on the
 * committing connection, that is on the thread serving requests. Here a worker thread with its own
 * connection runs PASSIVE checkpoints (they never block the writer) after commits, at most every
 * INTERVAL_MS.
 *
 * Copying is not enough to keep the WAL short: SQLite starts writing it from the beginning again
 * only when a write transaction begins while every frame has been copied. Under a steady stream of
 * commits that moment never comes (the checkpoint always trails the last commit), and the WAL grew
 * without bound: 570 MB beside a 15 MB database after 15,000 spends. So once the WAL is longer
 * than the store's limit, the writer waits before its next transaction for a checkpoint that
 * copies everything (`caughtUp`), and that transaction restarts the WAL.
 *
 * The worker is plain JavaScript evaluated from a string: it must load under tsx, ts-jest and the
 * esbuild bundles alike, and it needs nothing but the SQLite driver, resolved by the caller.
 */
import { Worker } from 'node:worker_threads';

/** Least time between two checkpoints while commits keep coming. */
const INTERVAL_MS = 50;
/** Longest the writer waits for a checkpoint to catch up: past it, the WAL restarts another time. */
const CATCH_UP_WAIT_MS = 200;

// Atomics.waitAsync (Node ≥ 16) is not in the ES2022 lib.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      a: Int32Array,
      index: number,
      value: number,
      timeoutMs: number,
    ): { value: Promise<string> | string };
  }
).waitAsync;

// Slot 0: commits so far (the writer bumps it); slot 1: 1 once the worker must stop; slot 2: what
// the worker sleeps on between checkpoints (stop wakes it); slot 3: frames in the WAL at the last
// checkpoint (-1: unknown); slot 4: commits the last complete checkpoint copied (all of slot 0
// when it began); slot 5: 1 while the writer waits for one (the worker skips its interval).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const signal = new Int32Array(workerData.signal);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
// NORMAL: a checkpoint syncs the WAL before copying and the database file after, before the WAL
// may be reused, so nothing committed and synced is ever lost to a checkpoint.
db.pragma('synchronous = NORMAL');
let seen = 0;
for (;;) {
  Atomics.wait(signal, 0, seen);
  if (Atomics.load(signal, 1) === 1) break;
  seen = Atomics.load(signal, 0);
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    Atomics.store(signal, 3, r.log);
    if (r.busy === 0 && r.checkpointed === r.log) {
      Atomics.store(signal, 4, seen);
      Atomics.notify(signal, 4);
    }
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
  if (Atomics.load(signal, 1) === 1) break;
  if (Atomics.load(signal, 5) === 0) Atomics.wait(signal, 2, 0, workerData.intervalMs);
}
db.close();
`;

export class Checkpointer {
  private readonly signal = new Int32Array(new SharedArrayBuffer(6 * 4));
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private alive = true;

  /**
   * @param file the database file
   * @param onFailure called once if the worker dies or a checkpoint fails, so the writer can take
   *   checkpoints back (the WAL must not grow without bound)
   */
  constructor(file: string, onFailure: (err: Error) => void) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3'),
        file,
        signal: this.signal.buffer,
        intervalMs: INTERVAL_MS,
      },
    });
    // Never what keeps a process alive: close() stops it, and a crash loses nothing it holds.
    this.worker.unref();
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      onFailure(err);
      // The writer checkpoints from now on; a worker left running would only duplicate it.
      void this.stop();
    };
    this.worker.on('message', (m: { error?: string }) => {
      if (m.error) fail(new Error(`WAL checkpoint failed: ${m.error}`));
    });
    this.worker.on('error', (err) => fail(new Error(`checkpoint worker failed: ${err.message}`)));
    this.exited = new Promise<void>((resolve) => {
      this.worker.on('exit', (code) => {
        this.alive = false;
        if (Atomics.load(this.signal, 1) !== 1) fail(new Error(`checkpoint worker exited (${code})`));
        resolve();
      });
    });
  }

  /** A commit happened: the worker checkpoints soon (a futex wake only while it waits). */
  committed(): void {
    Atomics.add(this.signal, 0, 1);
    Atomics.notify(this.signal, 0);
  }

  /** Frames the WAL held at the last checkpoint; null while none has counted them. */
  walFrames(): number | null {
    const frames = Atomics.load(this.signal, 3);
    return frames < 0 ? null : frames;
  }

  /**
   * Resolves once a checkpoint has copied every commit made so far, so the next write transaction
   * restarts the WAL; or after CATCH_UP_WAIT_MS (a reader in another process may hold the WAL).
   */
  async caughtUp(): Promise<void> {
    // A nudge counts as a commit: the worker wakes from its interval and checkpoints at once.
    Atomics.store(this.signal, 5, 1);
    const target = Atomics.add(this.signal, 0, 1);
    Atomics.notify(this.signal, 0);
    Atomics.notify(this.signal, 2);
    const deadline = Date.now() + CATCH_UP_WAIT_MS;
    for (;;) {
      const copied = Atomics.load(this.signal, 4);
      const left = deadline - Date.now();
      if (copied >= target || left <= 0 || !this.alive || Atomics.load(this.signal, 1) === 1) break;
      await waitAsync(this.signal, 4, copied, left).value;
    }
    Atomics.store(this.signal, 5, 0);
    // The count is stale (the next transaction restarts the WAL) until a checkpoint reports anew.
    Atomics.store(this.signal, 3, -1);
  }

  async stop(): Promise<void> {
    Atomics.store(this.signal, 1, 1);
    Atomics.add(this.signal, 0, 1);
    Atomics.notify(this.signal, 0);
    Atomics.notify(this.signal, 2);
    // Waiting for it to end must keep the process alive until it has (it was unref'd).
    this.worker.ref();
    if (this.alive) await this.exited;
  }
}
