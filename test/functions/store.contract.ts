/**
 * The Store contract: one suite, run against every adapter (SQLite always; CloudBase through the
 * wire fake always, and live when credentials are present).
 *
 * Every test works in its own id space (`prefix`) and tags the documents it queries with its own
 * `run` value, so the suite also works against a shared, persistent database (the live CloudBase
 * run) where earlier runs left documents behind.
 */
import { Doc, DuplicateError, NotFoundError, Store, Tx } from '../../cloudfunctions/src/ports/store';

export interface StoreFixture {
  store: Store;
  /** Close `store` and open a new one over the same data (durable adapters only). */
  reopen?: () => Promise<Store>;
  /** Called after each test, once the stores are closed (delete files, stop servers…). */
  dispose?: () => Promise<void>;
}

export interface ContractOptions {
  /** The adapter keeps data across close/reopen: run the durability test (needs `reopen`). */
  durable?: boolean;
  /** Per-test timeout (live cloud runs are slower). */
  timeoutMs?: number;
}

/** The collections the suite uses (the live CloudBase run creates them first). */
export const CONTRACT_COLLECTIONS = ['contract_docs', 'contract_items', 'contract_counters'] as const;
const DOCS = 'contract_docs';
const ITEMS = 'contract_items';
const COUNTERS = 'contract_counters';

interface Item extends Doc {
  run: string;
  n?: number;
  name?: string;
  flag?: boolean | number | null | string;
  tag?: string | null;
  nested?: Record<string, unknown>;
}

export function describeStoreContract(
  name: string,
  makeStore: () => Promise<StoreFixture>,
  options: ContractOptions = {},
): void {
  describe(`Store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    let extra: Store[] = [];
    let prefix: string;
    let seq = 0;

    const id = (s: string): string => `${prefix}-${s}`;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
      extra = [];
      prefix = `t${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    });

    afterEach(async () => {
      for (const s of [store, ...extra]) await s.close();
      await fixture.dispose?.();
    });

    const seed = async (docs: Doc[], collection = DOCS): Promise<void> => {
      await store.transaction(async (tx) => {
        for (const d of docs) await tx.put(collection, d);
      });
    };

    const check = (title: string, fn: () => Promise<void>): void => {
      it(title, fn, options.timeoutMs);
    };
    /** Ids without this test's prefix, in the order returned. */
    const ids = (docs: Doc[]): string[] => docs.map((d) => d._id.slice(prefix.length + 1));

    describe('documents by id', () => {
      check('get returns null for a missing document, inside and outside a transaction', async () => {
        expect(await store.get(DOCS, id('missing'))).toBeNull();
        expect(await store.transaction((tx) => tx.get(DOCS, id('missing')))).toBeNull();
      });

      check('put creates a document and put again replaces it whole', async () => {
        await seed([{ _id: id('a'), x: 1, y: 'keep?', nested: { p: 1 } }]);
        expect(await store.get(DOCS, id('a'))).toEqual({ _id: id('a'), x: 1, y: 'keep?', nested: { p: 1 } });
        await seed([{ _id: id('a'), x: 2 }]);
        expect(await store.get(DOCS, id('a'))).toEqual({ _id: id('a'), x: 2 });
      });

      check(
        'values round-trip: integers, large integers, decimals, booleans, null, strings, arrays, objects',
        async () => {
          const doc = {
            _id: id('types'),
            int: 42,
            big: 1_700_000_000_000,
            neg: -7,
            dec: 0.5,
            yes: true,
            no: false,
            nil: null,
            text: '分付 "quoted" $not.an.operator',
            list: [1, 'two', { three: 3 }, [4]],
            obj: { a: { b: { c: 'deep' } }, empty: {} },
          };
          await seed([doc]);
          expect(await store.get(DOCS, id('types'))).toEqual(doc);
          expect(await store.transaction((tx) => tx.get(DOCS, id('types')))).toEqual(doc);
        },
      );

      check(
        'values keep their JSON form: a Date its ISO string, NaN and Infinity null, undefined nothing',
        async () => {
          const at = new Date(Date.UTC(2026, 10, 5));
          await seed([{ _id: id('json'), run: prefix, at, nan: NaN, inf: Infinity, gone: undefined }]);
          const expected = {
            _id: id('json'),
            run: prefix,
            at: '2026-11-05T00:00:00.000Z',
            nan: null,
            inf: null,
          };
          expect(await store.get(DOCS, id('json'))).toEqual(expected);
          await store.transaction((tx) => tx.patch(DOCS, id('json'), { at: new Date(0), more: -Infinity }));
          expect(await store.get(DOCS, id('json'))).toEqual({
            ...expected,
            at: '1970-01-01T00:00:00.000Z',
            more: null,
          });
          expect(await store.find(DOCS, { run: prefix, at: '1970-01-01T00:00:00.000Z' })).toHaveLength(1);
        },
      );

      check('patch refuses a dotted or operator field name, and writes nothing', async () => {
        await seed([{ _id: id('dot'), a: 1 }]);
        for (const field of ['x.y', '$set']) {
          await expect(store.transaction((tx) => tx.patch(DOCS, id('dot'), { [field]: 1 }))).rejects.toThrow(
            /bad field name/,
          );
        }
        expect(await store.get(DOCS, id('dot'))).toEqual({ _id: id('dot'), a: 1 });
      });

      check('patch replaces top-level fields shallowly and keeps the others', async () => {
        await seed([{ _id: id('p'), a: 1, b: 'b', nested: { x: 1, y: 2 }, list: [1, 2, 3] }]);
        await store.transaction((tx) =>
          tx.patch(DOCS, id('p'), { a: 2, nested: { x: 9 }, list: [7], added: null }),
        );
        expect(await store.get(DOCS, id('p'))).toEqual({
          _id: id('p'),
          a: 2,
          b: 'b',
          nested: { x: 9 },
          list: [7],
          added: null,
        });
      });

      check('patch of a missing document throws NotFoundError and writes nothing', async () => {
        const err = await store
          .transaction(async (tx) => {
            await tx.put(DOCS, { _id: id('side'), v: 1 });
            await tx.patch(DOCS, id('ghost'), { a: 1 });
          })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(NotFoundError);
        expect(err).toMatchObject({ collection: DOCS, id: id('ghost') });
        expect(await store.get(DOCS, id('ghost'))).toBeNull();
        expect(await store.get(DOCS, id('side'))).toBeNull();
      });

      check(
        'add creates a document; adding an existing id throws DuplicateError and changes nothing',
        async () => {
          await store.transaction((tx) => tx.add(DOCS, { _id: id('d'), v: 1 }));
          expect(await store.get(DOCS, id('d'))).toEqual({ _id: id('d'), v: 1 });
          const err = await store
            .transaction((tx) => tx.add(DOCS, { _id: id('d'), v: 2 }))
            .catch((e: unknown) => e);
          expect(err).toBeInstanceOf(DuplicateError);
          expect(err).toMatchObject({ collection: DOCS, id: id('d') });
          expect(await store.get(DOCS, id('d'))).toEqual({ _id: id('d'), v: 1 });
        },
      );

      check('a DuplicateError caught inside the transaction leaves it usable', async () => {
        await seed([{ _id: id('once'), v: 1 }]);
        const outcome = await store.transaction(async (tx) => {
          try {
            await tx.add(DOCS, { _id: id('once'), v: 2 });
            return 'added';
          } catch (e) {
            if (!(e instanceof DuplicateError)) throw e;
            await tx.put(DOCS, { _id: id('after'), v: 3 });
            return 'replayed';
          }
        });
        expect(outcome).toBe('replayed');
        expect(await store.get(DOCS, id('once'))).toEqual({ _id: id('once'), v: 1 });
        expect(await store.get(DOCS, id('after'))).toEqual({ _id: id('after'), v: 3 });
      });

      check('remove deletes a document, and removing a missing one is not an error', async () => {
        await seed([{ _id: id('r'), v: 1 }]);
        await store.transaction(async (tx) => {
          await tx.remove(DOCS, id('r'));
          await tx.remove(DOCS, id('never'));
        });
        expect(await store.get(DOCS, id('r'))).toBeNull();
      });
    });

    describe('transactions', () => {
      check('return the value of fn', async () => {
        expect(await store.transaction(async () => ({ ok: 42 }))).toEqual({ ok: 42 });
      });

      check('roll back every write when fn throws, and rethrow the same error', async () => {
        await seed([
          { _id: id('keep'), v: 1, nested: { a: 1 } },
          { _id: id('gone?'), v: 1 },
        ]);
        const boom = new Error('boom');
        await expect(
          store.transaction(async (tx) => {
            await tx.put(DOCS, { _id: id('new'), v: 1 });
            await tx.add(DOCS, { _id: id('added'), v: 1 });
            await tx.patch(DOCS, id('keep'), { v: 2, nested: { b: 2 } });
            await tx.remove(DOCS, id('gone?'));
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await store.get(DOCS, id('new'))).toBeNull();
        expect(await store.get(DOCS, id('added'))).toBeNull();
        expect(await store.get(DOCS, id('keep'))).toEqual({ _id: id('keep'), v: 1, nested: { a: 1 } });
        expect(await store.get(DOCS, id('gone?'))).toEqual({ _id: id('gone?'), v: 1 });
      });

      check('see their own writes', async () => {
        await seed([{ _id: id('old'), v: 1 }]);
        const seen = await store.transaction(async (tx) => {
          await tx.put(DOCS, { _id: id('w'), v: 1 });
          const afterPut = await tx.get(DOCS, id('w'));
          await tx.patch(DOCS, id('w'), { v: 2 });
          const afterPatch = await tx.get(DOCS, id('w'));
          await tx.add(DOCS, { _id: id('a'), v: 3 });
          const dup = await tx.add(DOCS, { _id: id('a'), v: 4 }).catch((e: unknown) => e);
          await tx.remove(DOCS, id('old'));
          const afterRemove = await tx.get(DOCS, id('old'));
          const readdOld = await tx.add(DOCS, { _id: id('old'), v: 5 }).then(() => 'ok');
          return { afterPut, afterPatch, dup, afterRemove, readdOld };
        });
        expect(seen.afterPut).toEqual({ _id: id('w'), v: 1 });
        expect(seen.afterPatch).toEqual({ _id: id('w'), v: 2 });
        expect(seen.dup).toBeInstanceOf(DuplicateError);
        expect(seen.afterRemove).toBeNull();
        expect(seen.readdOld).toBe('ok');
        expect(await store.get(DOCS, id('a'))).toEqual({ _id: id('a'), v: 3 });
        expect(await store.get(DOCS, id('old'))).toEqual({ _id: id('old'), v: 5 });
      });

      check('are isolated: 20 concurrent read-modify-write increments end at exactly 20', async () => {
        const counter = id('counter');
        await store.transaction((tx) =>
          tx.put(COUNTERS, { _id: counter, value: 0, history: [] as number[] }),
        );
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.transaction(async (tx) => {
              const doc = await tx.get<Doc & { value: number; history: number[] }>(COUNTERS, counter);
              if (!doc) throw new Error('counter vanished');
              await tx.patch(COUNTERS, counter, { value: doc.value + 1, history: [...doc.history, i] });
              return doc.value + 1;
            }),
          ),
        );
        const final = await store.get<Doc & { value: number; history: number[] }>(COUNTERS, counter);
        expect(final?.value).toBe(20);
        expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect([...(final?.history ?? [])].sort((a, b) => a - b)).toEqual(
          Array.from({ length: 20 }, (_, i) => i),
        );
      });

      check('are not visible outside until they commit', async () => {
        await seed([{ _id: id('base'), v: 1, run: prefix }]);
        const seenInside = await store.transaction(async (tx) => {
          await tx.put(DOCS, { _id: id('pending'), v: 1, run: prefix });
          await tx.patch(DOCS, id('base'), { v: 2 });
          return {
            get: await store.get(DOCS, id('pending')),
            base: await store.get(DOCS, id('base')),
            find: await store.find(DOCS, { run: prefix }),
          };
        });
        expect(seenInside.get).toBeNull();
        expect(seenInside.base).toEqual({ _id: id('base'), v: 1, run: prefix });
        expect(seenInside.find.map((d) => d._id)).toEqual([id('base')]);
        expect(await store.get(DOCS, id('pending'))).toEqual({ _id: id('pending'), v: 1, run: prefix });
        expect(await store.get(DOCS, id('base'))).toEqual({ _id: id('base'), v: 2, run: prefix });
      });

      check('refuse a tx object used after its transaction has ended', async () => {
        let leaked: Tx | undefined;
        await store.transaction(async (tx) => {
          leaked = tx;
        });
        await expect(leaked!.put(DOCS, { _id: id('late'), v: 1 })).rejects.toThrow();
        expect(await store.get(DOCS, id('late'))).toBeNull();
      });
    });

    describe('find (equality and ranges, outside transactions)', () => {
      const items = (): Item[] => [
        { _id: id('i1'), run: prefix, n: 1, name: 'a', flag: true, tag: 'x' },
        { _id: id('i2'), run: prefix, n: 2, name: 'b', flag: false, tag: null },
        { _id: id('i3'), run: prefix, n: 3, name: 'c', flag: 1 },
        { _id: id('i4'), run: prefix, n: 4, name: '1', flag: 'true', tag: 'x' },
        { _id: id('i5'), run: prefix, n: 1.5, name: 'e', flag: 0, tag: 'y', nested: { deep: 1 } },
      ];

      check('matches booleans strictly (true is not 1, false is not 0)', async () => {
        await seed(items(), ITEMS);
        expect(ids(await store.find(ITEMS, { run: prefix, flag: true }))).toEqual(['i1']);
        expect(ids(await store.find(ITEMS, { run: prefix, flag: false }))).toEqual(['i2']);
        expect(ids(await store.find(ITEMS, { run: prefix, flag: 1 }))).toEqual(['i3']);
        expect(ids(await store.find(ITEMS, { run: prefix, flag: 0 }))).toEqual(['i5']);
        expect(ids(await store.find(ITEMS, { run: prefix, flag: 'true' }))).toEqual(['i4']);
      });

      check('matches numbers and strings by value and type', async () => {
        await seed(items(), ITEMS);
        expect(ids(await store.find(ITEMS, { run: prefix, n: 1 }))).toEqual(['i1']);
        expect(ids(await store.find(ITEMS, { run: prefix, n: 1.5 }))).toEqual(['i5']);
        expect(ids(await store.find(ITEMS, { run: prefix, name: 'b' }))).toEqual(['i2']);
        expect(ids(await store.find(ITEMS, { run: prefix, name: '1' }))).toEqual(['i4']);
        expect(ids(await store.find(ITEMS, { run: prefix, name: 1 }))).toEqual([]);
        expect(ids(await store.find(ITEMS, { run: prefix, n: '1' }))).toEqual([]);
      });

      check('null matches null and missing fields', async () => {
        await seed(items(), ITEMS);
        expect(ids(await store.find(ITEMS, { run: prefix, tag: null }))).toEqual(['i2', 'i3']);
      });

      check('every field must match', async () => {
        await seed(items(), ITEMS);
        expect(ids(await store.find(ITEMS, { run: prefix, tag: 'x', flag: true }))).toEqual(['i1']);
        expect(ids(await store.find(ITEMS, { run: prefix, tag: 'x', n: 2 }))).toEqual([]);
        expect(await store.find(ITEMS, { run: `${prefix}-other` })).toEqual([]);
      });

      check('returns whole documents', async () => {
        await seed(items(), ITEMS);
        expect(await store.find(ITEMS, { run: prefix, name: 'e' })).toEqual([items()[4]]);
      });

      check('orders ascending and descending, with limit and offset', async () => {
        await seed(items(), ITEMS);
        const asc = { orderBy: { field: 'n', direction: 'asc' as const } };
        const desc = { orderBy: { field: 'n', direction: 'desc' as const } };
        expect(ids(await store.find(ITEMS, { run: prefix }, asc))).toEqual(['i1', 'i5', 'i2', 'i3', 'i4']);
        expect(ids(await store.find(ITEMS, { run: prefix }, desc))).toEqual(['i4', 'i3', 'i2', 'i5', 'i1']);
        expect(ids(await store.find(ITEMS, { run: prefix }, { ...asc, limit: 2 }))).toEqual(['i1', 'i5']);
        expect(ids(await store.find(ITEMS, { run: prefix }, { ...asc, limit: 2, offset: 2 }))).toEqual([
          'i2',
          'i3',
        ]);
        expect(ids(await store.find(ITEMS, { run: prefix }, { ...desc, offset: 3 }))).toEqual(['i5', 'i1']);
        expect(ids(await store.find(ITEMS, { run: prefix }, { ...asc, offset: 10 }))).toEqual([]);
        expect(ids(await store.find(ITEMS, { run: prefix }, { ...asc, limit: 0 }))).toEqual([]);
        expect(
          ids(
            await store.find(
              ITEMS,
              { run: prefix, tag: 'x' },
              { orderBy: { field: 'name', direction: 'asc' } },
            ),
          ),
        ).toEqual(['i4', 'i1']);
      });

      check('ranges: gt/gte/lt/lte, alone or together, numbers and strings', async () => {
        await seed(items(), ITEMS);
        expect(ids(await store.find(ITEMS, { run: prefix, n: { gt: 1 } }))).toEqual(['i2', 'i3', 'i4', 'i5']);
        expect(ids(await store.find(ITEMS, { run: prefix, n: { gte: 1.5, lt: 3 } }))).toEqual(['i2', 'i5']);
        expect(ids(await store.find(ITEMS, { run: prefix, n: { lte: 1 } }))).toEqual(['i1']);
        expect(ids(await store.find(ITEMS, { run: prefix, name: { gte: 'b' } }))).toEqual(['i2', 'i3', 'i5']);
        expect(ids(await store.find(ITEMS, { run: prefix, name: { gt: 'a', lt: 'e' } }))).toEqual([
          'i2',
          'i3',
        ]);
      });

      check('a range matches values of its own type only, never null or a missing field', async () => {
        await seed(items(), ITEMS);
        expect(await store.find(ITEMS, { run: prefix, n: { gt: '' } })).toEqual([]);
        expect(await store.find(ITEMS, { run: prefix, name: { lt: 1000 } })).toEqual([]);
        // i2's tag is null and i3 has none.
        expect(ids(await store.find(ITEMS, { run: prefix, tag: { gte: '' } }))).toEqual(['i1', 'i4', 'i5']);
      });

      check('keyset pages: a range on the ordering field resumes after the last one seen', async () => {
        await seed(items(), ITEMS);
        const byName = { orderBy: { field: 'name', direction: 'asc' as const }, limit: 2 };
        const first = await store.find<Item>(ITEMS, { run: prefix }, byName);
        expect(first.map((d) => d.name)).toEqual(['1', 'a']);
        const second = await store.find<Item>(
          ITEMS,
          { run: prefix, name: { gt: first[1]!.name as string } },
          byName,
        );
        expect(second.map((d) => d.name)).toEqual(['b', 'c']);
      });

      check('refuses a negative or fractional limit or offset', async () => {
        for (const bad of [{ limit: -1 }, { offset: -3 }, { limit: 1.5 }]) {
          await expect(store.find(ITEMS, { run: prefix }, bad)).rejects.toThrow(/bad (limit|offset)/);
        }
      });

      check('refuses a malformed range', async () => {
        for (const bad of [{}, { gt: 1, lt: 'x' }, { $gt: 1 }, { gt: true }, { gt: null }]) {
          await expect(store.find(ITEMS, { run: prefix, n: bad as never })).rejects.toThrow(
            /gt\/gte\/lt\/lte/,
          );
        }
      });

      check('returns every match when there is no limit', async () => {
        const many: Item[] = Array.from({ length: 30 }, (_, i) => ({
          _id: id(`m${String(i).padStart(2, '0')}`),
          run: prefix,
          n: 30 - i,
        }));
        await seed(many, ITEMS);
        const all = await store.find<Item>(
          ITEMS,
          { run: prefix },
          { orderBy: { field: 'n', direction: 'asc' } },
        );
        expect(all.map((d) => d.n)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      });
    });

    describe('lifecycle', () => {
      check('a closed store refuses transactions', async () => {
        await store.close();
        await expect(store.transaction(async () => 1)).rejects.toThrow();
      });

      (options.durable ? check : it.skip)(
        'committed data survives close and reopen; rolled-back data does not',
        async () => {
          await seed([{ _id: id('durable'), v: 1, run: prefix }]);
          await store
            .transaction(async (tx) => {
              await tx.put(DOCS, { _id: id('rolled'), v: 1, run: prefix });
              throw new Error('rollback');
            })
            .catch(() => undefined);
          if (!fixture.reopen) throw new Error('a durable fixture must provide reopen()');
          const again = await fixture.reopen();
          extra.push(again);
          expect(await again.get(DOCS, id('durable'))).toEqual({ _id: id('durable'), v: 1, run: prefix });
          expect(await again.get(DOCS, id('rolled'))).toBeNull();
          expect(ids(await again.find(DOCS, { run: prefix }))).toEqual(['durable']);
          await again.transaction((tx) => tx.patch(DOCS, id('durable'), { v: 2 }));
          expect(await again.get(DOCS, id('durable'))).toMatchObject({ v: 2 });
        },
      );
    });
  });
}
