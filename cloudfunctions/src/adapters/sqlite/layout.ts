/**
 * How the SQLite adapter lays a collection out: one row per document, `(id, data)` with the
 * document as JSON text, plus one column per field the collection is queried by (COLLECTIONS),
 * holding the value `json_extract(data, '$.field')` would give, and the declared indexes on those
 * columns. Why columns and not indexes on `json_extract` expressions: SQLite rewrites an
 * expression index's entry whenever `data` changes, even when the key is the same, so every put
 * of an account paid for a second random page (about a seventh of a spend's time). An index on
 * columns is left alone by an UPDATE that sets `data` only, which is what `update` does; the
 * caller falls back to `upsert` when a key changed or the row is new.
 */
import { COLLECTIONS } from '../../ports/collections';
import { NAME } from '../../ports/store';

export interface Layout {
  /** The table's name, and quoted for SQL. */
  name: string;
  table: string;
  /** The fields kept in columns, in a fixed order (the order of `keys`). */
  fields: readonly string[];
  /** The declared indexes, on those columns. */
  indexes: readonly { name: string; columns: string }[];
  /** `(id, data)` and a column per field. */
  create: string;
  get: string;
  /** Replaces the document if the row exists with these keys. Params: data, id, ...keys. */
  update: string;
  /** Inserts or replaces the row. Params: id, data, ...keys. */
  upsert: string;
  /** Inserts unless the id exists. Params: id, data, ...keys. */
  insert: string;
  remove: string;
}

const layouts = new Map<string, Layout>();

/** The name of the column holding a field's value. */
export function columnNameOf(field: string): string {
  return `f_${field}`;
}

/** … quoted for SQL. */
export function columnOf(field: string): string {
  return `"${columnNameOf(field)}"`;
}

export function layoutOf(collection: string): Layout {
  let layout = layouts.get(collection);
  if (layout) return layout;
  if (!NAME.test(collection)) throw new Error(`bad collection name: ${collection}`);
  const declared = (COLLECTIONS as Record<string, { indexes: readonly (readonly string[])[] }>)[collection];
  const indexed = declared?.indexes ?? [];
  const fields = [...new Set(indexed.flat())];
  const name = `c_${collection}`;
  const table = `"${name}"`;
  const cols = fields.map(columnOf);
  const names = ['id', 'data', ...cols].join(', ');
  const marks = ['?', '?', ...cols.map(() => '?')].join(', ');
  layout = {
    name,
    table,
    fields,
    indexes: indexed.map((f) => ({
      // Not `idx_…`: those were indexes on json_extract expressions, dropped when found.
      name: `ix_${collection}_${f.join('_')}`,
      columns: f.map(columnOf).join(', '),
    })),
    create: `CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, data TEXT NOT NULL${cols.map((c) => `, ${c}`).join('')}) WITHOUT ROWID`,
    get: `SELECT data FROM ${table} WHERE id = ?`,
    update: `UPDATE ${table} SET data = ? WHERE id = ?${cols.map((c) => ` AND ${c} IS ?`).join('')}`,
    upsert: `INSERT OR REPLACE INTO ${table} (${names}) VALUES (${marks})`,
    insert: `INSERT OR IGNORE INTO ${table} (${names}) VALUES (${marks})`,
    remove: `DELETE FROM ${table} WHERE id = ?`,
  };
  layouts.set(collection, layout);
  return layout;
}

/**
 * The column values of a document, as `json_extract(data, '$.field')` reads them back: true and
 * false as 1 and 0, objects and arrays as their JSON text, a missing field as NULL. Numbers bind
 * as REAL where json_extract gives INTEGER; SQLite compares the two by value, in the index too.
 */
export function keysOf(layout: Layout, doc: Record<string, unknown>): (string | number | null)[] {
  return layout.fields.map((f) => {
    let v = doc[f];
    // As JSON.stringify stores it: toJSON applied (a Date becomes its ISO string).
    if (v !== null && typeof v === 'object') v = JSON.parse(JSON.stringify(v)) as unknown;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : null; // JSON writes them as null
    if (v !== null && typeof v === 'object') return JSON.stringify(v);
    return null; // null, missing, or what JSON leaves out
  });
}
