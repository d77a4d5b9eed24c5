/**
 * A local stand-in for the CloudBase API that @cloudbase/node-sdk talks to: an HTTP server the SDK
 * reaches through its `serviceUrl` init option (fake env and keys; requests are still signed), and
 * an in-memory document database with snapshot transactions and write-conflict detection behind
 * it. Every request is recorded, so tests can assert exactly what went over the wire.
 *
 * Database actions and shapes (from @cloudbase/database 1.4.3: src/transaction/index.ts,
 * document.ts, collection.ts, query.ts; transport in @cloudbase/node-sdk src/utils/tcbapirequester.ts):
 *   database.startTransaction  {}                                   → { transactionId }
 *   database.commitTransaction { transactionId }                    → {}
 *   database.abortTransaction  { transactionId }                    → {}
 *   database.getDocument       { collectionName, queryType, query, transactionId?, order?, offset?, limit? }
 *                                                                  → { data: { list: [ejson] } }
 *   database.modifyDocument    { collectionName, queryType, query, data, merge, upsert, multi, transactionId? }
 *                                                                  → { data: { updated, upsert_id? } }
 *   database.insertDocument    { collectionName, data: [ejson], transactionId? } → { data: { insertedIds } }
 *   database.removeDocument    { collectionName, queryType, query, multi, transactionId? } → { data: { deleted } }
 * Beyond the database (node-sdk src/wx/index.ts, src/functions/index.ts):
 *   wx.api                     { apiName, requestData: json }       → { data: { responseData: json } }
 *   functions.invokeFunction   { function_name, request_data: json } → { data: { response_data: json } }
 * An answer with `code` is thrown by the SDK as an error with that code.
 *
 * Writes without a transaction id are refused (FAKE_NON_TRANSACTIONAL_WRITE): the product never
 * writes outside a transaction, and a test would see the refusal.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { Doc } from '../../cloudfunctions/src/ports/store';

// The SDK's own EJSON (bson 4), resolved from @cloudbase/database so hoisting does not matter.
const { EJSON } = createRequire(require.resolve('@cloudbase/database'))('bson') as {
  EJSON: {
    parse(text: string, options?: { relaxed?: boolean }): unknown;
    stringify(value: unknown, options?: { relaxed?: boolean }): string;
  };
};

export type Json = Record<string, unknown>;

export interface Recorded {
  action: string;
  /** The request body as sent (query, order and data still EJSON strings where the SDK sends them so). */
  body: Json;
  url: string;
  authorization: string;
  envName?: string;
  transactionId?: string;
  collectionName?: string;
  queryType?: string;
  query?: unknown;
  data?: unknown;
  merge?: boolean;
  upsert?: boolean;
  multi?: boolean;
  order?: unknown;
  offset?: number;
  limit?: number;
  response: Json;
}

export const WRITES = new Set([
  'database.modifyDocument',
  'database.insertDocument',
  'database.removeDocument',
]);
export const DOC_LEVEL = new Set(['database.getDocument', ...WRITES]);

export class FakeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Version {
  at: number;
  doc: Doc | null;
}

interface FakeTx {
  id: string;
  snapshot: number;
  writes: Map<string, Doc | null>;
  state: 'active' | 'committed' | 'aborted';
}

/** An in-memory CloudBase document database: MVCC snapshots, first-writer-wins conflicts. */
export class FakeCloudbase {
  readonly requests: Recorded[] = [];
  /** Answer instead of the database when this returns something. */
  intercept?: (request: Recorded) => Json | undefined;
  /** What `wx.api` answers (the WeChat API's JSON response); default `{ errcode: 0, errmsg: 'ok' }`. */
  wxApi: (apiName: string, requestData: unknown) => Json = () => ({ errcode: 0, errmsg: 'ok' });
  /** What `functions.invokeFunction` answers (the callee's return value); default an ok envelope. */
  invoke: (name: string, data: unknown) => unknown = () => ({ ok: true, data: {} });
  private readonly history = new Map<string, Version[]>();
  private readonly txs = new Map<string, FakeTx>();
  private clock = 0;
  private seq = 0;

  handle(body: Json, url: string, authorization: string): Json {
    const request: Recorded = {
      action: String(body.action),
      body,
      url,
      authorization,
      envName: body.envName as string | undefined,
      transactionId: body.transactionId as string | undefined,
      collectionName: body.collectionName as string | undefined,
      queryType: body.queryType as string | undefined,
      query: typeof body.query === 'string' ? EJSON.parse(body.query) : body.query,
      data: decodeData(body.data),
      merge: body.merge as boolean | undefined,
      upsert: body.upsert as boolean | undefined,
      multi: body.multi as boolean | undefined,
      order: typeof body.order === 'string' ? EJSON.parse(body.order) : body.order,
      offset: body.offset as number | undefined,
      limit: body.limit as number | undefined,
      response: {},
    };
    const requestId = `req-${++this.seq}`;
    try {
      request.response = { requestId, ...(this.intercept?.(request) ?? this.dispatch(request)) };
    } catch (err) {
      const e = err as FakeError;
      request.response = { requestId, code: e.code ?? 'FAKE_ERROR', message: e.message };
    }
    this.requests.push(request);
    return request.response;
  }

  /** The committed document (what a fresh reader would see). */
  committed(collection: string, id: string): Doc | null {
    return this.at(`${collection}/${id}`, Infinity);
  }

  /** Every committed document of a collection. */
  all(collection: string): Doc[] {
    return [...this.history.keys()]
      .filter((key) => key.startsWith(`${collection}/`))
      .map((key) => this.at(key, Infinity))
      .filter((doc): doc is Doc => doc !== null);
  }

  /** Commit documents directly, as if an earlier transaction had written them (test setup). */
  seed(collection: string, ...docs: Doc[]): void {
    this.clock++;
    for (const doc of docs)
      this.versions(`${collection}/${doc._id}`).push({ at: this.clock, doc: structuredClone(doc) });
  }

  private dispatch(r: Recorded): Json {
    switch (r.action) {
      case 'database.startTransaction': {
        const id = `tx-${++this.seq}`;
        this.txs.set(id, { id, snapshot: this.clock, writes: new Map(), state: 'active' });
        return { transactionId: id };
      }
      case 'database.commitTransaction': {
        const tx = this.activeTx(r.transactionId);
        for (const key of tx.writes.keys()) {
          if (this.lastWrite(key) > tx.snapshot) this.conflict(tx, key);
        }
        this.clock++;
        for (const [key, doc] of tx.writes) this.versions(key).push({ at: this.clock, doc });
        tx.state = 'committed';
        return {};
      }
      case 'database.abortTransaction': {
        const tx = this.activeTx(r.transactionId);
        tx.state = 'aborted';
        return {};
      }
      case 'database.getDocument':
        return this.getDocument(r);
      case 'database.modifyDocument':
        return this.modifyDocument(r);
      case 'database.insertDocument':
        return this.insertDocument(r);
      case 'database.removeDocument':
        return this.removeDocument(r);
      case 'wx.api': {
        const requestData =
          typeof r.body.requestData === 'string' && r.body.requestData !== ''
            ? JSON.parse(r.body.requestData)
            : undefined;
        return { data: { responseData: JSON.stringify(this.wxApi(String(r.body.apiName), requestData)) } };
      }
      case 'functions.invokeFunction': {
        const data =
          typeof r.body.request_data === 'string' && r.body.request_data !== ''
            ? JSON.parse(r.body.request_data)
            : undefined;
        return { data: { response_data: JSON.stringify(this.invoke(String(r.body.function_name), data)) } };
      }
      default:
        throw new FakeError('FAKE_UNSUPPORTED_ACTION', `the fake does not implement ${r.action}`);
    }
  }

  private getDocument(r: Recorded): Json {
    const coll = need(r.collectionName, 'collectionName');
    if (r.transactionId !== undefined) {
      const tx = this.activeTx(r.transactionId);
      const doc = this.read(tx, coll, docId(r));
      return { data: { list: doc ? [EJSON.stringify(doc, { relaxed: false })] : [] } };
    }
    if (r.queryType === 'DOC') {
      const doc = this.committed(coll, docId(r));
      return { data: { list: doc ? [EJSON.stringify(doc, { relaxed: false })] : [] } };
    }
    if (r.queryType !== 'WHERE') throw new FakeError('FAKE_UNSUPPORTED_QUERY', `queryType ${r.queryType}`);
    const where = (r.query ?? {}) as Json;
    let docs = [...this.history.keys()]
      .filter((key) => key.startsWith(`${coll}/`))
      .map((key) => this.at(key, Infinity))
      .filter((doc): doc is Doc => doc !== null && satisfies(doc, where));
    const order = Object.entries((r.order ?? {}) as Record<string, number>);
    docs.sort((a, b) => {
      for (const [field, direction] of order) {
        const c = compare(a[field], b[field]);
        if (c !== 0) return c * direction;
      }
      return 0;
    });
    const limit = Math.min(r.limit ?? 100, 1000);
    docs = docs.slice(r.offset ?? 0, (r.offset ?? 0) + limit);
    return { data: { list: docs.map((d) => EJSON.stringify(d, { relaxed: false })) } };
  }

  private modifyDocument(r: Recorded): Json {
    const tx = this.writingTx(r);
    if (r.queryType !== 'DOC' || r.multi !== false)
      throw new FakeError('FAKE_UNSUPPORTED_QUERY', 'doc-level only');
    const coll = need(r.collectionName, 'collectionName');
    const id = docId(r);
    const current = this.read(tx, coll, id);
    const data = r.data as Json;
    let next: Doc;
    if (r.merge === false) {
      if (Object.keys(data).some((k) => k.startsWith('$')))
        throw new FakeError('INVALID_PARAM', 'operators in set');
      if (!current && !r.upsert) return { data: { updated: 0 } };
      next = { ...data, _id: id };
    } else {
      if (!current) return { data: { updated: 0 } };
      next = structuredClone(current);
      for (const [op, fields] of Object.entries(data)) {
        for (const [path, value] of Object.entries(fields as Json)) {
          if (op === '$set') setPath(next, path, value);
          else if (op === '$unset') unsetPath(next, path);
          else throw new FakeError('FAKE_UNSUPPORTED_UPDATE', `the fake does not implement ${op}`);
        }
      }
    }
    this.write(tx, coll, id, next);
    return { data: current ? { updated: 1 } : { updated: 0, upsert_id: id } };
  }

  private insertDocument(r: Recorded): Json {
    const tx = this.writingTx(r);
    const coll = need(r.collectionName, 'collectionName');
    const ids: string[] = [];
    for (const doc of r.data as Doc[]) {
      const id = typeof doc._id === 'string' ? doc._id : `auto-${++this.seq}`;
      if (this.read(tx, coll, id)) {
        tx.state = 'aborted'; // a failed write aborts a server-side (MongoDB) transaction
        throw new FakeError(
          'DATABASE_DUPLICATE_WRITE',
          `E11000 duplicate key error collection: ${coll} dup key: { _id: "${id}" }`,
        );
      }
      this.write(tx, coll, id, { ...doc, _id: id });
      ids.push(id);
    }
    return { data: { insertedIds: ids } };
  }

  private removeDocument(r: Recorded): Json {
    const tx = this.writingTx(r);
    if (r.queryType !== 'DOC' || r.multi !== false)
      throw new FakeError('FAKE_UNSUPPORTED_QUERY', 'doc-level only');
    const coll = need(r.collectionName, 'collectionName');
    const id = docId(r);
    const existed = this.read(tx, coll, id) !== null;
    if (existed) this.write(tx, coll, id, null);
    return { data: { deleted: existed ? 1 : 0 } };
  }

  private writingTx(r: Recorded): FakeTx {
    if (r.transactionId === undefined) {
      throw new FakeError('FAKE_NON_TRANSACTIONAL_WRITE', `${r.action} without a transaction id`);
    }
    return this.activeTx(r.transactionId);
  }

  private activeTx(id: string | undefined): FakeTx {
    const tx = this.txs.get(need(id, 'transactionId'));
    if (!tx) throw new FakeError('DATABASE_TRANSACTION_FAIL', `unknown transaction ${id}`);
    if (tx.state !== 'active')
      throw new FakeError('DATABASE_TRANSACTION_FAIL', `transaction ${id} is ${tx.state}`);
    return tx;
  }

  private read(tx: FakeTx, coll: string, id: string): Doc | null {
    const key = `${coll}/${id}`;
    return tx.writes.has(key) ? tx.writes.get(key)! : this.at(key, tx.snapshot);
  }

  private write(tx: FakeTx, coll: string, id: string, doc: Doc | null): void {
    const key = `${coll}/${id}`;
    if (this.lastWrite(key) > tx.snapshot) this.conflict(tx, key);
    for (const other of this.txs.values()) {
      if (other !== tx && other.state === 'active' && other.writes.has(key)) this.conflict(tx, key);
    }
    tx.writes.set(key, doc);
  }

  private conflict(tx: FakeTx, key: string): never {
    tx.state = 'aborted';
    throw new FakeError('DATABASE_TRANSACTION_CONFLICT', `write conflict on ${key}`);
  }

  private versions(key: string): Version[] {
    let list = this.history.get(key);
    if (!list) this.history.set(key, (list = []));
    return list;
  }

  private lastWrite(key: string): number {
    const list = this.history.get(key);
    return list && list.length > 0 ? list[list.length - 1].at : 0;
  }

  private at(key: string, snapshot: number): Doc | null {
    const list = this.history.get(key) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i].at <= snapshot) return list[i].doc ? structuredClone(list[i].doc) : null;
    }
    return null;
  }
}

function decodeData(data: unknown): unknown {
  if (typeof data === 'string') return EJSON.parse(data);
  if (Array.isArray(data)) return data.map((d) => (typeof d === 'string' ? EJSON.parse(d) : d));
  return data;
}

function need<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new FakeError('INVALID_PARAM', `missing ${name}`);
  return value;
}

function docId(r: Recorded): string {
  const q = r.query as Json | undefined;
  if (r.queryType !== 'DOC' || !q || Object.keys(q).length !== 1 || typeof q._id !== 'string') {
    throw new FakeError('FAKE_UNSUPPORTED_QUERY', `expected a DOC query by _id, got ${JSON.stringify(q)}`);
  }
  return q._id;
}

/**
 * The query language the adapter sends, no more: top-level fields equal to a scalar or within
 * `$gt`/`$gte`/`$lt`/`$lte` bounds, and `$and` of such queries (the SDK's `_.gt(a).and(_.lt(b))`).
 */
function satisfies(doc: Doc, query: Json): boolean {
  return Object.entries(query).every(([field, value]) => {
    if (field === '$and') {
      if (!Array.isArray(value)) throw new FakeError('FAKE_UNSUPPORTED_QUERY', '$and takes a list');
      return value.every((q) => satisfies(doc, q as Json));
    }
    if (field.includes('.') || field.startsWith('$')) {
      throw new FakeError('FAKE_UNSUPPORTED_QUERY', `only top-level fields: ${field}`);
    }
    if (value !== null && typeof value === 'object') {
      return Object.entries(value as Json).every(([op, bound]) => inRange(doc[field], op, bound));
    }
    return matches(doc[field], value);
  });
}

/** MongoDB comparison: only values of the bound's own type (number or string) can match. */
function inRange(actual: unknown, op: string, bound: unknown): boolean {
  if (!['$gt', '$gte', '$lt', '$lte'].includes(op) || !['number', 'string'].includes(typeof bound)) {
    throw new FakeError('FAKE_UNSUPPORTED_QUERY', `unsupported condition ${op}: ${JSON.stringify(bound)}`);
  }
  if (typeof actual !== typeof bound) return false;
  const c = compare(actual, bound);
  return op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0;
}

/** MongoDB equality: null also matches a missing field; no cross-type equality. */
function matches(actual: unknown, expected: unknown): boolean {
  if (expected === null) return actual === null || actual === undefined;
  return typeof actual === typeof expected && actual === expected;
}

/** MongoDB's cross-type sort order, for the types we store. */
function compare(a: unknown, b: unknown): number {
  const rank = (v: unknown): number =>
    v === null || v === undefined
      ? 0
      : typeof v === 'number'
        ? 1
        : typeof v === 'string'
          ? 2
          : Array.isArray(v)
            ? 4
            : typeof v === 'boolean'
              ? 5
              : 3;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return (a as number) - (b as number);
  if (ra === 2 || ra === 5) return a! < b! ? -1 : a! > b! ? 1 : 0;
  return 0;
}

function setPath(doc: Json, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = doc;
  for (const part of parts.slice(0, -1)) {
    if (node[part] === null || typeof node[part] !== 'object') node[part] = {};
    node = node[part] as Json;
  }
  node[parts[parts.length - 1]] = value;
}

function unsetPath(doc: Json, path: string): void {
  const parts = path.split('.');
  let node: Json | undefined = doc;
  for (const part of parts.slice(0, -1)) node = node?.[part] as Json | undefined;
  if (node) delete node[parts[parts.length - 1]];
}

export interface FakeServer {
  fake: FakeCloudbase;
  url: string;
  close(): Promise<void>;
}

/** Start the fake on 127.0.0.1 (a free port); `url` is what the SDK's `serviceUrl` takes. */
export async function startFake(): Promise<FakeServer> {
  const fake = new FakeCloudbase();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let answer: Json;
      try {
        answer = fake.handle(
          JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json,
          req.url ?? '',
          String(req.headers.authorization ?? ''),
        );
      } catch (err) {
        answer = { code: 'FAKE_BAD_REQUEST', message: String(err) };
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    fake,
    url: `http://127.0.0.1:${port}/admin`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
