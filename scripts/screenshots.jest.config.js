/** Jest config used only by `npm run screenshots`: renders the pages' states to HTML (see scripts/screenshots.js). */
const path = require('path');
const pages = require('../jest.config.js').projects.find((p) => p.displayName === 'pages');

module.exports = {
  ...pages,
  rootDir: path.resolve(__dirname, '..'),
  displayName: 'screenshots',
  roots: ['<rootDir>/test/pages/screenshots'],
  testMatch: ['**/*.shots.ts'],
};
