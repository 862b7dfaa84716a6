/**
 * Map API validation details (`nodes[2].agent`, `nodes[1].prompt`, `edges[0].to`, `inputs[1].name`,
 * `name`) back to what the editor shows. Paths index the arrays exactly as they were sent, so the
 * caller passes the node ids in the order of the request that failed.
 */
import type { FieldIssue } from '../api/types';

export interface NodeIssue {
  /** The field of the node, e.g. `agent`, `prompt`, `with.body`; empty for the node as a whole. */
  field: string;
  message: string;
}

export interface MappedIssues {
  byNode: Record<string, NodeIssue[]>;
  byEdge: Record<number, string[]>;
  byInput: Record<number, string[]>;
  /** Top-level fields: `name`, `slug`, `description`. */
  byField: Record<string, string[]>;
  /** Everything else (`nodes`, `edges`, unknown paths), shown in the summary. */
  general: FieldIssue[];
}

const INDEXED = /^(nodes|edges|inputs)\[(\d+)\](?:\.(.+))?$/;

export function mapIssues(
  details: readonly FieldIssue[],
  sentNodeIds: readonly string[],
): MappedIssues {
  const result: MappedIssues = { byNode: {}, byEdge: {}, byInput: {}, byField: {}, general: [] };
  for (const issue of details) {
    const path = issue.path.replace(/^body\./, '');
    const m = INDEXED.exec(path);
    if (m) {
      const [, list, index, rest = ''] = m;
      const i = Number(index);
      if (list === 'nodes' && i < sentNodeIds.length) {
        (result.byNode[sentNodeIds[i]] ??= []).push({ field: rest, message: issue.message });
        continue;
      }
      if (list === 'edges') {
        (result.byEdge[i] ??= []).push(issue.message);
        result.general.push(issue);
        continue;
      }
      if (list === 'inputs') {
        (result.byInput[i] ??= []).push(issue.message);
        continue;
      }
    } else if (/^(name|slug|description)$/.test(path)) {
      (result.byField[path] ??= []).push(issue.message);
      continue;
    }
    result.general.push(issue);
  }
  return result;
}

export function issueCount(mapped: MappedIssues): number {
  const sum = (r: Record<string | number, unknown[]>) =>
    Object.values(r).reduce((n, list) => n + list.length, 0);
  return sum(mapped.byNode) + sum(mapped.byInput) + sum(mapped.byField) + mapped.general.length;
}

export const NO_ISSUES: MappedIssues = {
  byNode: {},
  byEdge: {},
  byInput: {},
  byField: {},
  general: [],
};
