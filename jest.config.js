/**
 * Jest runs TypeScript as native ESM (middy is ESM-only); ts-jest transpiles without type-checking
 * (tsc does that). One project per kind of test, all with the same transform: `npm test` runs them
 * all, `npm test -- --selectProjects unit` one of them, and .ci/run times each (.ci/test-projects.sh).
 */
const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // The Data API endpoint binds a transaction to a server connection: its suites need the
  // PostgreSQL server at DATABASE_URL (CI's second and third runs), not PGlite.
  testPathIgnorePatterns: [
    '/node_modules/',
    ...(process.env.DATABASE_URL ? [] : ['<rootDir>/test/integration/aws/', '<rootDir>/test/aws/']),
  ],
  testTimeout: 60000,
};

/** name → directory under test/ (the web project's files choose jsdom in their docblock). */
export const PROJECTS = {
  unit: 'unit',
  integration: 'integration',
  web: 'web',
  e2e: 'e2e',
  infra: 'infra',
  // The deploy rehearsal (`npm run test:aws`): needs the PostgreSQL server at DATABASE_URL.
  aws: 'aws',
};

export default {
  testTimeout: base.testTimeout,
  projects: Object.entries(PROJECTS).map(([name, dir]) => ({
    ...base,
    displayName: name,
    testMatch: [`<rootDir>/test/${dir}/**/*.test.ts`, `<rootDir>/test/${dir}/**/*.test.tsx`],
    // The infra project builds every function once for its synth tests.
    ...(name === 'infra'
      ? {
          globalSetup: '<rootDir>/test/infra/global-setup.mjs',
          globalTeardown: '<rootDir>/test/infra/global-teardown.mjs',
        }
      : {}),
  })),
};
