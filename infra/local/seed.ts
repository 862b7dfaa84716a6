/**
 * The demo tenant a first start creates: six agents (pm, coder, reviewer, qa, triager,
 * gatekeeper), the `feature-pipeline` workflow (pm → coder → reviewer ∥ qa → summary), the
 * `issue-triage` workflow (a router and a bounded review loop), and a `handbook` knowledge base
 * with the `researcher` agent that searches it with tools and the `handbook-answer` workflow
 * around it. Seeded through the same domain functions the API uses, so the seed is valid by the
 * same rules as user data.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AuthContext } from '../../shared/auth/context';
import { createAgent } from '../../shared/catalog/agents';
import { createWorkflow } from '../../shared/catalog/workflows';
import { addDocument } from '../../shared/rag/documents';
import { createKnowledgeBase } from '../../shared/rag/knowledge-bases';
import { rowsOf } from '../../shared/db/client';
import { signup } from '../../shared/identity/sessions';
import { Conflict } from '../../shared/errors';
import type { Platform } from '../../shared/platform/platform';

export const ADMIN_EMAIL = 'admin@localhost';

export interface SeedResult {
  created: boolean;
  /** Only on the first start, and only if it was generated here. */
  password?: string;
  passwordFromEnv?: boolean;
}

export async function seedDemo(p: Platform, adminPassword?: string): Promise<SeedResult> {
  const exists = rowsOf(await p.db.owner.execute(sql`select 1 from tenants where slug = 'demo'`));
  if (exists.length) return { created: false };
  const password = adminPassword ?? randomBytes(12).toString('base64url');
  // Two processes starting on one database race here; the loser finds the tenant made by the winner.
  const created = await signup(p, {
    tenantName: 'Demo',
    email: ADMIN_EMAIL,
    password,
    name: 'Admin',
  }).catch((e) => {
    if (e instanceof Conflict) return null;
    throw e;
  });
  if (!created) return { created: false };
  const { tenantId, userId } = created;
  const auth: AuthContext = { tenantId, userId, role: 'owner', via: 'token' };
  for (const agent of DEMO_AGENTS) await createAgent(p, auth, agent);
  await createWorkflow(p, auth, FEATURE_PIPELINE);
  await createWorkflow(p, auth, ISSUE_TRIAGE);
  await seedResearcher(p, auth);
  return {
    created: true,
    password: adminPassword ? undefined : password,
    passwordFromEnv: !!adminPassword,
  };
}

export const DEMO_AGENTS = [
  {
    slug: 'pm',
    name: 'Product manager',
    role: 'pm',
    systemPrompt:
      'You are a pragmatic product manager. Turn requests into crisp specs with acceptance criteria, and summarize outcomes for the team.',
    model: 'openai:gpt-4.1-mini',
    fallbacks: ['anthropic:claude-sonnet-4', 'gemini:gemini-2.5-flash'],
    parameters: { temperature: 0.3, maxTokens: 1200 },
  },
  {
    slug: 'coder',
    name: 'Coding agent',
    role: 'coding',
    systemPrompt:
      'You are a senior TypeScript engineer. Implement specs as minimal, tested changes; answer with a unified diff and a short rationale.',
    model: 'anthropic:claude-sonnet-4',
    fallbacks: ['openai:gpt-4.1'],
    parameters: { temperature: 0.2, maxTokens: 4000 },
  },
  {
    slug: 'reviewer',
    name: 'Code reviewer',
    role: 'review',
    systemPrompt:
      'You are a strict code reviewer. Check the change against the spec for correctness, security and clarity; end with APPROVE or REQUEST_CHANGES.',
    model: 'anthropic:claude-sonnet-4',
    fallbacks: ['openai:gpt-4.1-mini'],
    parameters: { temperature: 0, maxTokens: 1500 },
  },
  {
    slug: 'qa',
    name: 'QA engineer',
    role: 'qa',
    systemPrompt:
      'You are a QA engineer. Derive test cases (happy path, edge cases, failure modes) from the spec and the change.',
    model: 'gemini:gemini-2.5-flash',
    fallbacks: ['openai:gpt-4.1-mini'],
    parameters: { temperature: 0.2, maxTokens: 1500 },
  },
  {
    slug: 'triager',
    name: 'Issue triager',
    role: 'triage',
    systemPrompt:
      'You triage incoming issues: a defect is a bug, a request for help is a question, a request for new behaviour is a feature.',
    model: 'openai:gpt-4.1-mini',
    fallbacks: ['gemini:gemini-2.5-flash'],
    parameters: { temperature: 0, maxTokens: 200 },
  },
  {
    slug: 'gatekeeper',
    name: 'Fix gatekeeper',
    role: 'review',
    systemPrompt:
      'You review proposed bug fixes. Approve only a fix that addresses the root cause and is tested; otherwise ask for a revision with concrete comments.',
    model: 'anthropic:claude-sonnet-4',
    fallbacks: ['openai:gpt-4.1-mini'],
    parameters: { temperature: 0, maxTokens: 800 },
    outputSchema: {
      type: 'object',
      properties: {
        verdict: { type: 'string', enum: ['REVISE', 'APPROVE'] },
        comments: { type: 'string' },
      },
      required: ['verdict', 'comments'],
    },
  },
].map((a) => ({
  outputSchema: undefined,
  ...a,
  knowledgeBaseIds: undefined,
  tools: undefined,
}));

export const FEATURE_PIPELINE = {
  slug: 'feature-pipeline',
  name: 'Feature pipeline',
  description: 'PM spec → implementation → review ∥ QA → summary',
  inputs: [
    { name: 'feature', description: 'What should be built', required: true, multiline: true },
    { name: 'repository', description: 'Repository or component it touches', required: false },
  ],
  nodes: [
    {
      id: 'pm',
      type: 'agent' as const,
      agent: 'pm',
      prompt:
        'Write a short spec with acceptance criteria for this feature request.\n\nFeature: {{input.feature}}\nRepository: {{input.repository}}',
    },
    {
      id: 'coder',
      type: 'agent' as const,
      agent: 'coder',
      prompt: 'Implement this spec.\n\n{{steps.pm.output}}',
    },
    {
      id: 'reviewer',
      type: 'agent' as const,
      agent: 'reviewer',
      prompt:
        'Review the change against the spec.\n\nSpec:\n{{steps.pm.output}}\n\nChange:\n{{steps.coder.output}}',
    },
    {
      id: 'qa',
      type: 'agent' as const,
      agent: 'qa',
      prompt:
        'Write test cases for the change.\n\nSpec:\n{{steps.pm.output}}\n\nChange:\n{{steps.coder.output}}',
    },
    {
      id: 'summary',
      type: 'agent' as const,
      agent: 'pm',
      prompt:
        'Summarize for the team: what was built, the review verdict and the QA plan.\n\nReview:\n{{steps.reviewer.output}}\n\nQA:\n{{steps.qa.output}}',
    },
  ],
  edges: [
    { from: 'pm', to: 'coder' },
    { from: 'coder', to: 'reviewer' },
    { from: 'coder', to: 'qa' },
    { from: 'reviewer', to: 'summary' },
    { from: 'qa', to: 'summary' },
  ],
};

/** Routes an issue, and loops a bug fix through review until approved (at most three rounds). */
const ISSUE_TRIAGE = {
  slug: 'issue-triage',
  name: 'Issue triage',
  description:
    'Router: bug → fix ⟲ review (≤ 3 rounds) · question → answer · feature → spec; then a reply',
  inputs: [{ name: 'issue', description: 'The issue text', required: true, multiline: true }],
  nodes: [
    {
      id: 'triage',
      type: 'router' as const,
      agent: 'triager',
      prompt: 'Classify this issue.\n\n{{input.issue}}',
      routes: ['bug', 'question', 'feature'],
    },
    {
      id: 'fix',
      type: 'agent' as const,
      agent: 'coder',
      prompt:
        'Propose a fix for this bug.\n\n{{input.issue}}\n\nReviewer comments on your previous attempt (if any): {{steps.review.output.comments}}',
    },
    {
      id: 'review',
      type: 'agent' as const,
      agent: 'gatekeeper',
      prompt:
        'Review this proposed fix. Answer REVISE with comments if it needs changes, or APPROVE.\n\nIssue:\n{{input.issue}}\n\nFix:\n{{steps.fix.output}}',
    },
    {
      id: 'answer',
      type: 'agent' as const,
      agent: 'pm',
      prompt: 'Answer this question from a user.\n\n{{input.issue}}',
    },
    {
      id: 'spec',
      type: 'agent' as const,
      agent: 'pm',
      prompt: 'Write a short spec for this feature request.\n\n{{input.issue}}',
    },
    {
      id: 'reply',
      type: 'agent' as const,
      agent: 'pm',
      prompt:
        'Write the reply to post on the issue.\n\nFix: {{steps.fix.output}}\nReview: {{steps.review.output}}\nAnswer: {{steps.answer.output}}\nSpec: {{steps.spec.output}}',
    },
  ],
  edges: [
    { from: 'triage', to: 'fix', if: { path: 'steps.triage.output', equals: 'bug' } },
    { from: 'triage', to: 'answer', if: { path: 'steps.triage.output', equals: 'question' } },
    { from: 'triage', to: 'spec', if: { path: 'steps.triage.output', equals: 'feature' } },
    { from: 'fix', to: 'review' },
    {
      from: 'review',
      to: 'fix',
      maxIterations: 3,
      if: { path: 'steps.review.output.verdict', equals: 'REVISE' },
    },
    { from: 'review', to: 'reply' },
    { from: 'answer', to: 'reply' },
    { from: 'spec', to: 'reply' },
  ],
};

export const HANDBOOK = {
  name: 'Team handbook',
  description: 'How the demo team ships, reviews and runs on-call',
  title: 'Engineering handbook',
  text: [
    '# Deploys',
    'We deploy to production from the main branch every weekday before 15:00 UTC. A deploy needs a green pipeline and one approving review. Friday deploys after 12:00 UTC need the on-call engineer to agree.',
    '# Code review',
    'Every change is reviewed by one engineer who did not write it. Reviews answer within one working day. Security-sensitive changes (authentication, secrets, tenant isolation) need a second reviewer from the platform team.',
    '# On-call',
    'On-call rotates weekly on Mondays at 09:00 UTC. The on-call engineer acknowledges a page within 15 minutes and writes an incident note within two working days of any customer-facing outage.',
    '# Dependencies',
    'New runtime dependencies need a short note on why, their licence and who maintains them. Security updates are merged within three working days.',
  ].join('\n\n'),
};

/** Answers from the handbook: the simulator calls the first tool (knowledge.search) with the prompt. */
export const RESEARCHER = {
  slug: 'researcher',
  name: 'Handbook researcher',
  role: 'research',
  systemPrompt:
    'You answer questions about how the team works. Search the handbook first with knowledge.search and cite the passages you used as [n]; fetch a public page with http.get only when the question names one.',
  model: 'openai:gpt-4.1-mini',
  fallbacks: ['anthropic:claude-sonnet-4'],
  parameters: { temperature: 0, maxTokens: 800 },
  tools: ['knowledge.search', 'http.get'],
  maxTurns: 4,
  outputSchema: undefined,
};

export const HANDBOOK_ANSWER = {
  slug: 'handbook-answer',
  name: 'Handbook answer',
  description: 'The researcher searches the team handbook (a tool call) and answers with citations',
  inputs: [
    { name: 'question', description: 'A question about how the team works', required: true },
  ],
  nodes: [
    { id: 'research', type: 'agent' as const, agent: 'researcher', prompt: '{{input.question}}' },
    {
      id: 'reply',
      type: 'agent' as const,
      agent: 'pm',
      prompt:
        'Write a two-line reply to the asker from this research, keeping its citations.\n\n{{steps.research.output}}',
    },
  ],
  edges: [{ from: 'research', to: 'reply' }],
};

async function seedResearcher(p: Platform, auth: AuthContext): Promise<void> {
  const kb = await createKnowledgeBase(p, auth, {
    name: HANDBOOK.name,
    description: HANDBOOK.description,
    embeddingModel: 'local',
    chunking: { size: 1000, overlap: 150 },
  });
  // Ingests through the ingestion state machine in the background, as an API upload does.
  await addDocument(p, auth, kb.id, { title: HANDBOOK.title, text: HANDBOOK.text });
  await createAgent(p, auth, { ...RESEARCHER, knowledgeBaseIds: [kb.id] });
  await createWorkflow(p, auth, HANDBOOK_ANSWER);
}
