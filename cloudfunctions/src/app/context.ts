import type { Policy } from '../core/policy';
import type { Clock } from '../ports/clock';
import type { Notifier } from '../ports/notifier';
import type { Store } from '../ports/store';

export interface AppConfig {
  /** The sandbox function answers only when enabled (on locally, off in the cloud unless configured). */
  sandboxEnabled: boolean;
  /** Openids allowed to call the admin function. */
  operatorOpenids: readonly string[];
}

/** Everything a use case may touch: ports, the checked policy, configuration. */
export interface Deps {
  store: Store;
  clock: Clock;
  policy: Policy;
  notifier: Notifier;
  config: AppConfig;
}

/** One call: the caller's identity (from the context, never the payload) and the dependencies. */
export interface Ctx {
  openid: string;
  deps: Deps;
}
