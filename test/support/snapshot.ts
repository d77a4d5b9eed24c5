/**
 * Whole-database snapshots and their differences, for "this request changed nothing but X"
 * assertions. Covers every collection the product declares (COLLECTIONS), so a collection added
 * later is compared too.
 */
import type { Doc, Store } from '../../cloudfunctions/src/ports/store';
import { COLLECTIONS } from '../../cloudfunctions/src/ports/collections';

export type Snapshot = Record<string, Record<string, Doc>>;

export async function snapshotOf(store: Store): Promise<Snapshot> {
  const all: Snapshot = {};
  for (const name of new Set([...Object.keys(COLLECTIONS), 'meta'])) {
    const docs = await store.find<Doc>(name, {});
    all[name] = Object.fromEntries(docs.map((d) => [d._id, d]));
  }
  return all;
}

export interface CollectionDiff {
  added: Doc[];
  removed: Doc[];
  /** Changed documents with the top-level fields whose value differs. */
  changed: { id: string; fields: string[]; before: Doc; after: Doc }[];
}

/** Per collection, only the collections that differ. */
export function diffSnapshots(before: Snapshot, after: Snapshot): Record<string, CollectionDiff> {
  const out: Record<string, CollectionDiff> = {};
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const name of names) {
    const b = before[name] ?? {};
    const a = after[name] ?? {};
    const d: CollectionDiff = { added: [], removed: [], changed: [] };
    for (const [id, doc] of Object.entries(a)) {
      const prior = b[id];
      if (!prior) d.added.push(doc);
      else if (JSON.stringify(prior) !== JSON.stringify(doc)) {
        const keys = new Set([...Object.keys(prior), ...Object.keys(doc)]);
        const fields = [...keys].filter((k) => JSON.stringify(prior[k]) !== JSON.stringify(doc[k])).sort();
        d.changed.push({ id, fields, before: prior, after: doc });
      }
    }
    for (const [id, doc] of Object.entries(b)) if (!a[id]) d.removed.push(doc);
    if (d.added.length + d.removed.length + d.changed.length > 0) out[name] = d;
  }
  return out;
}

/** A compact, comparable summary: { collection: { added: n, removed: n, changed: { id: [fields] } } }. */
export function summarize(diff: Record<string, CollectionDiff>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(diff)) {
    const entry: Record<string, unknown> = {};
    if (d.added.length) entry.added = d.added.length;
    if (d.removed.length) entry.removed = d.removed.length;
    if (d.changed.length) entry.changed = Object.fromEntries(d.changed.map((c) => [c.id, c.fields]));
    out[name] = entry;
  }
  return out;
}
