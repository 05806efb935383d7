CREATE TABLE "feedback" (
	"id" uuid PRIMARY KEY NOT NULL,
	"site" text NOT NULL,
	"project_id" bigint,
	"category" text NOT NULL,
	"message" text NOT NULL,
	"email" text,
	"url" text,
	"release" text,
	"platform" text,
	"environment" text,
	"associated_event_id" text,
	"source" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"notes" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"projected_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_category_check" CHECK ("feedback"."category" in ('bug', 'feature', 'general')),
	CONSTRAINT "feedback_status_check" CHECK ("feedback"."status" in ('open', 'in_progress', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "release_health" (
	"project_id" bigint NOT NULL,
	"release" text NOT NULL,
	"environment" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"site" text NOT NULL,
	"started" integer DEFAULT 0 NOT NULL,
	"errored" integer DEFAULT 0 NOT NULL,
	"crashed" integer DEFAULT 0 NOT NULL,
	"abnormal" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "release_health_project_id_release_environment_hour_pk" PRIMARY KEY("project_id","release","environment","hour")
);
--> statement-breakpoint
CREATE TABLE "session_counts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" bigint NOT NULL,
	"site" text NOT NULL,
	"release" text NOT NULL,
	"environment" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"started" integer DEFAULT 0 NOT NULL,
	"errored" integer DEFAULT 0 NOT NULL,
	"crashed" integer DEFAULT 0 NOT NULL,
	"abnormal" integer DEFAULT 0 NOT NULL,
	"projected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "crashes" ADD COLUMN "event_id" text;--> statement-breakpoint
ALTER TABLE "crashes" ADD COLUMN "environment" text;--> statement-breakpoint
CREATE INDEX "feedback_site_time_idx" ON "feedback" USING btree ("site","occurred_at");--> statement-breakpoint
CREATE INDEX "feedback_event_idx" ON "feedback" USING btree ("associated_event_id") WHERE "feedback"."associated_event_id" is not null;--> statement-breakpoint
CREATE INDEX "release_health_site_hour_idx" ON "release_health" USING btree ("site","hour");--> statement-breakpoint
CREATE INDEX "crashes_event_id_idx" ON "crashes" USING btree ("event_id") WHERE "crashes"."event_id" is not null;