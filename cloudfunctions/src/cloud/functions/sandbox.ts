/** Cloud function `sandbox`: bundled by scripts/build.ts into cloudfunctions/sandbox/index.js. */
import { sandbox } from '../../handlers/sandbox';
import { cloudMain } from '../entry';

export const main = cloudMain('sandbox', sandbox);
