/** Lookups over synthesized templates shared by the infra tests. */
import { FUNCTION_NAME_TAG } from '../../infra/aws/constructs/hisham-function';
import type { Synthesized } from './synth';

export interface FoundLambda {
  readonly stack: string;
  readonly logicalId: string;
  readonly resource: any;
}

export interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Effect: string;
}

/** Every Lambda that carries the manifest name tag, by manifest name. */
export function lambdasByManifestName(synth: Synthesized): Map<string, FoundLambda> {
  const found = new Map<string, FoundLambda>();
  for (const [stack, template] of Object.entries(synth.json)) {
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const tags: Array<{ Key: string; Value: string }> = resource.Properties?.Tags ?? [];
      const name = tags.find((t) => t.Key === FUNCTION_NAME_TAG)?.Value;
      if (name) found.set(name, { stack, logicalId, resource });
    }
  }
  return found;
}

/** The statements of every IAM policy attached to a function's role, in its stack. */
export function statementsOfRole(synth: Synthesized, fn: FoundLambda): Statement[] {
  const role = fn.resource.Properties.Role['Fn::GetAtt'][0];
  return Object.values(synth.json[fn.stack]!.Resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        (r.Properties.Roles as Array<{ Ref?: string }>).some((x) => x.Ref === role),
    )
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
}
