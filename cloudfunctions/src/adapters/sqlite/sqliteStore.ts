/**
 * SQLite adapter of the Store port (better-sqlite3): the embedded local default.
 * One table per collection holding JSON documents, WAL with synchronous commits so an
 * acknowledged write survives a crash, and transactions serialised per database by an async
 * mutex (better-sqlite3 is synchronous; our use cases are async, so BEGIN/COMMIT bracket them).
 * Reads outside a transaction use a second connection so they only ever see committed data.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { COLLECTIONS } from '../../ports/collections';
import { Doc, DuplicateError, FindOptions, NotFoundError, Scalar, Store, Tx } from '../../ports/store';

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export interface SqliteStoreOptions {
  /** Database file; ':memory:' is refused because the read connection must see the same data. */
  file: string;
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly reader: Database.Database;
  private readonly known = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: SqliteStoreOptions) {
    fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
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

  async transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R> {
    const run = async (): Promise<R> => {
      if (this.closed) throw new Error('store is closed');
      const tx = this.makeTx();
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(tx);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      } finally {
        tx.done = true;
      }
    };
    const next = this.queue.then(run, run);
    // Keep the queue alive whatever this transaction's outcome.
    this.queue = next.catch(() => undefined);
    return next;
  }

  private makeTx(): Tx & { done: boolean } {
    const db = this.db;
    const ensure = (c: string) => this.ensure(c);
    const tx = {
      done: false,
      check(): void {
        if (tx.done) throw new Error('transaction already finished');
      },
      async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
        tx.check();
        const row = db.prepare(`SELECT data FROM "${ensure(collection)}" WHERE id = ?`).get(id) as
          { data: string } | undefined;
        return row ? (JSON.parse(row.data) as T) : null;
      },
      async put<T extends Doc>(collection: string, doc: T): Promise<void> {
        tx.check();
        db.prepare(`INSERT OR REPLACE INTO "${ensure(collection)}" (id, data) VALUES (?, ?)`).run(
          doc._id,
          JSON.stringify(doc),
        );
      },
      async patch(collection: string, id: string, fields: Record<string, unknown>): Promise<void> {
        tx.check();
        const t = ensure(collection);
        const row = db.prepare(`SELECT data FROM "${t}" WHERE id = ?`).get(id) as
          { data: string } | undefined;
        if (!row) throw new NotFoundError(collection, id);
        const merged = { ...(JSON.parse(row.data) as Doc), ...fields, _id: id };
        db.prepare(`UPDATE "${t}" SET data = ? WHERE id = ?`).run(JSON.stringify(merged), id);
      },
      async add<T extends Doc>(collection: string, doc: T): Promise<void> {
        tx.check();
        const info = db
          .prepare(`INSERT OR IGNORE INTO "${ensure(collection)}" (id, data) VALUES (?, ?)`)
          .run(doc._id, JSON.stringify(doc));
        if (info.changes === 0) throw new DuplicateError(collection, doc._id);
      },
      async remove(collection: string, id: string): Promise<void> {
        tx.check();
        db.prepare(`DELETE FROM "${ensure(collection)}" WHERE id = ?`).run(id);
      },
    };
    return tx;
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const t = this.existing(collection);
    if (t === null) return null;
    const row = this.reader.prepare(`SELECT data FROM "${t}" WHERE id = ?`).get(id) as
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
    const rows = this.reader.prepare(sql).all(...params) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as T);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    this.closed = true;
    this.reader.close();
    this.db.close();
  }
}

function table(collection: string): string {
  return `c_${collection}`;
}
