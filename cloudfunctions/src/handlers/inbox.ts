import * as z from 'zod';
import { action, FunctionDef } from '../app/dispatch';
import { docId, emptyInput } from '../app/validation';
import { MESSAGE_TYPES } from '../usecases/documents';
import { listMessages, readMessage, subscribe, unsubscribe } from '../usecases/inbox';

export const inbox: FunctionDef = {
  list: action({ input: emptyInput, run: (ctx) => listMessages(ctx) }),
  subscribe: action({
    input: z.strictObject({
      types: z.array(z.enum(MESSAGE_TYPES)).min(1).max(10),
    }),
    run: (ctx, input) => subscribe(ctx, input.types),
  }),
  unsubscribe: action({ input: emptyInput, run: (ctx) => unsubscribe(ctx) }),
  read: action({
    input: z.strictObject({ messageId: docId }),
    run: (ctx, input) => readMessage(ctx, input.messageId),
  }),
};
