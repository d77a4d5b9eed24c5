/** Cloud function `credit`: bundled by scripts/build.ts into cloudfunctions/credit/index.js. */
import { credit } from '../../handlers/credit';
import { cloudMain } from '../entry';

export const main = cloudMain('credit', credit);
