-- Published versions (issue 13, ADR 120): what runs, triggers, schedules and MCP tools use when
-- they name no version. Existing agents and workflows publish their latest saved version.
ALTER TABLE agents ADD COLUMN published_version integer;
--> statement-breakpoint
UPDATE agents SET published_version = current_version;
--> statement-breakpoint
ALTER TABLE agents ALTER COLUMN published_version SET NOT NULL;
--> statement-breakpoint
ALTER TABLE agents ADD CONSTRAINT agents_published_saved CHECK (published_version BETWEEN 1 AND current_version);
--> statement-breakpoint
ALTER TABLE workflows ADD COLUMN published_version integer;
--> statement-breakpoint
UPDATE workflows SET published_version = current_version;
--> statement-breakpoint
ALTER TABLE workflows ALTER COLUMN published_version SET NOT NULL;
--> statement-breakpoint
ALTER TABLE workflows ADD CONSTRAINT workflows_published_saved CHECK (published_version BETWEEN 1 AND current_version);
