-- Agents that call tools (issue 13, ADR 130): the step's tool-calling conversation so far, one
-- entry per model turn that asked for tools, with each call's arguments and bounded result. A
-- retried task resumes from it instead of calling the model (or a finished tool) again.
ALTER TABLE run_steps ADD COLUMN tool_turns jsonb;
