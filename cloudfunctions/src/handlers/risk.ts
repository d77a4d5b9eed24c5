import * as z from 'zod';
import { action, FunctionDef } from '../app/dispatch';
import { docId, emptyInput, text } from '../app/validation';
import { fileAppeal, listAppeals, listEvents } from '../usecases/appeals';
import { ACTIVE_POLICY } from '../core/policyLoader';

export const risk: FunctionDef = {
  events: action({ input: emptyInput, run: (ctx) => listEvents(ctx) }),
  appeal: action({
    input: z.strictObject({ eventId: docId, reason: text(ACTIVE_POLICY.risk.appealReasonMaxChars) }),
    run: (ctx, input) => fileAppeal(ctx, input),
  }),
  appeals: action({ input: emptyInput, run: (ctx) => listAppeals(ctx) }),
};
