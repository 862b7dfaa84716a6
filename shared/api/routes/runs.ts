import { route as r } from '../route';
import { IdOrSlugParams, IdParams, listOf } from '../contracts/common';
import * as workflows from '../contracts/workflows';
import * as runs from '../contracts/runs';

export const runsRoutes = [
  r('GET', '/v1/runs', 'viewer', 'List runs', {
    query: runs.RunListQuery,
    response: listOf(runs.RunSummary),
  }),
  r('GET', '/v1/runs/{id}', 'viewer', 'A run with its steps and attempts', {
    params: IdParams,
    response: runs.Run,
  }),
  r('GET', '/v1/runs/{id}/steps/{stepId}', 'viewer', 'One step, its prompt and output in full', {
    params: runs.RunStepParams,
    response: runs.RunStep,
  }),
  r('GET', '/v1/runs/{id}/events', 'viewer', 'The run timeline', {
    params: IdParams,
    query: runs.RunEventsQuery,
    response: runs.RunEvents,
  }),
  r('POST', '/v1/runs/{id}/cancel', 'dev', 'Cancel a run', {
    params: IdParams,
    response: runs.RunSummary,
  }),
  r('POST', '/v1/runs/{id}/rerun', 'dev', 'Re-run, reusing finished steps before fromStep', {
    params: IdParams,
    body: runs.RerunBody,
    response: workflows.RunStarted,
    status: 202,
  }),
  r('POST', '/v1/runs/{id}/steps/{stepId}/approve', 'dev', 'Approve a waiting approval step', {
    params: runs.RunStepParams,
    body: runs.ApprovalBody,
    response: workflows.RunStarted,
    status: 202,
  }),
  r('POST', '/v1/runs/{id}/steps/{stepId}/reject', 'dev', 'Reject a waiting approval step', {
    params: runs.RunStepParams,
    body: runs.ApprovalBody,
    response: workflows.RunStarted,
    status: 202,
  }),
  r('GET', '/v1/approvals', 'viewer', 'The approval inbox: steps waiting for a decision', {
    query: runs.ApprovalListQuery,
    response: listOf(runs.WaitingApproval),
  }),
  r('POST', '/v1/agents/{id}/try', 'dev', 'Try an agent alone: a one-step run (ADR 164)', {
    params: IdOrSlugParams,
    body: runs.AgentTryBody,
    response: workflows.RunStarted,
    status: 202,
  }),
] as const;
