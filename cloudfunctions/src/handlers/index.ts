/** Every cloud function's action table; the gateway and the cloud entry points both serve these. */
import type { FunctionDef } from '../app/dispatch';
import { admin } from './admin';
import { asOfToday } from './asOfToday';
import { bill } from './bill';
import { credit } from './credit';
import { inbox } from './inbox';
import { risk } from './risk';
import { pay } from './pay';
import { sandbox } from './sandbox';

export const FUNCTIONS: Record<string, FunctionDef> = Object.fromEntries(
  Object.entries({ credit, pay, bill, risk, inbox, sandbox, admin }).map(([name, def]) => [
    name,
    asOfToday(def),
  ]),
);
