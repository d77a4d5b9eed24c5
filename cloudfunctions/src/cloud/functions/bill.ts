/** Cloud function `bill`: bundled by scripts/build.ts into cloudfunctions/bill/index.js. */
import { bill } from '../../handlers/bill';
import { cloudMain } from '../entry';

export const main = cloudMain('bill', bill);
