-- Approvals answered from a pull request or Jira comment (issue 13, ADR 161). A started delivery
-- records what it is about (`owner/repo#12` for GitHub, the issue key for Jira), so a later comment
-- on the same subject finds the runs it may answer; comment deliveries gain two outcomes.
ALTER TABLE webhook_deliveries ADD COLUMN subject text;
--> statement-breakpoint
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_outcome_check;
--> statement-breakpoint
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_outcome_check
  CHECK (outcome IN ('started', 'ignored', 'duplicate', 'rejected', 'answered', 'refused'));
--> statement-breakpoint
CREATE INDEX webhook_deliveries_subject ON webhook_deliveries (trigger_id, subject)
  WHERE outcome = 'started' AND subject IS NOT NULL;
