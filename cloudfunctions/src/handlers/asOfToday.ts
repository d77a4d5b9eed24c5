/**
 * Every action runs on its caller's account as of today (usecases/current.ts): both entry points,
 * the local gateway's function table and each cloud function's `main`, serve actions through this.
 */
import type { ActionDef, FunctionDef } from '../app/dispatch';
import { caughtUp } from '../usecases/current';

export function asOfToday(def: FunctionDef): FunctionDef {
  const wrapped: FunctionDef = {};
  for (const [name, entry] of Object.entries(def)) {
    const run: ActionDef['run'] = (ctx, input) => caughtUp(ctx, (c) => entry.run(c, input));
    wrapped[name] = { ...entry, run };
  }
  return wrapped;
}
