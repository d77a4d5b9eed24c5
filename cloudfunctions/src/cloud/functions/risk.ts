/** Cloud function `risk`: bundled by scripts/build.ts into cloudfunctions/risk/index.js. */
import { risk } from '../../handlers/risk';
import { cloudMain } from '../entry';

export const main = cloudMain('risk', risk);
