/** The three workloads of issue 12, as HishamOS workflow specs; the LangGraph graphs mirror them. */
export interface Workload {
  slug: string;
  label: string;
  nodes: { id: string; type: 'agent'; agent: string; prompt: string }[];
  edges: { from: string; to: string }[];
}

const agent = (id: string, prompt: string) => ({ id, type: 'agent' as const, agent: 'pm', prompt });

const chain = Array.from({ length: 10 }, (_, i) =>
  agent(`s${i + 1}`, i === 0 ? 'Start: {{input.feature}}' : `Continue:\n{{steps.s${i}.output}}`),
);

const fanOut = [
  ...Array.from({ length: 8 }, (_, i) => agent(`b${i + 1}`, `Branch ${i + 1}: {{input.feature}}`)),
  agent('join', Array.from({ length: 8 }, (_, i) => `{{steps.b${i + 1}.output}}`).join('\n')),
];

export const WORKLOADS: Workload[] = [
  {
    slug: 'bench-chain-10',
    label: 'chain of 10',
    nodes: chain,
    edges: chain.slice(1).map((n, i) => ({ from: chain[i].id, to: n.id })),
  },
  {
    slug: 'bench-feature-pipeline',
    label: 'feature-pipeline (5 nodes, one parallel pair)',
    nodes: [
      agent('pm', 'Spec: {{input.feature}}'),
      agent('coder', 'Implement:\n{{steps.pm.output}}'),
      agent('reviewer', 'Review:\n{{steps.pm.output}}\n{{steps.coder.output}}'),
      agent('qa', 'Test:\n{{steps.pm.output}}\n{{steps.coder.output}}'),
      agent('summary', 'Summary:\n{{steps.reviewer.output}}\n{{steps.qa.output}}'),
    ],
    edges: [
      { from: 'pm', to: 'coder' },
      { from: 'coder', to: 'reviewer' },
      { from: 'coder', to: 'qa' },
      { from: 'reviewer', to: 'summary' },
      { from: 'qa', to: 'summary' },
    ],
  },
  {
    slug: 'bench-fan-out-8',
    label: 'fan-out 8 + join',
    nodes: fanOut,
    edges: fanOut.slice(0, 8).map((n) => ({ from: n.id, to: 'join' })),
  },
];
