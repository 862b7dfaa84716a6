/**
 * cdk-nag finding ids embed ARNs, rendered with literals when the stack environment is known
 * (`cdk deploy` with an account and region) and with `<AWS::...>` placeholders otherwise. The
 * acknowledgements must match in both cases; cdk-app.test.ts covers the environment-agnostic one.
 */
import { rmSync } from 'node:fs';
import { synthesize, type Synthesized } from './synth';

let synth: Synthesized;

beforeAll(() => {
  synth = synthesize({
    env: { account: '123456789012', region: 'eu-west-1' },
    stackPrefix: 'HishamOSEnv',
    publicUrl: 'https://console.example.com',
  });
}, 180_000);

afterAll(() => rmSync(synth.outdir, { recursive: true, force: true }));

describe('cdk-nag with a concrete account and region', () => {
  it('synthesizes with no unacknowledged AwsSolutions error', () => {
    // Act
    const errors = synth.violations.filter(
      (v) =>
        v.ruleName.startsWith('AwsSolutions-') &&
        (v.severity === 'error' || v.severity === 'fatal'),
    );
    // Assess
    expect(
      errors.map(
        (e) =>
          `${e.ruleName} @ ${(e.violatingConstructs ?? []).map((c) => c.constructPath).join(', ')}`,
      ),
    ).toEqual([]);
    expect(synth.synthError?.message).toBeUndefined();
  });

  it('gives the functions that post links the console URL from hishamos:publicUrl', () => {
    const lambdas = Object.values(synth.json['HishamOSEnv-Workflows']!.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    );
    expect(lambdas.length).toBeGreaterThan(0);
    for (const l of lambdas)
      expect(l.Properties.Environment.Variables.PUBLIC_URL).toBe('https://console.example.com');
  });

  it('names the stacks with the requested prefix', () => {
    expect(Object.keys(synth.json).sort()).toEqual([
      'HishamOSEnv-Api',
      'HishamOSEnv-Data',
      'HishamOSEnv-Web',
      'HishamOSEnv-Workflows',
    ]);
  });
});
