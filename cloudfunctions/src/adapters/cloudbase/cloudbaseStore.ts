/**
 * CloudBase adapter of the Store port, over `@cloudbase/node-sdk` (`app.database()`).
 *
 * What the SDK really sends (read from node_modules, @cloudbase/node-sdk 3.18 with
 * @cloudbase/database 1.4.3; every request is a signed POST to `serviceUrl` or the default
 * `https://<env>.tcb-api.tencentcloudapi.com/admin`, body `{ action, envName, ...params }`):
 *
 * - `db.runTransaction(cb, times)` (database/src/transaction/index.ts) sends
 *   `database.startTransaction` → `{ transactionId }`, runs `cb`, then
 *   `database.commitTransaction { transactionId }`; when `cb` throws it sends
 *   `database.abortTransaction { transactionId }` and rethrows the same error; when the error
 *   has `code === 'DATABASE_TRANSACTION_CONFLICT'` it starts over, `times` more times (default 3).
 * - Inside it, `transaction.collection(c)` carries the transaction id, and the document calls
 *   (database/src/document.ts, collection.ts) send it along:
 *   `doc(id).get()`    → `database.getDocument    { queryType: 'DOC', query: {_id}, transactionId }`
 *   `doc(id).set(d)`   → `database.modifyDocument { queryType: 'DOC', merge: false, upsert: true, … }`
 *   `doc(id).update(d)`→ `database.modifyDocument { queryType: 'DOC', merge: true,  upsert: false, … }`
 *   `doc(id).delete()` → `database.removeDocument { queryType: 'DOC', transactionId }`
 *   `collection(c).add(d)` → `database.insertDocument { data: [ejson], transactionId }`
 *   (`where().update()`/`where().remove()` in query.ts never send the transaction id: they would
 *   run outside the transaction, so this adapter never calls them. The older actions
 *   `database.getInTransaction`/`updateDocInTransaction`/`deleteDocInTransaction` only exist in
 *   database/src/transaction.ts, which `Db` no longer uses.)
 * - Outside transactions: `collection(c).where(q).orderBy().skip().limit().get()` →
 *   `database.getDocument { queryType: 'WHERE', query, order, offset, limit }`; the SDK sends
 *   `limit: 100` when none is given and caps it at 1000 (query.ts), so `find` pages.
 * - A response carrying `code` is thrown as an Error with that `code` (node-sdk utils.processReturn).
 *
 * Semantics mapped onto the port:
 * - `put` = `doc(id).set(rest)` (whole-document replace; `_id` is the key, never in the body).
 * - `patch` is a shallow, top-level replace: each field is wrapped in `db.command.set(value)`, so
 *   the request is `{ $set: { field: value } }`. A plain `update({ a: { b: 1 } })` would be
 *   flattened by the SDK into `{ $set: { 'a.b': 1 } }` and merge deeply. A field whose value is
 *   `undefined` is removed (`db.command.remove()`), like JSON serialisation does in SQLite.
 *   Existence is checked with a transactional `get` first (the update's `updated` count cannot tell
 *   "absent" from "unchanged"), missing → NotFoundError.
 * - `add` reads the id inside the transaction first and throws DuplicateError without sending a
 *   failing write (a failed write would abort the server-side transaction, and use cases may catch
 *   DuplicateError and go on); a duplicate-key refusal of the insert itself (a concurrent insert;
 *   any error whose code or message says "duplicate" or "E11000") is mapped to DuplicateError too.
 * - Retries: runTransaction's own retry on DATABASE_TRANSACTION_CONFLICT (`transactionRetries`,
 *   SDK default 3, immediate). The SDK retries without any pause, so when it has given up on a
 *   conflict, more rounds of runTransaction run after a jittered exponential backoff
 *   (`conflictRounds`, default 8, pauses from ~10 ms growing to ≤ 1 s); then the conflict is thrown.
 *   `fn` may therefore run several times; the port already requires it to be side-effect free.
 * - Operations of one transaction are sent one at a time, in call order, even if `fn` starts them
 *   concurrently, so the server applies them in the order the use case wrote them.
 * - `find` orders by the requested field and then by `_id` (as the SQLite adapter does), so paging
 *   is deterministic. Pages are separate reads: a `find` over more than one page is not a snapshot.
 *
 * The SDK is loaded lazily (`require` inside the factory): local code never pays for it.
 */
import {
  Condition,
  Doc,
  DuplicateError,
  FindOptions,
  NAME,
  NotFoundError,
  Range,
  rangeOf,
  Store,
  Tx,
} from '../../ports/store';

const CONFLICT = 'DATABASE_TRANSACTION_CONFLICT';
/** The SDK sends at most 1000 as `limit` (database/src/query.ts). */
const MAX_PAGE = 1000;
/** Server-side caps seen per request (100, and 1000 with an explicit limit) are whole hundreds. */
const SERVER_CAP_STEP = 100;

/* The part of the SDK this adapter uses, typed structurally (the SDK's own typings are `any`). */

interface SdkDocRef {
  get(): Promise<{ data: unknown }>;
  set(data: Record<string, unknown>): Promise<unknown>;
  update(data: Record<string, unknown>): Promise<unknown>;
  delete(): Promise<unknown>;
}

interface SdkQuery {
  where(query: Record<string, unknown>): SdkQuery;
  orderBy(field: string, direction: 'asc' | 'desc'): SdkQuery;
  skip(offset: number): SdkQuery;
  limit(limit: number): SdkQuery;
  get(): Promise<{ data: unknown[] }>;
}

interface SdkCollection extends SdkQuery {
  doc(id: string): SdkDocRef;
  add(data: Record<string, unknown>): Promise<unknown>;
}

interface SdkTransaction {
  collection(name: string): SdkCollection;
}

/** A query command (`_.gt(1)`), which combines with others on the same field. */
interface SdkQueryCommand {
  and(other: SdkQueryCommand): SdkQueryCommand;
}

interface SdkCommand {
  set(value: unknown): unknown;
  remove(): unknown;
  gt(value: string | number): SdkQueryCommand;
  gte(value: string | number): SdkQueryCommand;
  lt(value: string | number): SdkQueryCommand;
  lte(value: string | number): SdkQueryCommand;
}

export interface SdkDb {
  command: SdkCommand;
  collection(name: string): SdkCollection;
  runTransaction<R>(callback: (transaction: SdkTransaction) => Promise<R>, times?: number): Promise<R>;
  createCollection(name: string): Promise<unknown>;
}

interface SdkApp {
  database(): SdkDb;
}

interface SdkModule {
  init(config: Record<string, unknown>): SdkApp;
  SYMBOL_CURRENT_ENV: symbol;
}

export interface CloudbaseStoreOptions {
  /** CloudBase environment id; default `TCB_ENV`, else the SDK's "current environment" (in a cloud function). */
  env?: string;
  /** API credentials; without them the SDK reads TENCENTCLOUD_SECRETID/SECRETKEY/SESSIONTOKEN (or CLOUDBASE_APIKEY). */
  secretId?: string;
  secretKey?: string;
  sessionToken?: string;
  /** Endpoint override (the SDK's `serviceUrl` init option): every API request goes there. */
  serviceUrl?: string;
  region?: string;
  /** Per-request timeout in ms (SDK default 15000). */
  timeout?: number;
  /** HTTP keep-alive (SDK default: on outside cloud functions). */
  keepalive?: boolean;
  /** Immediate retries runTransaction makes on a write conflict (SDK default 3). */
  transactionRetries?: number;
  /** Further rounds, after a jittered backoff, once runTransaction has given up on a conflict. */
  conflictRounds?: number;
  /** Documents fetched per `getDocument` when `find` pages (at most 1000, the SDK's cap). */
  pageSize?: number;
  /** Use this initialised database instead of calling `tcb.init` (e.g. a function's own app). */
  db?: SdkDb;
}

export function createCloudbaseStore(options: CloudbaseStoreOptions = {}): CloudbaseStore {
  return new CloudbaseStore(options.db ?? openDatabase(options), options);
}

function openDatabase(options: CloudbaseStoreOptions): SdkDb {
  // Lazy on purpose: the SDK is heavy and only the cloud needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tcb = require('@cloudbase/node-sdk') as SdkModule;
  const config: Record<string, unknown> = {
    env: options.env ?? process.env.TCB_ENV ?? tcb.SYMBOL_CURRENT_ENV,
  };
  if (options.secretId || options.secretKey) {
    config.secretId = options.secretId;
    config.secretKey = options.secretKey;
  }
  for (const key of ['sessionToken', 'serviceUrl', 'region', 'timeout', 'keepalive'] as const) {
    if (options[key] !== undefined) config[key] = options[key];
  }
  return tcb.init(config).database();
}

export class CloudbaseStore implements Store {
  private readonly retries: number;
  private readonly rounds: number;
  private readonly pageSize: number;
  private readonly running = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly db: SdkDb,
    options: Pick<CloudbaseStoreOptions, 'transactionRetries' | 'conflictRounds' | 'pageSize'> = {},
  ) {
    this.retries = options.transactionRetries ?? 3;
    this.rounds = options.conflictRounds ?? 8;
    this.pageSize = Math.max(1, Math.min(MAX_PAGE, options.pageSize ?? MAX_PAGE));
  }

  async transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R> {
    this.checkOpen();
    const run = this.runWithBackoff(fn);
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }

  private async runWithBackoff<R>(fn: (tx: Tx) => Promise<R>): Promise<R> {
    for (let round = 0; ; round++) {
      try {
        return await this.db.runTransaction(async (transaction) => {
          const tx = new CloudbaseTx(transaction, this.db.command);
          try {
            return await fn(tx);
          } finally {
            tx.finish();
          }
        }, this.retries);
      } catch (err) {
        if (!isConflict(err) || round >= this.rounds) throw err;
        const ceiling = Math.min(1000, 10 * 2 ** round);
        await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2)));
      }
    }
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    this.checkOpen();
    const res = await this.db.collection(checkCollection(collection)).doc(checkId(id)).get();
    const list = res.data as T[];
    return list[0] ?? null;
  }

  async find<T extends Doc>(
    collection: string,
    where: Record<string, Condition>,
    options: FindOptions = {},
  ): Promise<T[]> {
    this.checkOpen();
    const query: Record<string, unknown> = {};
    for (const [field, condition] of Object.entries(where)) {
      if (!NAME.test(field)) throw new Error(`bad field name: ${field}`);
      const range = rangeOf(field, condition);
      if (range) {
        // `_.gt(a)` alone, or `_.gt(a).and(_.lt(b))` for several bounds of one field.
        const bounds = (Object.entries(range) as [keyof Range, string | number][]).map(([op, bound]) =>
          this.db.command[op](bound),
        );
        query[field] = bounds.slice(1).reduce((all, next) => all.and(next), bounds[0]!);
        continue;
      }
      if (condition !== null && !['string', 'number', 'boolean'].includes(typeof condition)) {
        throw new Error(`field ${field}: only strings, numbers, booleans and null can be matched`);
      }
      query[field] = condition;
    }
    const { limit, offset = 0 } = options;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0))
      throw new Error(`bad limit: ${limit}`);
    if (!(Number.isInteger(offset) && offset >= 0)) throw new Error(`bad offset: ${offset}`);
    if (limit === 0) return [];

    let base: SdkQuery = this.db.collection(checkCollection(collection));
    if (Object.keys(query).length > 0) base = base.where(query);
    const order = options.orderBy;
    if (order) {
      if (!NAME.test(order.field)) throw new Error(`bad field name: ${order.field}`);
      base = base.orderBy(order.field, order.direction === 'desc' ? 'desc' : 'asc');
    }
    base = base.orderBy('_id', 'asc');

    const out: T[] = [];
    let skip = offset;
    for (;;) {
      const want = limit === undefined ? this.pageSize : Math.min(this.pageSize, limit - out.length);
      const page = (skip > 0 ? base.skip(skip) : base).limit(want);
      const docs = (await page.get()).data as T[];
      out.push(...docs);
      skip += docs.length;
      if (limit !== undefined && out.length >= limit) return out;
      // A short page is the end, unless the server capped it: some CloudBase versions and docs
      // give 100 a request whatever the limit asked. A short page of a whole hundred is asked on.
      if (docs.length === 0 || (docs.length < want && docs.length % SERVER_CAP_STEP !== 0)) return out;
    }
  }

  /**
   * Create a collection if it does not exist yet (CloudBase refuses writes to a missing
   * collection). Not part of the port: deployment scripts and the live contract test use it.
   */
  async ensureCollection(name: string): Promise<void> {
    try {
      await this.db.createCollection(checkCollection(name));
    } catch (err) {
      if (!/already.?exist/i.test(`${errorCode(err)} ${(err as Error)?.message ?? ''}`)) throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.running]);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }
}

/** One attempt of a transaction: document-level operations by id only, sent one at a time. */
class CloudbaseTx implements Tx {
  private done = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly t: SdkTransaction,
    private readonly command: SdkCommand,
  ) {}

  finish(): void {
    this.done = true;
  }

  private run<T>(op: () => Promise<T>): Promise<T> {
    if (this.done) return Promise.reject(new Error('transaction already finished'));
    const guarded = (): Promise<T> =>
      this.done ? Promise.reject(new Error('transaction already finished')) : op();
    const next = this.chain.then(guarded, guarded);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private ref(collection: string, id: string): SdkDocRef {
    return this.t.collection(checkCollection(collection)).doc(checkId(id));
  }

  get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    return this.run(() => this.read<T>(collection, id));
  }

  private async read<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const res = await this.ref(collection, id).get();
    return (res.data as T | null) ?? null;
  }

  put<T extends Doc>(collection: string, doc: T): Promise<void> {
    return this.run(async () => {
      const { _id: id, ...rest } = asJson(doc);
      await this.ref(collection, id).set(rest);
    });
  }

  patch(collection: string, id: string, fields: Record<string, unknown>): Promise<void> {
    return this.run(async () => {
      if ((await this.read(collection, id)) === null) throw new NotFoundError(collection, id);
      const update: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(fields)) {
        if (field === '_id') continue;
        if (field.startsWith('$') || field.includes('.')) throw new Error(`bad field name: ${field}`);
        update[field] = value === undefined ? this.command.remove() : this.command.set(asJson(value));
      }
      if (Object.keys(update).length > 0) await this.ref(collection, id).update(update);
    });
  }

  add<T extends Doc>(collection: string, doc: T): Promise<void> {
    return this.run(async () => {
      if ((await this.read(collection, doc._id)) !== null) throw new DuplicateError(collection, doc._id);
      try {
        await this.t.collection(checkCollection(collection)).add(asJson(doc));
      } catch (err) {
        if (isDuplicateKey(err)) throw new DuplicateError(collection, doc._id);
        throw err;
      }
    });
  }

  remove(collection: string, id: string): Promise<void> {
    return this.run(async () => {
      await this.ref(collection, id).delete();
    });
  }
}

/**
 * A value as JSON stores it, as the SQLite adapter keeps documents: a Date becomes its ISO string,
 * NaN and ±Infinity null, undefined properties go. Without this the same document would read back
 * differently in the cloud (a Date object, NaN) and match other queries.
 */
function asJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function checkCollection(name: string): string {
  if (!NAME.test(name)) throw new Error(`bad collection name: ${name}`);
  return name;
}

function checkId(id: string): string {
  if (typeof id !== 'string' || id === '') throw new Error('document id must be a non-empty string');
  return id;
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function isConflict(err: unknown): boolean {
  return errorCode(err) === CONFLICT;
}

function isDuplicateKey(err: unknown): boolean {
  return /duplicate|E11000/i.test(`${errorCode(err)} ${(err as Error)?.message ?? ''}`);
}
