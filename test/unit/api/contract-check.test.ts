import { ContractViolation, checkResponse, checkedRoutes, routeFor } from '../../support/contract';

describe('the response contract check', () => {
  it('matches a concrete path to its route, literal segments first', () => {
    expect(routeFor('GET', '/v1/agents/pm/versions?limit=5')?.routeKey).toBe(
      'GET /v1/agents/{id}/versions',
    );
    expect(routeFor('GET', '/v1/nothing')).toBeUndefined();
  });

  it('rejects a success body that the response schema refuses, and records the ones it accepts', () => {
    expect(() => checkResponse('GET', '/v1/me', 200, { hello: 'world' })).toThrow(
      ContractViolation,
    );
    expect(checkedRoutes.has('GET /v1/me')).toBe(false);

    checkResponse('GET', '/v1/me', 401, { hello: 'world' });
    checkResponse('GET', '/health', 200, 'anything');
    expect(checkedRoutes.size).toBe(0);
  });
});
