/**
 * Helpers over synthesized CloudFormation templates, shared by the infra tests and the local runtime
 * parity test (same routes in AWS as in the local HTTP server).
 */
import type { Template } from 'aws-cdk-lib/assertions';

/** Every `AWS::ApiGatewayV2::Route` RouteKey in the template (e.g. `GET /v1/agents/{id}`), sorted. */
export function routeKeysInTemplate(template: Template): string[] {
  const routes = template.findResources('AWS::ApiGatewayV2::Route');
  return Object.values(routes)
    .map((r) => (r as { Properties: { RouteKey: unknown } }).Properties.RouteKey)
    .filter((k): k is string => typeof k === 'string')
    .sort();
}
