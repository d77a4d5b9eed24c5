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
   * snapshot. It may be re-run on a write conflict, so `fn` must not have side effects outside `tx`.
   */
  transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
  /** Read one document outside a transaction. */
  get<T extends Doc>(collection: string, id: string): Promise<T | null>;
  /** Equality query outside a transaction (every field of `where` must equal). */
  find<T extends Doc>(collection: string, where: Record<string, Scalar>, options?: FindOptions): Promise<T[]>;
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
