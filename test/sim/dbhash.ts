/**
 * A cheap fingerprint of a whole SQLite database (every table, every row, in id order) through
 * a separate read-only connection: "this request changed nothing" in a few milliseconds.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

export class DbFingerprint {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true });
  }

  /**
   * Changes whenever another connection commits a write (SQLite's PRAGMA data_version): "nothing
   * was written at all" in O(1), stronger than "the content is the same".
   */
  version(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  hash(): string {
    const h = createHash('sha256');
    const tables = this.db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all() as { name: string }[];
    for (const { name } of tables) {
      h.update(`\u0001${name}\u0001`);
      const rows = this.db.prepare(`SELECT id, data FROM "${name}" ORDER BY id`).raw().iterate() as Iterable<
        [string, string]
      >;
      for (const [id, data] of rows) h.update(`${id}\u0000${data}\u0000`);
    }
    return h.digest('hex');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
