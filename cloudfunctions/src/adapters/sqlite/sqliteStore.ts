/**
 * SQLite adapter of the Store port (better-sqlite3): the embedded local default.
 * One table per collection holding JSON documents, WAL with synchronous commits so an
 * acknowledged write survives a crash, and transactions serialised per database by a queue
 * (better-sqlite3 is synchronous; our use cases are async, so the queue brackets them).
 * Reads outside a transaction use a second connection so they only ever see committed data.
 *
 * Group commit: a commit costs an fsync (about a millisecond here), far more than a transaction's
 * own work. So transactions queued while one runs (concurrent requests, or the scheduler's
 * accounts in flight) run one after another inside the same SQLite transaction, each in its own
 * SAVEPOINT (a failing one rolls back alone), and commit together with one fsync once the queue
 * is empty (after one turn of the event loop, so concurrent callers can join) or holds
 * MAX_GROUP. Each still runs alone and sees the ones before it, exactly as if serial, and none
 * resolves before the COMMIT is durable; if the COMMIT fails, every one of the group rejects.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { COLLECTIONS } from '../../ports/collections';
import { Doc, DuplicateError, FindOptions, NotFoundError, Scalar, Store, Tx } from '../../ports/store';

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Most transactions one commit carries. */
const MAX_GROUP = 256;
/** Page cache per connection, KiB. */
const CACHE_KIB = 32 * 1024;

interface Job {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export interface SqliteStoreOptions {
  /** Database file; ':memory:' is refused because the read connection must see the same data. */
  file: string;
}

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

  constructor(options: SqliteStoreOptions) {
    fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    // Each grouped transaction is a SAVEPOINT, whose undo pages go to a sub-journal: in memory,
    // not a temporary file (it only ever holds the pages of the transaction running).
    this.db.pragma('temp_store = MEMORY');
    // A page cache that holds the b-trees' upper levels of a large store (default: 2 MB), so a
    // lookup costs about the same at a hundred thousand accounts as at ten thousand. A bound:
    // memory stays flat however large the store grows.
    this.db.pragma(`cache_size = -${CACHE_KIB}`);
    for (const name of Object.keys(COLLECTIONS) as (keyof typeof COLLECTIONS)[]) {
      this.ensure(name);
      for (const fields of COLLECTIONS[name].indexes) {
        const idx = `idx_${name}_${fields.join('_')}`;
        const cols = fields.map((f) => `json_extract(data, '$.${f}')`).join(', ');
        this.db.exec(`CREATE INDEX IF NOT EXISTS "${idx}" ON "${table(name)}" (${cols})`);
      }
    }
    this.reader = new Database(options.file, { readonly: true });
    this.reader.pragma('busy_timeout = 5000');
    this.reader.pragma(`cache_size = -${CACHE_KIB}`);
  }

  /** Create the collection's table on first use (collections outside COLLECTIONS are allowed for tests). */
  private ensure(collection: string): string {
    if (!NAME.test(collection)) throw new Error(`bad collection name: ${collection}`);
    if (!this.known.has(collection)) {
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS "${table(collection)}" (id TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID`,
      );
      // Inside a transaction the CREATE belongs to it and a rollback undoes it: only remember
      // tables created outside one.
      if (!this.db.inTransaction) this.known.add(collection);
    }
    return table(collection);
  }

  /**
   * For the read connection: the collection's table, or null while it does not exist. Never
   * creates it: the write connection may be inside a transaction, which the CREATE would join.
   */
  private existing(collection: string): string | null {
    if (!NAME.test(collection)) throw new Error(`bad collection name: ${collection}`);
    if (this.known.has(collection)) return table(collection);
    const found = this.reader
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
      .get(table(collection));
    if (!found) return null;
    this.known.add(collection); // committed, so both connections have it for good
    return table(collection);
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
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) {
        this.draining = this.drain().finally(() => {
          this.draining = null;
        });
      }
    });
  }

  /** Run the waiting transactions in order, committing them in groups (see the header). */
  private async drain(): Promise<void> {
    await Promise.resolve(); // never run fn inside the caller's own call stack
    const group: { job: Job; value: unknown }[] = [];
    while (this.waiting.length > 0) {
      const job = this.waiting.shift() as Job;
      if (this.closed) {
        job.reject(new Error('store is closed'));
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
      if (this.waiting.length === 0 && group.length < MAX_GROUP) {
        // One turn of the event loop: transactions begun by other callbacks join this commit.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (this.waiting.length === 0 || group.length >= MAX_GROUP) this.commit(group);
    }
  }

  private commit(group: { job: Job; value: unknown }[]): void {
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
    for (const m of members) m.job.resolve(m.value);
  }

  private failGroup(group: { job: Job; value: unknown }[], err: unknown): void {
    for (const m of group.splice(0)) m.job.reject(err);
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  private makeTx(): Tx & { done: boolean } {
    const prepare = (sql: string) => this.prepare(sql);
    const ensure = (c: string) => this.ensure(c);
    const tx = {
      done: false,
      check(): void {
        if (tx.done) throw new Error('transaction already finished');
      },
      async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
        tx.check();
        const row = prepare(`SELECT data FROM "${ensure(collection)}" WHERE id = ?`).get(id) as
          { data: string } | undefined;
        return row ? (JSON.parse(row.data) as T) : null;
      },
      async put<T extends Doc>(collection: string, doc: T): Promise<void> {
        tx.check();
        prepare(`INSERT OR REPLACE INTO "${ensure(collection)}" (id, data) VALUES (?, ?)`).run(
          doc._id,
          JSON.stringify(doc),
        );
      },
      async patch(collection: string, id: string, fields: Record<string, unknown>): Promise<void> {
        tx.check();
        const t = ensure(collection);
        const row = prepare(`SELECT data FROM "${t}" WHERE id = ?`).get(id) as { data: string } | undefined;
        if (!row) throw new NotFoundError(collection, id);
        const merged = { ...(JSON.parse(row.data) as Doc), ...fields, _id: id };
        prepare(`UPDATE "${t}" SET data = ? WHERE id = ?`).run(JSON.stringify(merged), id);
      },
      async add<T extends Doc>(collection: string, doc: T): Promise<void> {
        tx.check();
        const info = prepare(`INSERT OR IGNORE INTO "${ensure(collection)}" (id, data) VALUES (?, ?)`).run(
          doc._id,
          JSON.stringify(doc),
        );
        if (info.changes === 0) throw new DuplicateError(collection, doc._id);
      },
      async remove(collection: string, id: string): Promise<void> {
        tx.check();
        prepare(`DELETE FROM "${ensure(collection)}" WHERE id = ?`).run(id);
      },
    };
    return tx;
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const t = this.existing(collection);
    if (t === null) return null;
    const row = this.prepareRead(`SELECT data FROM "${t}" WHERE id = ?`).get(id) as
      { data: string } | undefined;
    return row ? (JSON.parse(row.data) as T) : null;
  }

  async find<T extends Doc>(
    collection: string,
    where: Record<string, Scalar>,
    options: FindOptions = {},
  ): Promise<T[]> {
    const t = this.existing(collection);
    if (t === null) return [];
    const clauses: string[] = [];
    const params: (string | number | null)[] = [];
    for (const [field, value] of Object.entries(where)) {
      if (!NAME.test(field)) throw new Error(`bad field name: ${field}`);
      if (value === null) {
        clauses.push(`json_extract(data, '$.${field}') IS NULL`);
      } else {
        // json_extract turns true/false into 1/0 and objects into their JSON text, so the JSON type
        // is checked too: true never matches 1, nor '{"a":1}' an object (equality as in CloudBase).
        const types =
          typeof value === 'boolean'
            ? `'${value}'`
            : typeof value === 'number'
              ? `'integer', 'real'`
              : `'text'`;
        clauses.push(`json_extract(data, '$.${field}') = ? AND json_type(data, '$.${field}') IN (${types})`);
        params.push(typeof value === 'boolean' ? (value ? 1 : 0) : value);
      }
    }
    let sql = `SELECT data FROM "${t}"`;
    if (clauses.length > 0) sql += ` WHERE ${clauses.join(' AND ')}`;
    if (options.orderBy) {
      if (!NAME.test(options.orderBy.field)) throw new Error(`bad field name: ${options.orderBy.field}`);
      sql += ` ORDER BY json_extract(data, '$.${options.orderBy.field}') ${options.orderBy.direction === 'desc' ? 'DESC' : 'ASC'}, id`;
    } else {
      sql += ' ORDER BY id';
    }
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
    this.reader.close();
    this.db.close();
  }
}

function table(collection: string): string {
  return `c_${collection}`;
}
