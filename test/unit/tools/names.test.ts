/**
 * Workflow validation knows tool steps by name (shared/tools/names.ts) without loading the tools
 * (ADR 185); the registry must hold exactly those names.
 */
import { getTool, registerTool } from '../../../shared/tools';
import { knownTool, TOOL_STEP_NAMES } from '../../../shared/tools/names';

test('every tool step name validation knows is a registered tool', () => {
  // Act
  const missing = TOOL_STEP_NAMES.filter((name) => getTool(name) === undefined);

  // Assess
  expect(missing).toEqual([]);
  expect(knownTool('github.comment')).toBe(true);
  expect(knownTool('github.merge')).toBe(false);
});

test('a tool validation does not name cannot be registered', () => {
  // Act
  const register = () =>
    registerTool({ name: 'github.merge', description: 'not named', run: async () => null });

  // Assess
  expect(register).toThrow(/github\.merge is not in TOOL_STEP_NAMES/);
  expect(getTool('github.merge')).toBeUndefined();
});
