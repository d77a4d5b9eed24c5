/**
 * A Store decorator that counts what a use case costs in store operations: transactions, reads by
 * id (in and outside transactions), `find` queries and the documents they return, and writes
 * (put, patch, add, remove), in total and per collection. It forwards everything unchanged, so it
 * wraps the real SQLite store (or any adapter) in tests and benchmarks.
 */
import type { Condition, Doc, FindOptions, Store, Tx } from '../../cloudfunctions/src/ports/store';

export interface StoreCost {
  transactions: number;
  /** Documents read by id: `tx.get` and `store.get`. */
  reads: number;
  /** `find` queries (outside transactions). */
  finds: number;
  /** Documents returned by those queries. */
  found: number;
  /** `put`, `patch`, `add` and `remove`. */
  writes: number;
}

export type Op = 'get' | 'find' | 'put' | 'patch' | 'add' | 'remove';

export function zeroCost(): StoreCost {
  return { transactions: 0, reads: 0, finds: 0, found: 0, writes: 0 };
}

export class CountingStore implements Store {
  cost: StoreCost = zeroCost();
  /** "op collection" → count, e.g. "get accounts": 2. */
  byOp: Record<string, number> = {};

  constructor(readonly inner: Store) {}

  get concurrency(): number | undefined {
    return this.inner.concurrency;
  }

  /** Forget the counts so far. */
  reset(): void {
    this.cost = zeroCost();
    this.byOp = {};
  }

  /** The counts of what `fn` does (counts of earlier calls are discarded). */
  async measure<R>(
    fn: () => Promise<R>,
  ): Promise<{ result: R; cost: StoreCost; byOp: Record<string, number> }> {
    this.reset();
    const result = await fn();
    return { result, cost: { ...this.cost }, byOp: { ...this.byOp } };
  }

  private count(op: Op, collection: string): void {
    const key = `${op} ${collection}`;
    this.byOp[key] = (this.byOp[key] ?? 0) + 1;
    if (op === 'get') this.cost.reads += 1;
    else if (op === 'find') this.cost.finds += 1;
    else this.cost.writes += 1;
  }

  async transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R> {
    return this.inner.transaction((tx) => {
      // Counted per attempt: a retried transaction costs again.
      this.cost.transactions += 1;
      return fn(this.wrap(tx));
    });
  }

  private wrap(tx: Tx): Tx {
    return {
      get: <T extends Doc>(collection: string, id: string) => {
        this.count('get', collection);
        return tx.get<T>(collection, id);
      },
      put: <T extends Doc>(collection: string, doc: T) => {
        this.count('put', collection);
        return tx.put<T>(collection, doc);
      },
      patch: (collection: string, id: string, fields: Record<string, unknown>) => {
        this.count('patch', collection);
        return tx.patch(collection, id, fields);
      },
      add: <T extends Doc>(collection: string, doc: T) => {
        this.count('add', collection);
        return tx.add<T>(collection, doc);
      },
      remove: (collection: string, id: string) => {
        this.count('remove', collection);
        return tx.remove(collection, id);
      },
    };
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    this.count('get', collection);
    return this.inner.get<T>(collection, id);
  }

  async find<T extends Doc>(
    collection: string,
    where: Record<string, Condition>,
    options?: FindOptions,
  ): Promise<T[]> {
    this.count('find', collection);
    const docs = await this.inner.find<T>(collection, where, options);
    this.cost.found += docs.length;
    return docs;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
