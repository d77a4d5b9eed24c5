/**
 * Jest transformer for the pages project: esbuild strips TypeScript types (as DevTools does) and turns
 * ES modules into CommonJS, for our .ts sources and for the ES-module builds copied into miniprogram_npm
 * (TDesign ships `import … from "tslib"`). Type checking is `npm run typecheck`'s job, not the tests'.
 */
const crypto = require('crypto');
const esbuild = require('esbuild');

module.exports = {
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update('v1').update(filename).update(source).digest('hex');
  },
  process(source, filename) {
    const { code, map } = esbuild.transformSync(source, {
      loader: filename.endsWith('.ts') ? 'ts' : 'js',
      format: 'cjs',
      target: 'es2020',
      sourcemap: 'external',
      sourcefile: filename,
    });
    return { code, map };
  },
};
