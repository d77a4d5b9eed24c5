/**
 * SQLite adapter of the Store port (better-sqlite3): the embedded local default.
 * One table per collection holding JSON documents beside a column per indexed field (layout.ts),
 * WAL, and transactions serialised per database by a queue (better-sqlite3 is synchronous; our use
 * cases are async, so the queue brackets them).
 * Reads outside a transaction use a second connection so they only ever see committed data.
 *
 * Group commit: transactions run one after another inside one SQLite transaction, each in its own
 * SAVEPOINT (a failing one rolls back alone), and commit together: each still runs alone and sees
 * the ones before it, exactly as if serial; if the COMMIT fails, all of the group reject. A group
 * commits as soon as the disk is idle; while an fsync is in flight it gathers what arrives
 * (concurrent requests, the scheduler's accounts in flight) up to MAX_GROUP.
 *
 * Durability off the request thread: no transaction resolves before its COMMIT is on disk, but the
 * disk work does not run on the thread that serves requests. The COMMIT only writes the WAL
 * (`synchronous = NORMAL`); the WAL is then fsynced on libuv's thread pool, and a group resolves
 * when an fsync begun after its COMMIT completes (groups committed while one is in flight share the
 * next). The WAL's frames carry chained checksums, so after a power loss SQLite recovers a prefix of
 * the commits: everything acknowledged, perhaps some that were not. Checkpoints (copying the WAL
 * into the database file, two more fsyncs) run on a worker thread (checkpointer.ts). One window
 * remains: a read outside a transaction may see a commit in the millisecond before its fsync ends;
 * a power cut in that window loses a write its author was never told had succeeded.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { COLLECTIONS } from '../../ports/collections';
import {
  Condition,
  Doc,
  DuplicateError,
  FindOptions,
  NAME,
  NotFoundError,
  Range,
  rangeOf,
  Scalar,
  Store,
  Tx,
} from '../../ports/store';
import { Checkpointer } from './checkpointer';
import { columnNameOf, columnOf, keysOf, Layout, layoutOf } from './layout';

/** Most transactions one commit carries. */
const MAX_GROUP = 256;
const SQL_OPERATORS: Record<keyof Range, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };
/** Page cache per connection, KiB. */
const CACHE_KIB = 32 * 1024;

interface Job {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** A committed transaction waiting for the fsync that makes it durable. */
interface Committed {
  job: Job;
  value: unknown;
}

export interface SqliteStoreOptions {
  /** Database file; ':memory:' is refused because the read connection must see the same data. */
  file: string;
  /** WAL frames (pages) past which the writer waits for a checkpoint to restart the WAL. */
  walFramesLimit?: number;
}

/** 8,192 frames: a WAL of about 32 MB (SQLite's automatic checkpoint runs at 1,000). */
const WAL_FRAMES_LIMIT = 8192;
/**
 * Alone on its file, the writer's wait restarts the WAL. With a writer in another process (the shard
 * runner) it may not (that one committed meanwhile): the writer then waits again only after a pause
 * that doubles each time, up to this, until a checkpoint finds the WAL short again.
 */
const WAL_WAIT_BACKOFF_MAX_MS = 2000;
const WAL_WAIT_BACKOFF_MIN_MS = 50;

export class SqliteStore implements Store {
  /** Batch work may queue up to a group's worth of transactions: they commit together. */
  readonly concurrency = MAX_GROUP;
  private readonly db: Database.Database;
  private readonly reader: Database.Database;
  private readonly known = new Set<string>();
  /** Prepared statements by SQL, per connection (preparing costs more than running). */
  private readonly statements = new Map<string, Database.Statement>();
  private readonly readerStatements = new Map<string, Database.Statement>();
  /** Transactions waiting to run, and the drain running them (null when idle). */
  private readonly waiting: Job[] = [];
  private draining: Promise<void> | null = null;
  private closed = false;
  private readonly walFile: string;
  private walFd: number | null = null;
  /** Committed, waiting for the next fsync of the WAL; and the fsync in flight (null when none). */
  private unsynced: Committed[] = [];
  private syncing: Promise<void> | null = null;
  /** Set while the drain waits for an fsync to end or a transaction to arrive. */
  private wake: (() => void) | null = null;
  /** Set when an fsync failed: what is on disk is unknown, so the store takes no more writes. */
  private broken: Error | null = null;
  private checkpointer: Checkpointer | null = null;
  private readonly walFramesLimit: number;
  private lastWalWait = 0;
  private walWaitBackoff = 0;

  constructor(options: SqliteStoreOptions) {
    const file = path.resolve(options.file);
    this.walFramesLimit = options.walFramesLimit ?? WAL_FRAMES_LIMIT;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.walFile = `${file}-wal`;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // The COMMIT writes the WAL without syncing it; sync() does, off this thread (see the header).
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // Each grouped transaction is a SAVEPOINT, whose undo pages go to a sub-journal: in memory,
    // not a temporary file (it only ever holds the pages of the transaction running).
    this.db.pragma('temp_store = MEMORY');
    // A page cache that holds the b-trees' upper levels of a large store (default: 2 MB), so a
    // lookup costs about the same at a hundred thousand accounts as at ten thousand. A bound:
    // memory stays flat however large the store grows.
    this.db.pragma(`cache_size = -${CACHE_KIB}`);
    const declared = new Set<string>();
    for (const name of Object.keys(COLLECTIONS)) {
      this.ensure(name);
      this.addKeyColumns(name);
      const { table: t, indexes } = layoutOf(name);
      for (const { name: idx, columns } of indexes) {
        this.db.exec(`CREATE INDEX IF NOT EXISTS "${idx}" ON ${t} (${columns})`);
        declared.add(idx);
      }
    }
    // Indexes of earlier versions would still be written on every put: drop them. `idx_…` were on
    // json_extract expressions (before the key columns); an undeclared `ix_…` was retired.
    const ours = this.db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND (name LIKE 'idx\\_%' ESCAPE '\\' OR name LIKE 'ix\\_%' ESCAPE '\\')`,
      )
      .pluck()
      .all() as string[];
    for (const idx of ours) if (!declared.has(idx)) this.db.exec(`DROP INDEX IF EXISTS "${idx}"`);
    this.reader = new Database(file, { readonly: true });
    this.reader.pragma('busy_timeout = 5000');
    this.reader.pragma(`cache_size = -${CACHE_KIB}`);
    // Checkpoints move to their own thread; should it fail, this connection takes them back.
    this.db.pragma('wal_autocheckpoint = 0');
    this.checkpointer = new Checkpointer(file, (err) => {
      this.checkpointer = null;
      if (!this.closed) this.db.pragma('wal_autocheckpoint = 1000');
      console.error(`[sqlite] ${err.message}; checkpoints are taken on commit again`);
    });
  }

  /** Create the collection's table on first use (collections outside COLLECTIONS are allowed for tests). */
  private ensure(collection: string): Layout {
    const layout = layoutOf(collection);
    if (!this.known.has(collection)) {
      this.db.exec(layout.create);
      // Inside a transaction the CREATE belongs to it and a rollback undoes it: only remember
      // tables created outside one.
      if (!this.db.inTransaction) this.known.add(collection);
    }
    return layout;
  }

  /**
   * A table made by a version before the key columns (documents only, indexes on json_extract):
   * add the columns and fill them from the documents, once, in one transaction.
   */
  private addKeyColumns(collection: string): void {
    const { table: t, fields } = layoutOf(collection);
    const missing = () => {
      const have = new Set(
        (this.db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name),
      );
      return fields.filter((f) => !have.has(columnNameOf(f)));
    };
    if (missing().length === 0) return;
    this.db
      .transaction(() => {
        // Again under the write lock: another process opening the same file may have done it.
        const adding = missing();
        if (adding.length === 0) return;
        for (const f of adding) this.db.exec(`ALTER TABLE ${t} ADD COLUMN ${columnOf(f)}`);
        this.db.exec(
          `UPDATE ${t} SET ${adding.map((f) => `${columnOf(f)} = json_extract(data, '$.${f}')`).join(', ')}`,
        );
      })
      .immediate();
  }

  /**
   * For the read connection: the collection's table, or null while it does not exist. Never
   * creates it: the write connection may be inside a transaction, which the CREATE would join.
   */
  private existing(collection: string): Layout | null {
    const layout = layoutOf(collection);
    if (this.known.has(collection)) return layout;
    const found = this.reader
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
      .get(layout.name);
    if (!found) return null;
    this.known.add(collection); // committed, so both connections have it for good
    return layout;
  }

  /** A cached prepared statement of the write connection. */
  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** A cached prepared statement of the read connection. */
  private prepareRead(sql: string): Database.Statement {
    let statement = this.readerStatements.get(sql);
    if (!statement) {
      statement = this.reader.prepare(sql);
      this.readerStatements.set(sql, statement);
    }
    return statement;
  }

  async transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R> {
    if (this.closed) throw new Error('store is closed');
    if (this.broken) throw this.broken;
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      this.wake?.();
      this.kick();
    });
  }

  /** Start the drain unless it runs. A drain that ends as a transaction arrives (one rejected by
   * the last job woke its caller first) hands over to a new one. */
  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.waiting.length > 0) this.kick();
    });
  }

  /**
   * Run the waiting transactions in order, committing them in groups (see the header). A group
   * commits as soon as the disk is idle, so its fsync overlaps the transactions that follow; while
   * an fsync is in flight the group stays open and gathers every transaction that arrives, and
   * commits when the queue is empty and the fsync has ended (or at MAX_GROUP).
   */
  private async drain(): Promise<void> {
    await Promise.resolve(); // never run fn inside the caller's own call stack
    const group: Committed[] = [];
    for (;;) {
      const job = this.waiting.shift();
      if (!job) {
        if (group.length === 0) {
          // Only failed transactions since the last commit: nothing to keep.
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          return;
        }
        if (!this.syncing) {
          this.commit(group);
          continue;
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = null;
        continue;
      }
      const walWait = this.db.inTransaction ? null : this.walWait();
      if (walWait) await walWait;
      if (this.closed || this.broken) {
        job.reject(this.broken ?? new Error('store is closed'));
        continue;
      }
      const tx = this.makeTx();
      try {
        if (!this.db.inTransaction) this.prepare('BEGIN IMMEDIATE').run();
        this.prepare('SAVEPOINT tx').run();
      } catch (err) {
        tx.done = true;
        job.reject(err);
        this.failGroup(group, err);
        continue;
      }
      try {
        const value = await job.fn(tx);
        tx.done = true;
        this.prepare('RELEASE tx').run();
        group.push({ job, value });
      } catch (err) {
        tx.done = true;
        job.reject(err);
        if (this.db.inTransaction) {
          this.prepare('ROLLBACK TO tx').run();
          this.prepare('RELEASE tx').run();
        } else {
          // SQLite rolled the whole transaction back (an I/O error, a full disk): the group is lost.
          this.failGroup(group, err);
          continue;
        }
      }
      if (group.length > 0 && (!this.syncing || group.length >= MAX_GROUP)) this.commit(group);
    }
  }

  /**
   * Between groups: once the WAL has grown past its limit, the wait for a checkpoint that lets the
   * next transaction restart it (see checkpointer.ts); null when there is nothing to wait for.
   */
  private walWait(): Promise<void> | null {
    const checkpointer = this.checkpointer;
    const frames = checkpointer?.walFrames() ?? null; // null until a checkpoint has counted them
    if (!checkpointer || frames === null) return null;
    if (frames <= this.walFramesLimit) {
      this.walWaitBackoff = 0;
      return null;
    }
    if (Date.now() - this.lastWalWait < this.walWaitBackoff) return null;
    return checkpointer.caughtUp().then(() => {
      this.lastWalWait = Date.now();
      this.walWaitBackoff = Math.min(
        WAL_WAIT_BACKOFF_MAX_MS,
        Math.max(WAL_WAIT_BACKOFF_MIN_MS, this.walWaitBackoff * 2),
      );
    });
  }

  private commit(group: Committed[]): void {
    if (this.broken) {
      // A group begun before an fsync failed read what that fsync could not make durable: it
      // must not commit (a later fsync succeeding proves nothing about the earlier pages).
      this.failGroup(group, this.broken);
      return;
    }
    const members = group.splice(0);
    if (!this.db.inTransaction) {
      for (const m of members) m.job.reject(new Error('transaction was rolled back'));
      return;
    }
    try {
      this.prepare('COMMIT').run();
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const m of members) m.job.reject(err);
      return;
    }
    this.checkpointer?.committed();
    this.unsynced.push(...members);
    if (!this.syncing) this.sync();
  }

  /**
   * fsync the WAL on the thread pool, then resolve every transaction committed before it began.
   * Those committed meanwhile wait for the next round, which starts when this one ends.
   */
  private sync(): void {
    const members = this.unsynced.splice(0);
    let fd: number;
    try {
      fd = this.walDescriptor();
    } catch (err) {
      this.fail(members, err);
      return;
    }
    this.syncing = new Promise<void>((resolve) => {
      fs.fsync(fd, (err) => {
        if (err) this.fail(members, err);
        else for (const m of members) m.job.resolve(m.value);
        this.syncing = null;
        if (this.unsynced.length > 0) this.sync();
        resolve();
        this.wake?.();
      });
    });
  }

  /**
   * A failed fsync leaves what reached the disk unknown (and the kernel may have dropped the dirty
   * pages): fail every waiting transaction and refuse further writes. Restarting recovers whatever
   * the WAL holds, a prefix of the commits.
   */
  private fail(members: Committed[], err: unknown): void {
    this.broken ??= new Error(`the database could not be synced to disk: ${String(err)}`);
    for (const m of [...members, ...this.unsynced.splice(0)]) m.job.reject(this.broken);
  }

  /**
   * The WAL's file descriptor, opened on first use (SQLite creates the WAL with the first read or
   * write and keeps it while a connection is open). Never the database file itself: closing a
   * descriptor of a file drops every POSIX lock the process holds on it, SQLite's included.
   * Opened for writing (nothing is written) because Windows flushes only writable handles.
   * Its directory entry is synced once, so the file itself survives a power loss.
   */
  private walDescriptor(): number {
    if (this.walFd === null) {
      this.walFd = fs.openSync(this.walFile, 'r+');
      syncDirectory(path.dirname(this.walFile));
    }
    return this.walFd;
  }

  private failGroup(group: Committed[], err: unknown): void {
    for (const m of group.splice(0)) m.job.reject(err);
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  private makeTx(): Tx & { done: boolean } {
    const prepare = (sql: string) => this.prepare(sql);
    const ensure = (c: string) => this.ensure(c);
    // A document whose keys keep their values is rewritten in place, its index entries untouched;
    // otherwise (a key changed, or a new row) the row is replaced, index entries with it.
    const write = (layout: Layout, doc: Doc) => {
      const data = JSON.stringify(doc);
      const keys = keysOf(layout, doc);
      if (keys.length > 0 && prepare(layout.update).run(data, doc._id, ...keys).changes === 1) return;
      prepare(layout.upsert).run(doc._id, data, ...keys);
    };
    const tx = {
      done: false,
      check(): void {
        if (tx.done) throw new Error('transaction already finished');
      },
      async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
        tx.check();
        const row = prepare(ensure(collection).get).get(id) as { data: string } | undefined;
        return row ? (JSON.parse(row.data) as T) : null;
      },
      async put<T extends Doc>(collection: string, doc: T): Promise<void> {
        tx.check();
        write(ensure(collection), doc);
      },
      async patch(collection: string, id: string, fields: Record<string, unknown>): Promise<void> {
        tx.check();
        const layout = ensure(collection);
        // The names the cloud adapter can update (no dotted paths, no operators), so both refuse alike.
        for (const field of Object.keys(fields))
          if (!NAME.test(field)) throw new Error(`bad field name: ${field}`);
        const row = prepare(layout.get).get(id) as { data: string } | undefined;
        if (!row) throw new NotFoundError(collection, id);
        write(layout, { ...(JSON.parse(row.data) as Doc), ...fields, _id: id });
      },
      async add<T extends Doc>(collection: string, doc: T): Promise<void> {
        tx.check();
        const layout = ensure(collection);
        const info = prepare(layout.insert).run(doc._id, JSON.stringify(doc), ...keysOf(layout, doc));
        if (info.changes === 0) throw new DuplicateError(collection, doc._id);
      },
      async remove(collection: string, id: string): Promise<void> {
        tx.check();
        prepare(ensure(collection).remove).run(id);
      },
    };
    return tx;
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const layout = this.existing(collection);
    if (layout === null) return null;
    const row = this.prepareRead(layout.get).get(id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as T) : null;
  }

  async find<T extends Doc>(
    collection: string,
    where: Record<string, Condition>,
    options: FindOptions = {},
  ): Promise<T[]> {
    const clauses: string[] = [];
    const params: (string | number | null)[] = [];
    const { fields } = layoutOf(collection);
    // A field the collection is indexed by is read from its column (which holds the same value).
    const valueOf = (field: string) => {
      if (!NAME.test(field)) throw new Error(`bad field name: ${field}`);
      return fields.includes(field) ? columnOf(field) : `json_extract(data, '$.${field}')`;
    };
    for (const [field, condition] of Object.entries(where)) {
      const path = valueOf(field);
      // json_extract turns true/false into 1/0 and objects into their JSON text, so the JSON type
      // is checked too: true never matches 1, nor '{"a":1}' an object (as in CloudBase), and a
      // range bound matches values of its own type only.
      const ofType = (value: string | number | boolean) =>
        `json_type(data, '$.${field}') IN (${jsonTypes(value)})`;
      const range = rangeOf(field, condition);
      if (range) {
        const bounds = Object.entries(range) as [keyof Range, string | number][];
        clauses.push(ofType(bounds[0]![1]));
        for (const [op, bound] of bounds) {
          clauses.push(`${path} ${SQL_OPERATORS[op]} ?`);
          params.push(bound);
        }
      } else if (condition === null) {
        clauses.push(`${path} IS NULL`);
      } else {
        const value = condition as Exclude<Scalar, null>;
        clauses.push(`${path} = ? AND ${ofType(value)}`);
        params.push(typeof value === 'boolean' ? (value ? 1 : 0) : value);
      }
    }
    const { limit, offset } = options;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0))
      throw new Error(`bad limit: ${limit}`);
    if (offset !== undefined && !(Number.isInteger(offset) && offset >= 0))
      throw new Error(`bad offset: ${offset}`);
    const order = options.orderBy
      ? `${valueOf(options.orderBy.field)} ${options.orderBy.direction === 'desc' ? 'DESC' : 'ASC'}, id`
      : 'id';
    // Checked before the collection, so a bad query fails alike whether or not it has documents.
    const layout = this.existing(collection);
    if (layout === null) return [];
    let sql = `SELECT data FROM ${layout.table}`;
    if (clauses.length > 0) sql += ` WHERE ${clauses.join(' AND ')}`;
    sql += ` ORDER BY ${order}`;
    if (options.limit !== undefined || options.offset !== undefined) {
      sql += ' LIMIT ? OFFSET ?';
      params.push(options.limit ?? -1, options.offset ?? 0);
    }
    const rows = this.prepareRead(sql).all(...params) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as T);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    while (this.draining) await this.draining;
    this.closed = true;
    while (this.syncing) await this.syncing;
    await this.checkpointer?.stop();
    this.checkpointer = null;
    this.reader.close();
    // The last connection to close checkpoints and removes the WAL.
    this.db.close();
    if (this.walFd !== null) fs.closeSync(this.walFd);
  }
}

/** SQLite's json_type names for a value's JSON type: 'true'/'false', 'integer'/'real', 'text'. */
function jsonTypes(value: string | number | boolean): string {
  if (typeof value === 'boolean') return `'${value}'`;
  return typeof value === 'number' ? `'integer', 'real'` : `'text'`;
}

/**
 * fsync a directory, where the platform can: Windows cannot open one, and some filesystems refuse
 * it; SQLite's own directory sync ignores those failures too.
 */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // Not supported here (e.g. EINVAL on some network filesystems): nothing more can be done.
  } finally {
    fs.closeSync(fd);
  }
}
