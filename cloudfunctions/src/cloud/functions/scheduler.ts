/** Cloud function `scheduler` (timer-triggered): bundled by scripts/build.ts into cloudfunctions/scheduler/index.js. */
import { schedulerMain } from '../scheduler';

export const main = schedulerMain();
