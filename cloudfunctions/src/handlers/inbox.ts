import { z } from 'zod';
import { action, FunctionDef } from '../app/dispatch';
import { docId, emptyInput } from '../app/validation';
import { listMessages, readMessage } from '../usecases/inbox';

export const inbox: FunctionDef = {
  list: action({ input: emptyInput, run: (ctx) => listMessages(ctx) }),
  read: action({
    input: z.strictObject({ messageId: docId }),
    run: (ctx, input) => readMessage(ctx, input.messageId),
  }),
};
