/**
 * Grants derived from the manifest, read back from the synthesized templates: every function that
 * serves an authenticated route can read the JWT signing key (variable and grant); tenant-secret
 * writes only where secrets are written; the database owner secret only in the migrate function.
 */
import { rmSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { functions, secretsOf, type FunctionName, type FunctionSpec } from '../../infra/manifest';
import { lambdasByManifestName, statementsOfRole } from './template-queries';
import { cdkJsonContext, synthesize, type Synthesized } from './synth';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
}, 240_000);
afterAll(() => rmSync(synth.outdir, { recursive: true, force: true }));

const entries = () => Object.entries(functions) as Array<[FunctionName, FunctionSpec]>;
const actionsOf = (s: { Action: string | string[] }) => [s.Action].flat();
const mentions = (value: unknown, text: string) => JSON.stringify(value).includes(text);

describe('the JWT signing key', () => {
  it('is derived for every function with a non-public route, and only the key is granted', () => {
    // Prepare
    const lambdas = lambdasByManifestName(synth);
    const authenticated = entries().filter(([, spec]) =>
      (spec.routes ?? []).some((r) => r.access !== 'public'),
    );
    expect(authenticated.length).toBeGreaterThan(10);
    for (const [name, spec] of authenticated) {
      // Act
      const fn = lambdas.get(name)!;
      const env = fn.resource.Properties.Environment.Variables;
      const statements = statementsOfRole(synth, fn);
      // Assess
      expect({ name, uses: secretsOf(spec).some((s) => s.name === 'jwtSigningKey') }).toEqual({
        name,
        uses: true,
      });
      expect({ name, env: env.JWT_SECRET_ID }).toEqual({ name, env: expect.anything() });
      const grant = statements.find(
        (s) =>
          actionsOf(s).includes('secretsmanager:GetSecretValue') &&
          mentions(s.Resource, 'JwtSigningKey'),
      );
      expect({ name, granted: Boolean(grant) }).toEqual({ name, granted: true });
    }
  });

  it('is neither set nor granted where every route is public and nothing declares it', () => {
    // Prepare
    const lambdas = lambdasByManifestName(synth);
    for (const name of ['meta', 'webhooks'] as FunctionName[]) {
      // Act
      const fn = lambdas.get(name)!;
      // Assess
      expect({ name, env: fn.resource.Properties.Environment.Variables.JWT_SECRET_ID }).toEqual({
        name,
        env: undefined,
      });
      expect(statementsOfRole(synth, fn).some((s) => mentions(s.Resource, 'JwtSigningKey'))).toBe(
        false,
      );
    }
  });
});

describe('tenant secrets', () => {
  const WRITES = [
    'secretsmanager:PutSecretValue',
    'secretsmanager:CreateSecret',
    'secretsmanager:DeleteSecret',
  ];
  const tenantStatements = (name: FunctionName) =>
    statementsOfRole(synth, lambdasByManifestName(synth).get(name)!).filter((s) =>
      mentions(s.Resource, 'hishamos/tenants/'),
    );

  it('may be written only by the functions that write them (providers, triggers, members: SSO)', () => {
    // Prepare
    const writers = entries()
      .filter(([, spec]) =>
        secretsOf(spec).some((s) => s.name === 'tenantSecrets' && s.access === 'write'),
      )
      .map(([n]) => n)
      .sort();
    // Act
    const granted = entries()
      .filter(([name]) =>
        tenantStatements(name).some((s) => actionsOf(s).some((a) => WRITES.includes(a))),
      )
      .map(([n]) => n)
      .sort();
    // Assess
    expect(writers).toEqual(['members', 'providers', 'triggers']);
    expect(granted).toEqual(writers);
  });

  it('are read with GetSecretValue only by the read-only functions', () => {
    // Prepare
    const readers = entries().filter(([, spec]) =>
      secretsOf(spec).some((s) => s.name === 'tenantSecrets' && s.access === 'read'),
    );
    expect(readers.map(([n]) => n).sort()).toEqual(
      [
        'auth',
        'embedChunks',
        'knowledge',
        'reconcileWebhooks',
        'runAgentStep',
        'runToolStep',
        'webhooks',
      ].sort(),
    );
    for (const [name] of readers) {
      // Act
      const actions = tenantStatements(name).flatMap(actionsOf);
      // Assess
      expect({ name, actions }).toEqual({ name, actions: ['secretsmanager:GetSecretValue'] });
    }
  });
});

describe('the offline simulator in AWS', () => {
  const simulatorSetting = (s: Synthesized) =>
    [...lambdasByManifestName(s).entries()].map(([name, fn]) => ({
      name,
      allowed: fn.resource.Properties.Environment.Variables.SIMULATOR_ALLOWED,
    }));

  it('is off on every function unless the deployment opts in', () => {
    // Act
    const settings = simulatorSetting(synth);
    // Assess
    expect(settings).toHaveLength(Object.keys(functions).length);
    expect(settings.filter((s) => s.allowed !== 'false')).toEqual([]);
  });

  it('answers only with -c allowSimulator=true', () => {
    // Prepare: the same bundles, another app with the opt-in context
    const optedIn = synthesize({
      bundle: false,
      functionsDir: synth.built.bundle?.outDir,
      nag: false,
      context: { ...cdkJsonContext(), allowSimulator: 'true' },
    });
    try {
      // Act
      const settings = simulatorSetting(optedIn);
      // Assess
      expect(settings.filter((s) => s.allowed !== 'true')).toEqual([]);
    } finally {
      rmSync(optedIn.outdir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('database credentials', () => {
  const OWNER = 'AuroraSecret';
  const APP = 'AppDatabaseSecret';
  const databaseUsers = () =>
    entries().filter(([, spec]) => Boolean((spec.uses as { database?: unknown }).database));

  it('generates a secret for the application user hishamos_api, attached to the cluster', () => {
    // Act / Assess
    const data = synth.templates['HishamOS-Data']!;
    data.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: Match.stringLikeRegexp('"username":"hishamos_api"'),
        GenerateStringKey: 'password',
      }),
    });
    data.hasResourceProperties('AWS::SecretsManager::SecretTargetAttachment', {
      SecretId: { Ref: Match.stringLikeRegexp(`^${APP}`) },
      TargetType: 'AWS::RDS::DBCluster',
    });
  });

  it('connects every function but migrate as the application user, never the owner', () => {
    // Prepare
    const lambdas = lambdasByManifestName(synth);
    const users = databaseUsers().filter(([name]) => name !== 'migrate');
    expect(users.length).toBeGreaterThan(15);
    for (const [name] of users) {
      // Act
      const fn = lambdas.get(name)!;
      const env = fn.resource.Properties.Environment.Variables;
      const statements = statementsOfRole(synth, fn);
      // Assess
      expect({ name, app: mentions(env.DB_SECRET_ARN, APP), owner: mentions(env, OWNER) }).toEqual({
        name,
        app: true,
        owner: false,
      });
      expect({ name, ownerGrant: statements.some((s) => mentions(s.Resource, OWNER)) }).toEqual({
        name,
        ownerGrant: false,
      });
      const dataApi = statements.find((s) => actionsOf(s).includes('rds-data:ExecuteStatement'));
      expect({ name, dataApi: Boolean(dataApi) }).toEqual({ name, dataApi: true });
      const readsApp = statements.some(
        (s) => actionsOf(s).includes('secretsmanager:GetSecretValue') && mentions(s.Resource, APP),
      );
      expect({ name, readsApp }).toEqual({ name, readsApp: true });
    }
  });

  it('gives the owner secret to the migrate function alone, with the app secret to provision', () => {
    // Prepare
    const lambdas = lambdasByManifestName(synth);
    const migrate = lambdas.get('migrate')!;
    const env = migrate.resource.Properties.Environment.Variables;
    // Act
    const ownerReaders = [...lambdas.entries()]
      .filter(([, fn]) =>
        statementsOfRole(synth, fn).some(
          (s) =>
            actionsOf(s).includes('secretsmanager:GetSecretValue') && mentions(s.Resource, OWNER),
        ),
      )
      .map(([name]) => name);
    // Assess
    expect(ownerReaders).toEqual(['migrate']);
    expect(mentions(env.DB_SECRET_ARN, OWNER)).toBe(true);
    expect(mentions(env.DB_APP_SECRET_ARN, APP)).toBe(true);
    expect(
      statementsOfRole(synth, migrate).some(
        (s) => actionsOf(s).includes('secretsmanager:GetSecretValue') && mentions(s.Resource, APP),
      ),
    ).toBe(true);
  });
});

describe('the artifacts bucket (large step payloads, ADR 105; batch item lists, ADR 160)', () => {
  it('is granted, with its variable, only to the functions that write or read step payloads or item lists', () => {
    // Prepare
    const lambdas = lambdasByManifestName(synth);
    const expected = [
      'batches',
      'finalizeRun',
      'planRun',
      'runAgentStep',
      'runChildStep',
      'runToolStep',
      'runs',
    ].sort();
    // Act
    const granted = [...lambdas.entries()]
      .filter(([, fn]) =>
        statementsOfRole(synth, fn).some(
          (s) => actionsOf(s).includes('s3:GetObject') && mentions(s.Resource, '-artifacts-'),
        ),
      )
      .map(([name]) => name)
      .sort();
    const withVariable = [...lambdas.entries()]
      .filter(([, fn]) => fn.resource.Properties.Environment.Variables.ARTIFACTS_BUCKET)
      .map(([name]) => name)
      .sort();
    // Assess
    expect(granted).toEqual(expected);
    expect(withVariable).toEqual(expected);
    // Only the steps that offload payloads (and the batch API, its item lists) write; the rest read.
    const writers = new Set(['batches', 'runAgentStep', 'runToolStep']);
    for (const name of expected) {
      const actions = statementsOfRole(synth, lambdas.get(name)!)
        .filter((s) => mentions(s.Resource, '-artifacts-'))
        .flatMap(actionsOf)
        .sort();
      expect({ name, actions }).toEqual({
        name,
        actions: writers.has(name)
          ? ['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']
          : ['s3:GetObject', 's3:ListBucket'],
      });
    }
  });

  it('the chunking step only reads the documents bucket', () => {
    // Act
    const chunk = lambdasByManifestName(synth).get('chunkDocument')!;
    const actions = statementsOfRole(synth, chunk)
      .filter((s) => mentions(s.Resource, '-documents-'))
      .flatMap(actionsOf)
      .sort();
    // Assess
    expect(actions).toEqual(['s3:GetObject', 's3:ListBucket']);
  });
});
