/**
 * The toolchain runs Node 22 whatever the system Node is: npm scripts find the `node`
 * devDependency under node_modules/.bin first (ADR 006). Jest and its workers must be on it too,
 * since aws-local-stepfunctions needs Promise.withResolvers and no polyfill is installed any more.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

describe('Node baseline', () => {
  it('runs the tests on Node 22 or newer', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22);
    expect(typeof Promise.withResolvers).toBe('function');
  });

  it('declares the same floor in engines and pins the node devDependency to 22', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    expect(pkg.engines.node).toBe('>=22');
    expect(pkg.devDependencies.node).toMatch(/^\^22\./);
  });
});
