/**
 * The physical floor of the statement day: what any implementation on this store layout must at
 * least do, with nothing else. For every account due, it reads the documents the day needs once
 * (the account, its profile, its current statement, its active plans and its unbilled purchases,
 * by the same indexes the store has) and writes the documents the day changes or creates once
 * (the account, the statement, each plan and purchase, one new statement and one message), as
 * JSON, with prepared statements, in transactions of `batch` accounts with the store's settings
 * (WAL, synchronous = FULL, the same page cache). Accounts are streamed by keyset pages, never all
 * in memory.
 */
import Database from 'better-sqlite3';
import { columnOf, keysOf, layoutOf } from '../cloudfunctions/src/adapters/sqlite/layout';

interface Row {
  id: string;
  data: string;
}

interface FloorAccount {
  _id: string;
  openid: string;
  lastDay: string;
  currentStatementId: string | null;
  activePlanIds: string[];
}

export interface FloorResult {
  accounts: number;
  read: number;
  written: number;
}

export function runFloor(file: string, today: string, period: string, batch = 1000): FloorResult {
  const db = new Database(file);
  // The store's own settings (adapters/sqlite/sqliteStore.ts).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -32768');
  const get = (c: string) => db.prepare(layoutOf(c).get);
  // Writes as the store makes them (adapters/sqlite/layout.ts): a document whose key columns keep
  // their values is rewritten in place, else its row is replaced.
  const put = (c: string) => {
    const layout = layoutOf(c);
    const update = db.prepare(layout.update);
    const upsert = db.prepare(layout.upsert);
    return {
      run(doc: { _id: string } & Record<string, unknown>): void {
        const data = JSON.stringify(doc);
        const keys = keysOf(layout, doc);
        if (keys.length > 0 && update.run(data, doc._id, ...keys).changes === 1) return;
        upsert.run(doc._id, data, ...keys);
      },
    };
  };
  const page = db.prepare(`SELECT id, data FROM c_accounts WHERE id > ? ORDER BY id LIMIT ?`);
  const getProfile = get('profiles');
  const getStatement = get('statements');
  const getPlan = get('plans');
  const unbilled = db.prepare(
    `SELECT data FROM c_txns WHERE ${columnOf('openid')} = ? AND json_extract(data, '$.status') = 'unbilled'`,
  );
  const putAccount = put('accounts');
  const putStatement = put('statements');
  const putPlan = put('plans');
  const putTxn = put('txns');
  const putMessage = put('messages');
  const parse = (row: unknown) =>
    row ? (JSON.parse((row as { data: string }).data) as { _id: string } & Record<string, unknown>) : null;

  const result: FloorResult = { accounts: 0, read: 0, written: 0 };
  let after = '';
  for (;;) {
    const rows = page.all(after, batch) as Row[];
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    db.exec('BEGIN IMMEDIATE');
    for (const row of rows) {
      const account = JSON.parse(row.data) as FloorAccount;
      if (account.lastDay >= today) continue;
      result.accounts += 1;
      const profile = parse(getProfile.get(account.openid));
      const statement = account.currentStatementId
        ? parse(getStatement.get(account.currentStatementId))
        : null;
      const plans = account.activePlanIds.map((id) => parse(getPlan.get(id)));
      const txns = (unbilled.all(account.openid) as Row[]).map(
        (r) => JSON.parse(r.data) as { _id: string } & Record<string, unknown>,
      );
      result.read += 1 + (profile ? 1 : 0) + (statement ? 1 : 0) + plans.length + txns.length;

      putAccount.run({ ...account, lastDay: today });
      if (statement) putStatement.run({ ...statement, status: 'carried' });
      for (const plan of plans) if (plan) putPlan.run({ ...plan, periodsBilled: 1 });
      for (const t of txns) putTxn.run({ ...t, status: 'billed' });
      const next = {
        ...(statement ?? {}),
        _id: `st_floor_${account.openid}_${period}`,
        openid: account.openid,
        period,
        lines: txns.map((t) => ({ kind: 'purchase', txnId: t._id, amountFen: t.amountFen, at: t.at })),
      };
      putStatement.run(next);
      putMessage.run({
        _id: `msg_floor_${account.openid}_${period}`,
        openid: account.openid,
        type: 'statement_issued',
        title: '11月账单已出',
        body: '本期应还 1234.56 元，最低还款 123.45 元，请于 12月10日 前还款。',
        createdAt: Date.now(),
        read: false,
        push: 'none',
      });
      result.written += 4 + (statement ? 1 : 0) + plans.length + txns.length;
    }
    db.exec('COMMIT');
  }
  db.close();
  return result;
}
