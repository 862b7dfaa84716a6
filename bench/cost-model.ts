/**
 * The monthly cost of a deployment, computed from the synthesized templates (`npx cdk synth --quiet`
 * writes them to cdk.out/): what is billed while idle, and what 1,000 runs of feature-pipeline add.
 * Prices are us-east-1 list prices (see PRICES: each with its source); usage per run is stated as
 * assumptions next to the figures. `npx tsx bench/cost-model.ts [cdk.out]` prints docs/cost-model.md's
 * tables.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface Resource {
  Type: string;
  Properties?: Record<string, any>;
}

/** us-east-1 list prices, November 2026 (no free tier unless said). */
export const PRICES = {
  auroraAcuHour: {
    usd: 0.12,
    source:
      'https://aws.amazon.com/rds/aurora/pricing/ (Serverless v2, Aurora Standard, per ACU-hour)',
  },
  auroraStorageGbMonth: {
    usd: 0.1,
    source: 'https://aws.amazon.com/rds/aurora/pricing/ (Aurora Standard storage)',
  },
  auroraIoPerMillion: {
    usd: 0.2,
    source: 'https://aws.amazon.com/rds/aurora/pricing/ (Aurora Standard I/O)',
  },
  dataApiPerMillion: {
    usd: 0.35,
    source: 'https://aws.amazon.com/rds/aurora/pricing/ (Data API, first 1 billion requests)',
  },
  secretMonth: { usd: 0.4, source: 'https://aws.amazon.com/secrets-manager/pricing/' },
  secretCallsPer10k: { usd: 0.05, source: 'https://aws.amazon.com/secrets-manager/pricing/' },
  alarmMetricMonth: {
    usd: 0.1,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (standard-resolution alarm, per metric)',
  },
  dashboardMonth: {
    usd: 3,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (first 3 dashboards per account free)',
  },
  logsIngestGb: { usd: 0.5, source: 'https://aws.amazon.com/cloudwatch/pricing/ (logs ingestion)' },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    source: 'https://aws.amazon.com/lambda/pricing/ (arm64)',
  },
  lambdaPerMillion: { usd: 0.2, source: 'https://aws.amazon.com/lambda/pricing/' },
  sfnPerThousandTransitions: {
    usd: 0.025,
    source: 'https://aws.amazon.com/step-functions/pricing/ (Standard)',
  },
  httpApiPerMillion: {
    usd: 1,
    source: 'https://aws.amazon.com/api-gateway/pricing/ (HTTP APIs, first 300 million)',
  },
  dynamoWritePerMillion: {
    usd: 0.625,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  dynamoReadPerMillion: {
    usd: 0.125,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  schedulerPerMillion: {
    usd: 1,
    source: 'https://aws.amazon.com/eventbridge/pricing/ (Scheduler; 14 million free per month)',
  },
  xrayPerMillionTraces: {
    usd: 5,
    source: 'https://aws.amazon.com/xray/pricing/ (100,000 traces free per month)',
  },
} as const;

/** Per feature-pipeline run (pm → coder → reviewer ∥ qa → summary), stated, not measured here. */
export const RUN = {
  agentSteps: 5,
  /** Steps that run alone at the top level, whose completion plans the next (ADR 110): pm, coder, summary. */
  singleSteps: 3,
  /** Map rounds (reviewer ∥ qa) and the steps in them. */
  mapRounds: 1,
  mapSteps: 2,
  /** Plan tasks: at the start and after each Map. */
  planRounds: 2,
  /** Seconds an agent step's Lambda waits on its model (provider latency dominates). */
  agentStepSeconds: 10,
  /** Plan turns and API handlers: a few queries each. */
  shortTaskSeconds: 0.3,
  /**
   * Data API requests: each withTenant transaction is Begin + its statements + Commit. The Plan
   * turns and agent steps of a run (one function since ADR 187): 14.6 per agent step as the deploy
   * rehearsal measures them with the simulator (`npm run test:aws`, `dataApiCallsPerAgentStep`),
   * so 73 per run; plus, per agent step, a real provider's price read and budget reservation (4
   * statements with one tenant budget). The run ends in summary's completion (ADR 188): no
   * Finalize invocation or transaction.
   */
  dataApiPlansAndSteps: 73,
  dataApiRealProviderPerStep: 4,
  /** Start, and a console watching the run (the run page polls the run and its events). */
  apiRequests: 20,
  dataApiPerApiRequest: 8,
  dynamoWritesPerApiRequest: 2,
  dynamoReadsPerAgentStep: 2,
  logKbPerInvocation: 3,
  /** Extra Aurora capacity while runs are active: +0.5 ACU for one minute per run. */
  extraAcuMinutes: 1,
} as const;

function load(dir: string): Record<string, Record<string, Resource>> {
  const out: Record<string, Record<string, Resource>> = {};
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.template.json')))
    out[f.replace('.template.json', '')] = JSON.parse(
      readFileSync(path.join(dir, f), 'utf8'),
    ).Resources;
  return out;
}

export interface Line {
  item: string;
  quantity: string;
  usd: number;
}

export function costModel(dir: string): {
  idle: Line[];
  perThousandRuns: Line[];
  counts: Record<string, number>;
} {
  const stacks = load(dir);
  const all = Object.values(stacks).flatMap((r) => Object.values(r));
  const count = (type: string) => all.filter((r) => r.Type === type).length;
  const counts = Object.fromEntries(
    [
      'AWS::Lambda::Function',
      'AWS::CloudWatch::Alarm',
      'AWS::CloudWatch::Dashboard',
      'AWS::SecretsManager::Secret',
      'AWS::StepFunctions::StateMachine',
      'AWS::Scheduler::Schedule',
      'AWS::SQS::Queue',
      'AWS::S3::Bucket',
      'AWS::DynamoDB::GlobalTable',
      'AWS::RDS::DBInstance',
    ].map((t) => [t, count(t)]),
  );
  const cluster = all.find((r) => r.Type === 'AWS::RDS::DBCluster');
  const minAcu = Number(cluster?.Properties?.ServerlessV2ScalingConfiguration?.MinCapacity ?? 0.5);
  const schedules = all.filter((r) => r.Type === 'AWS::Scheduler::Schedule');
  const perMonth = schedules.reduce((sum, s) => {
    const m = /rate\((\d+) minutes?\)/.exec(String(s.Properties?.ScheduleExpression));
    return sum + (m ? (30 * 24 * 60) / Number(m[1]) : 0);
  }, 0);
  const hours = 730;
  const alarms = counts['AWS::CloudWatch::Alarm'] ?? 0;
  const idle: Line[] = [
    {
      item: 'Aurora Serverless v2 at its minimum capacity',
      quantity: `${minAcu} ACU × ${hours} h`,
      usd: minAcu * hours * PRICES.auroraAcuHour.usd,
    },
    {
      item: 'Aurora storage (an empty schema, rounded up)',
      quantity: '1 GB-month',
      usd: PRICES.auroraStorageGbMonth.usd,
    },
    {
      item: 'Secrets Manager: owner, app user, JWT signing key, audit anchor key',
      quantity: `${counts['AWS::SecretsManager::Secret']} secrets`,
      usd: (counts['AWS::SecretsManager::Secret'] ?? 0) * PRICES.secretMonth.usd,
    },
    {
      item: 'CloudWatch alarms (one metric each)',
      quantity: `${alarms} alarms`,
      usd: alarms * PRICES.alarmMetricMonth.usd,
    },
    {
      item: 'CloudWatch dashboard (free if it is one of the account’s first 3)',
      quantity: `${counts['AWS::CloudWatch::Dashboard']}`,
      usd: (counts['AWS::CloudWatch::Dashboard'] ?? 0) * PRICES.dashboardMonth.usd,
    },
    {
      item: 'Scheduled tasks (webhook redelivery, audit anchors, overdue schedules): Lambda (1 s, 512 MB) + Data API (10 calls) each',
      quantity: `${Math.round(perMonth)} invocations`,
      usd:
        perMonth *
        (0.5 * 1 * PRICES.lambdaArmGbSecond.usd + (10 * PRICES.dataApiPerMillion.usd) / 1e6),
    },
    {
      item: 'Logs: Aurora postgresql log, VPC flow logs, schedule runs',
      quantity: '~0.5 GB',
      usd: 0.5 * PRICES.logsIngestGb.usd,
    },
  ];
  const runs = 1000;
  // Plan + Next? per planning round; Task + Next? per single step; the Map state and StepType +
  // RunAgentStep per step in it; Finalized (the last step's completion settled the run, ADR 188).
  // Counted from the local history in transitions.test.ts.
  const transitions =
    RUN.planRounds * 2 + RUN.singleSteps * 2 + RUN.mapRounds + RUN.mapSteps * 2 + 1;
  const invocations = RUN.agentSteps + RUN.planRounds + RUN.apiRequests;
  const gbSeconds =
    0.5 *
    (RUN.agentSteps * RUN.agentStepSeconds + (invocations - RUN.agentSteps) * RUN.shortTaskSeconds);
  const dataApi =
    RUN.dataApiPlansAndSteps +
    RUN.agentSteps * RUN.dataApiRealProviderPerStep +
    RUN.apiRequests * RUN.dataApiPerApiRequest;
  const perThousandRuns: Line[] = [
    {
      item: 'Step Functions state transitions',
      quantity: `${transitions} per run`,
      usd: (runs * transitions * PRICES.sfnPerThousandTransitions.usd) / 1000,
    },
    {
      item: 'Lambda compute (arm64, 512 MB)',
      quantity: `${gbSeconds} GB-s per run`,
      usd: runs * gbSeconds * PRICES.lambdaArmGbSecond.usd,
    },
    {
      item: 'Lambda requests',
      quantity: `${invocations} per run`,
      usd: (runs * invocations * PRICES.lambdaPerMillion.usd) / 1e6,
    },
    {
      item: 'RDS Data API requests',
      quantity: `${dataApi} per run`,
      usd: (runs * dataApi * PRICES.dataApiPerMillion.usd) / 1e6,
    },
    {
      item: 'Aurora capacity above the minimum while runs are active',
      quantity: `+0.5 ACU × ${RUN.extraAcuMinutes} min per run`,
      usd: (runs * RUN.extraAcuMinutes * 0.5 * PRICES.auroraAcuHour.usd) / 60,
    },
    {
      item: 'Aurora I/O (~2 I/Os per Data API request)',
      quantity: `${dataApi * 2} per run`,
      usd: (runs * dataApi * 2 * PRICES.auroraIoPerMillion.usd) / 1e6,
    },
    {
      item: 'HTTP API requests',
      quantity: `${RUN.apiRequests} per run`,
      usd: (runs * RUN.apiRequests * PRICES.httpApiPerMillion.usd) / 1e6,
    },
    {
      item: 'DynamoDB (rate-limit windows, breaker reads)',
      quantity: `${RUN.apiRequests * RUN.dynamoWritesPerApiRequest} writes, ${RUN.agentSteps * RUN.dynamoReadsPerAgentStep} reads per run`,
      usd:
        (runs * RUN.apiRequests * RUN.dynamoWritesPerApiRequest * PRICES.dynamoWritePerMillion.usd +
          runs * RUN.agentSteps * RUN.dynamoReadsPerAgentStep * PRICES.dynamoReadPerMillion.usd) /
        1e6,
    },
    {
      item: 'Secrets Manager calls (tenant keys, cached 5 min per container)',
      quantity: '2 per run',
      usd: (runs * 2 * PRICES.secretCallsPer10k.usd) / 1e4,
    },
    {
      item: 'CloudWatch Logs ingestion',
      quantity: `${invocations * RUN.logKbPerInvocation} KB per run`,
      usd: (runs * invocations * RUN.logKbPerInvocation * PRICES.logsIngestGb.usd) / 1024 / 1024,
    },
    {
      item: 'X-Ray traces (beyond the free 100,000)',
      quantity: `${invocations} per run`,
      usd: (runs * invocations * PRICES.xrayPerMillionTraces.usd) / 1e6,
    },
  ];
  return { idle, perThousandRuns, counts };
}

export function formatTable(lines: Line[]): string {
  const total = lines.reduce((s, l) => s + l.usd, 0);
  return [
    '| item | quantity | USD / month |',
    '| --- | --- | ---: |',
    ...lines.map((l) => `| ${l.item} | ${l.quantity} | ${l.usd.toFixed(2)} |`),
    `| **total** | | **${total.toFixed(2)}** |`,
  ].join('\n');
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]).endsWith('cost-model.ts');
if (invokedDirectly) {
  const dir = process.argv[2] ?? 'cdk.out';
  const model = costModel(dir);
  console.log('Resources counted from the templates:');
  for (const [k, v] of Object.entries(model.counts)) console.log(`  ${v} ${k}`);
  console.log('\nIdle month:\n');
  console.log(formatTable(model.idle));
  console.log('\nPer 1,000 runs of feature-pipeline (model tokens excluded):\n');
  console.log(formatTable(model.perThousandRuns));
}
