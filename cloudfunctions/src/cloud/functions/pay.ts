/** Cloud function `pay`: bundled by scripts/build.ts into cloudfunctions/pay/index.js. */
import { pay } from '../../handlers/pay';
import { cloudMain } from '../entry';

export const main = cloudMain('pay', pay);
