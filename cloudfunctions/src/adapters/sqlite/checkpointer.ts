/**
 * WAL checkpoints on a thread of their own. A checkpoint copies the WAL's pages into the database
 * file and syncs both: milliseconds of I/O that SQLite's automatic checkpoint would spend on the
 * committing connection, that is on the thread serving requests. Here a worker thread with its own
 * connection runs PASSIVE checkpoints (they never block the writer) after commits, at most every
 * INTERVAL_MS, so the WAL stays about as short as with the automatic checkpoint.
 *
 * The worker is plain JavaScript evaluated from a string: it must load under tsx, ts-jest and the
 * esbuild bundles alike, and it needs nothing but the SQLite driver, resolved by the caller.
 */
import { Worker } from 'node:worker_threads';

/** Least time between two checkpoints while commits keep coming. */
const INTERVAL_MS = 50;

// Slot 0: commits so far (the writer bumps it); slot 1: 1 once the worker must stop; slot 2: what
// the worker sleeps on between checkpoints (stop wakes it).
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
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
  if (Atomics.load(signal, 1) === 1) break;
  Atomics.wait(signal, 2, 0, workerData.intervalMs);
}
db.close();
`;

export class Checkpointer {
  private readonly signal = new Int32Array(new SharedArrayBuffer(12));
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
