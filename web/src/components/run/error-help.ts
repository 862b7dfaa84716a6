/** What a step or run error name means for the person looking at it, and what to do about it. */
export const ERROR_HELP: Readonly<Record<string, string>> = {
  ProviderNotConfigured:
    'No API key is set for this model’s provider, and this deployment does not let the offline simulator answer. An admin adds the key under Providers (it is stored write-only), or the operator redeploys with `-c allowSimulator=true`. Then re-run the run from this step.',
  BudgetExceeded:
    'A monthly budget would have been exceeded, so the model was not called. An admin can raise the budget under Usage; then re-run from this step.',
  AttemptInterrupted:
    'The process running this step stopped during the provider call. The call was charged at its estimate and the step ran again.',
  ExecutionTimedOut:
    'The workflow execution hit its time limit before the run finished. Re-run it from the step that was running.',
  ExecutionFailed:
    'The workflow engine itself failed while running this step (not the model). Re-run from this step; if it repeats, the operator finds the execution in the Step Functions console.',
  MaxTurnsExceeded:
    'The agent kept calling tools and did not answer within its maxTurns. Its tool calls are listed above. Raise maxTurns on the agent (at most 20) or make its prompt ask for an answer, then re-run from this step.',
  UnknownAgentTool:
    'The agent lists a tool this platform cannot run (saved before tools were checked). Edit the agent’s tools, then re-run from this step.',
  ExecutionAborted:
    'The workflow execution was stopped from outside the platform. Re-run from this step.',
};

export function errorHelp(name: string | undefined): string | undefined {
  return name ? ERROR_HELP[name] : undefined;
}
