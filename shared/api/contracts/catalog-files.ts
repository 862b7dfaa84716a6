/**
 * Workflows and agents as files (ADR 140): what `export` writes and `import` reads, in the API,
 * the console and the CLI alike. A file carries exactly what the create route accepts (its slug
 * and spec, nothing the server derives), so export → import is the identity.
 */
import * as z from 'zod';
import { Uuid } from './common';
import { AgentCreateBody } from './agents';
import { WorkflowCreateBody } from './workflows';

/** A workflow file; with `agents` it is a bundle that also carries the agents its nodes use. */
export const WorkflowFile = WorkflowCreateBody.extend({
  agents: z.array(AgentCreateBody).max(50).optional(),
});
export type WorkflowFile = z.infer<typeof WorkflowFile>;

export const FILE_FORMATS = ['json', 'yaml'] as const;
export const ExportQuery = z.object({
  /** Wins over the Accept header; JSON when neither asks for YAML. */
  format: z.enum(FILE_FORMATS).optional(),
});
export const WorkflowExportQuery = ExportQuery.extend({
  /** `agents`: a bundle, the workflow with the agents its nodes use. */
  include: z.enum(['agents']).optional(),
});

export const ImportQuery = z.object({
  /** `true`: report what the import would do (outcomes, changed fields) and write nothing. */
  dryRun: z.enum(['true', 'false']).optional(),
});

export const IMPORT_OUTCOMES = ['created', 'updated', 'unchanged'] as const;
export const ImportOutcome = z.object({
  kind: z.enum(['agent', 'workflow']),
  /** Absent only in a dry run of a document that would be created. */
  id: Uuid.optional(),
  slug: z.string(),
  outcome: z.enum(IMPORT_OUTCOMES),
  version: z.number().int(),
  /** The spec fields that differ from the version before (empty when created or unchanged). */
  changed: z.array(z.string()),
});
/** One line per document applied: the bundle's agents first, then the workflow. */
export const ImportReport = z.object({
  items: z.array(ImportOutcome),
  /** True when nothing was written (`?dryRun=true`). */
  dryRun: z.boolean(),
});
