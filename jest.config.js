/** Two projects: the server side runs in node, the mini program pages in jsdom. */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }];
module.exports = {
  projects: [
    {
      displayName: 'server',
      testEnvironment: 'node',
      roots: [
        '<rootDir>/test/core',
        '<rootDir>/test/functions',
        '<rootDir>/test/e2e',
        '<rootDir>/test/sim',
        '<rootDir>/test/security',
      ],
      moduleFileExtensions: ['ts', 'js', 'json'],
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['**/*.test.ts'],
    },
    {
      // The mini program: pages are Component()s rendered by miniprogram-simulate with their real WXML/WXSS.
      displayName: 'pages',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/test/pages'],
      moduleFileExtensions: ['ts', 'js', 'json'],
      // esbuild strips types and converts ES modules (ours and TDesign's copy in miniprogram_npm).
      transform: { '^.+\\.(ts|js)$': '<rootDir>/test/pages/support/transform.js' },
      transformIgnorePatterns: ['/node_modules/'],
      // How the mini program resolves bare imports: miniprogram_npm, like DevTools.
      moduleDirectories: ['node_modules', 'miniprogram_npm'],
      globalSetup: '<rootDir>/test/pages/support/global-setup.js',
      setupFiles: ['<rootDir>/test/pages/support/setup.js'],
      testMatch: ['**/*.test.ts'],
    },
  ],
};
