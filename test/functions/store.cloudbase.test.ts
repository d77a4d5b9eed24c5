/**
 * The Store contract against a live CloudBase environment. Runs only when an environment and
 * credentials are configured:
 *   TCB_ENV=<env id> and TENCENTCLOUD_SECRETID + TENCENTCLOUD_SECRETKEY (optionally
 *   TENCENTCLOUD_SESSIONTOKEN), or CLOUDBASE_APIKEY — the variables @cloudbase/node-sdk reads.
 * It creates the contract collections if they are missing and leaves its (uniquely prefixed)
 * documents behind. Without credentials it is skipped, and says so.
 */
import { createCloudbaseStore } from '../../cloudfunctions/src/adapters/cloudbase/cloudbaseStore';
import { CONTRACT_COLLECTIONS, describeStoreContract } from './store.contract';

const env = process.env.TCB_ENV;
const hasCredentials = Boolean(
  (process.env.TENCENTCLOUD_SECRETID && process.env.TENCENTCLOUD_SECRETKEY) || process.env.CLOUDBASE_APIKEY,
);

if (env && hasCredentials) {
  let collectionsReady: Promise<void> | undefined;
  describeStoreContract(
    `CloudbaseStore (live environment ${env})`,
    async () => {
      const store = createCloudbaseStore({ env });
      collectionsReady ??= (async () => {
        for (const name of CONTRACT_COLLECTIONS) await store.ensureCollection(name);
      })();
      await collectionsReady;
      return { store };
    },
    { timeoutMs: 60_000 },
  );
} else {
  describe.skip('Store contract: CloudbaseStore (live) — skipped: set TCB_ENV and TENCENTCLOUD_SECRETID/TENCENTCLOUD_SECRETKEY (or CLOUDBASE_APIKEY) to run it', () => {
    it('needs a CloudBase environment and credentials', () => undefined);
  });
}
