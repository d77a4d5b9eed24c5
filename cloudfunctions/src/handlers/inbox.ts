import * as z from 'zod';
import { action, FunctionDef } from '../app/dispatch';
import { docId, emptyInput } from '../app/validation';
import { listMessages, readMessage, subscribe } from '../usecases/inbox';

export const inbox: FunctionDef = {
  list: action({ input: emptyInput, run: (ctx) => listMessages(ctx) }),
  subscribe: action({
    input: z.strictObject({
      types: z
        .array(
          z.enum([
            'statement_issued',
            'due_soon',
            'due_today',
            'overdue',
            'quota_changed',
            'risk_warning',
            'appeal_result',
            'auto_debit_failed',
            'repayment_received',
          ]),
        )
        .min(1)
        .max(10),
    }),
    run: (ctx, input) => subscribe(ctx, input.types),
  }),
  read: action({
    input: z.strictObject({ messageId: docId }),
    run: (ctx, input) => readMessage(ctx, input.messageId),
  }),
};
