/** Two projects: the server side runs in node, the mini program pages in jsdom. */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }];
module.exports = {
  projects: [
    {
      displayName: 'server',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/core', '<rootDir>/test/functions', '<rootDir>/test/e2e'],
      moduleFileExtensions: ['ts', 'js', 'json'],
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['**/*.test.ts'],
    },
  ],
};
