/** Cloud function `admin`: bundled by scripts/build.ts into cloudfunctions/admin/index.js. */
import { admin } from '../../handlers/admin';
import { cloudMain } from '../entry';

export const main = cloudMain('admin', admin);
