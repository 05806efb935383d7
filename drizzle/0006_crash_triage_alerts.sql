CREATE TABLE "alert_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alert_id" bigint NOT NULL,
	"webhook_id" bigint NOT NULL,
	"group_id" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "alert_deliveries_status_check" CHECK ("alert_deliveries"."status" in ('pending', 'sent', 'failed', 'throttled'))
);
--> statement-breakpoint
CREATE TABLE "alert_webhooks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" bigint NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"format" text NOT NULL,
	"events" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_webhooks_format_check" CHECK ("alert_webhooks"."format" in ('slack', 'mattermost', 'discord', 'json'))
);
--> statement-breakpoint
CREATE TABLE "crash_alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"group_id" text NOT NULL,
	"site" text NOT NULL,
	"kind" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"release" text,
	"error_type" text NOT NULL,
	"message" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fanned_out_at" timestamp with time zone,
	"outcome" text,
	CONSTRAINT "crash_alerts_kind_check" CHECK ("crash_alerts"."kind" in ('new_group', 'regression')),
	CONSTRAINT "crash_alerts_outcome_check" CHECK ("crash_alerts"."outcome" in ('fanned_out', 'stale', 'superseded'))
);
--> statement-breakpoint
CREATE TABLE "crash_group_triage" (
	"group_id" text PRIMARY KEY NOT NULL,
	"status" text,
	"changed_at" timestamp with time zone,
	"event_id" uuid,
	"resolved_in_release" text,
	"ignore_until" timestamp with time zone,
	"ignore_count" integer,
	"deleted_before" timestamp with time zone,
	CONSTRAINT "crash_group_triage_status_check" CHECK ("crash_group_triage"."status" in ('new', 'ongoing', 'resolved', 'ignored'))
);
--> statement-breakpoint
ALTER TABLE "crash_groups" DROP CONSTRAINT "crash_groups_status_check";--> statement-breakpoint
ALTER TABLE "crash_groups" ADD COLUMN "status_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "crash_groups" ADD COLUMN "regressed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "crash_groups" ADD COLUMN "regressed_release" text;--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_alert_id_crash_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."crash_alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_webhook_id_alert_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."alert_webhooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_webhooks" ADD CONSTRAINT "alert_webhooks_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alert_deliveries_alert_webhook_idx" ON "alert_deliveries" USING btree ("alert_id","webhook_id");--> statement-breakpoint
CREATE INDEX "alert_deliveries_due_idx" ON "alert_deliveries" USING btree ("next_attempt_at") WHERE "alert_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "alert_deliveries_throttle_idx" ON "alert_deliveries" USING btree ("webhook_id","group_id","created_at");--> statement-breakpoint
CREATE INDEX "alert_webhooks_project_idx" ON "alert_webhooks" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "crash_alerts_dedupe_idx" ON "crash_alerts" USING btree ("group_id","kind","dedupe_key");--> statement-breakpoint
CREATE INDEX "crash_alerts_pending_idx" ON "crash_alerts" USING btree ("id") WHERE "crash_alerts"."fanned_out_at" is null;--> statement-breakpoint
CREATE INDEX "crashes_group_time_idx" ON "crashes" USING btree ("group_id","occurred_at");--> statement-breakpoint
ALTER TABLE "crash_groups" ADD CONSTRAINT "crash_groups_status_check" CHECK ("crash_groups"."status" in ('new', 'ongoing', 'resolved', 'regressed', 'ignored'));--> statement-breakpoint
-- Decisions made before this migration: from the status events still in the local event log
-- (the latest per group by its time), else from the status the group shows (dated now, so the
-- crashes already counted do not reopen it).
INSERT INTO "crash_group_triage" ("group_id", "status", "changed_at", "event_id")
SELECT DISTINCT ON ("payload"->>'groupId') "payload"->>'groupId', "payload"->>'status', ("payload"->>'occurredAt')::timestamptz, ("payload"->>'ingestId')::uuid
FROM "event_log" WHERE "event_type" = 'crash-group.status-changed.v0'
ORDER BY "payload"->>'groupId', ("payload"->>'occurredAt')::timestamptz DESC, ("payload"->>'ingestId')::uuid DESC;--> statement-breakpoint
INSERT INTO "crash_group_triage" ("group_id", "status", "changed_at", "event_id")
SELECT "id", "status", now(), gen_random_uuid() FROM "crash_groups" WHERE "status" <> 'new'
ON CONFLICT ("group_id") DO NOTHING;--> statement-breakpoint
UPDATE "crash_groups" g SET "status_changed_at" = t."changed_at" FROM "crash_group_triage" t WHERE t."group_id" = g."id";
