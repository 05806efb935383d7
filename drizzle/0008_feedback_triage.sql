CREATE TABLE "feedback_deletions" (
	"feedback_id" uuid PRIMARY KEY NOT NULL,
	"site" text NOT NULL,
	"deleted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback_notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"feedback_id" uuid NOT NULL,
	"site" text NOT NULL,
	"body" text NOT NULL,
	"author_id" bigint,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback_status" (
	"feedback_id" uuid PRIMARY KEY NOT NULL,
	"site" text NOT NULL,
	"status" text NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	"event_id" uuid NOT NULL,
	CONSTRAINT "feedback_status_status_check" CHECK ("feedback_status"."status" in ('open', 'in_progress', 'closed'))
);
--> statement-breakpoint
ALTER TABLE "feedback" ADD COLUMN "os_version" text;--> statement-breakpoint
ALTER TABLE "feedback" ADD COLUMN "device" jsonb;--> statement-breakpoint
ALTER TABLE "feedback" ADD COLUMN "status_changed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "feedback_notes_feedback_idx" ON "feedback_notes" USING btree ("feedback_id","created_at");--> statement-breakpoint
-- Notes typed into feedback.notes by hand (nothing in the app wrote it) become note rows before the
-- column goes; they were never events, so like before a rebuild does not bring them back.
INSERT INTO "feedback_notes" ("id", "feedback_id", "site", "body", "created_at")
SELECT gen_random_uuid(), "id", "site", "notes", now() FROM "feedback" WHERE coalesce("notes", '') <> '';--> statement-breakpoint
ALTER TABLE "feedback" DROP COLUMN "notes";