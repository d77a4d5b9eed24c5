/**
 * Every collection the product stores, with the fields it is queried by. The SQLite adapter
 * creates these indexes; the CloudBase deployment docs and rules are generated from this list.
 */
export const COLLECTIONS = {
  profiles: { indexes: [] },
  accounts: { indexes: [['shard', 'lastDay']] },
  applications: { indexes: [] },
  invitations: { indexes: [] },
  txns: { indexes: [['openid', 'at']] },
  statements: { indexes: [['openid', 'statementDate']] },
  plans: { indexes: [['openid', 'createdAt']] },
  repayments: { indexes: [['openid', 'at']] },
  riskEvents: { indexes: [['openid', 'createdAt']] },
  appeals: {
    indexes: [
      ['openid', 'createdAt'],
      ['status', 'reviewDueAt'],
    ],
  },
  messages: { indexes: [['openid', 'createdAt'], ['push']] },
  subscriptions: { indexes: [] },
  creditRecords: { indexes: [['openid', 'recordedAt']] },
  idempotency: { indexes: [] },
  meta: { indexes: [] },
} as const satisfies Record<string, { indexes: readonly (readonly string[])[] }>;

export type CollectionName = keyof typeof COLLECTIONS;
