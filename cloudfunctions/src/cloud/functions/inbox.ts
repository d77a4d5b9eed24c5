/** Cloud function `inbox`: bundled by scripts/build.ts into cloudfunctions/inbox/index.js. */
import { inbox } from '../../handlers/inbox';
import { cloudMain } from '../entry';

export const main = cloudMain('inbox', inbox);
