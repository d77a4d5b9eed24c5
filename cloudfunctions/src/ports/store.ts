/**
 * The Store port: ours and small, so that both the CloudBase database and SQLite can implement it
 * faithfully. Inside a transaction only document-level operations by id exist, because CloudBase
 * transactions only cover `doc(id)` get/set/update/delete and `add` (a `where().update()` would
 * silently run outside the transaction).
 */

export interface Doc {
  _id: string;
  [field: string]: unknown;
}

export type Scalar = string | number | boolean | null;

/**
 * A range condition on a field: every bound given must hold. As in CloudBase (MongoDB), a bound
 * only matches values of its own type: a string bound never matches a number, nor a missing field.
 * Strings compare by code unit, so keep ranged string fields ASCII (day keys, ids), where every
 * store orders alike.
 */
export interface Range {
  gt?: string | number;
  gte?: string | number;
  lt?: string | number;
  lte?: string | number;
}

/** What `find` can ask of a field: equality with a scalar, or a range. */
export type Condition = Scalar | Range;

/** The collection and field names every adapter accepts (SQL identifiers and CloudBase names alike). */
export const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export const RANGE_OPERATORS = ['gt', 'gte', 'lt', 'lte'] as const;

/** The range of a condition, or null for equality; throws on anything else (a bound of two types, an
 * unknown operator, no bound at all). */
export function rangeOf(field: string, condition: Condition): Range | null {
  if (condition === null || typeof condition !== 'object') return null;
  const entries = Object.entries(condition);
  const kinds = new Set(entries.map(([, v]) => typeof v));
  if (
    entries.length === 0 ||
    entries.some(
      ([op, v]) =>
        !(RANGE_OPERATORS as readonly string[]).includes(op) || !['string', 'number'].includes(typeof v),
    ) ||
    kinds.size !== 1
  ) {
    throw new Error(`field ${field}: a range takes gt/gte/lt/lte bounds, all strings or all numbers`);
  }
  return condition;
}

export interface Tx {
  /** Read one document; null when absent. */
  get<T extends Doc>(collection: string, id: string): Promise<T | null>;
  /** Create or replace a whole document. */
  put<T extends Doc>(collection: string, doc: T): Promise<void>;
  /** Shallow-merge top-level fields into an existing document; throws NotFoundError when absent. */
  patch(collection: string, id: string, fields: Record<string, unknown>): Promise<void>;
  /** Create a document that must not exist yet; throws DuplicateError when it does. */
  add<T extends Doc>(collection: string, doc: T): Promise<void>;
  /** Delete a document (no error when absent). */
  remove(collection: string, id: string): Promise<void>;
}

export interface FindOptions {
  orderBy?: { field: string; direction: 'asc' | 'desc' };
  limit?: number;
  /** Skip this many matches (pagination for bounded batch work). */
  offset?: number;
}

export interface Store {
  /**
   * Run `fn` atomically: all its writes commit together or not at all, and it sees a consistent
   * snapshot. It may be re-run on a write conflict, so `fn` must not have side effects outside `tx`
   * (count what it did after it returns). Conflicts are between writes: two transactions that
   * read the same documents and write different ones may both commit (snapshot isolation, as in
   * CloudBase; SQLite is stricter), so a rule over several documents must have every transaction
   * that acts on it write one shared document (the product's is the account, by its `seq`).
   */
  transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
  /** Read one document outside a transaction. */
  get<T extends Doc>(collection: string, id: string): Promise<T | null>;
  /** Query outside a transaction: every field of `where` must equal its scalar or lie in its range. */
  find<T extends Doc>(
    collection: string,
    where: Record<string, Condition>,
    options?: FindOptions,
  ): Promise<T[]>;
  close(): Promise<void>;
  /**
   * A hint for batch work (the scheduler's accounts): how many independent transactions are worth
   * having in flight at once. SQLite commits the ones that queue up together, so many; a network
   * store wants a few round trips overlapping. Absent: the batch work's own small default.
   */
  readonly concurrency?: number;
}

export class DuplicateError extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`document ${collection}/${id} already exists`);
    this.name = 'DuplicateError';
  }
}

export class NotFoundError extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`document ${collection}/${id} does not exist`);
    this.name = 'NotFoundError';
  }
}
