CREATE TABLE "crash_groups" (
	"id" text PRIMARY KEY NOT NULL,
	"fingerprint_version" text NOT NULL,
	"fingerprint" text NOT NULL,
	"site" text NOT NULL,
	"error_type" text NOT NULL,
	"message" text NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"occurrences" integer DEFAULT 0 NOT NULL,
	"affected_visitors" integer DEFAULT 0 NOT NULL,
	"releases" text[] DEFAULT '{}'::text[] NOT NULL,
	"platforms" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	CONSTRAINT "crash_groups_status_check" CHECK ("crash_groups"."status" in ('new', 'resolved', 'ignored'))
);
--> statement-breakpoint
CREATE TABLE "crashes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"site" text NOT NULL,
	"group_id" text NOT NULL,
	"fingerprint_version" text NOT NULL,
	"fingerprint" text NOT NULL,
	"error_type" text NOT NULL,
	"message" text NOT NULL,
	"frames" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"release" text,
	"platform" text,
	"os_version" text,
	"severity" text NOT NULL,
	"breadcrumbs" jsonb,
	"context" jsonb,
	"pathname" text,
	"browser" text,
	"browser_version" text,
	"os" text,
	"device_type" text NOT NULL,
	"visitor_hash" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"projected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "custom_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"site" text NOT NULL,
	"pathname" text NOT NULL,
	"referrer" text,
	"referrer_host" text,
	"referrer_source" text,
	"browser" text,
	"browser_version" text,
	"os" text,
	"os_version" text,
	"device_type" text NOT NULL,
	"visitor_hash" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"projected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"event_name" text NOT NULL,
	"properties" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_log" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"ingest_id" uuid NOT NULL,
	"flow_type" text NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"forwarded_at" timestamp with time zone,
	CONSTRAINT "event_log_ingest_id_unique" UNIQUE("ingest_id")
);
--> statement-breakpoint
CREATE TABLE "pageviews" (
	"id" uuid PRIMARY KEY NOT NULL,
	"site" text NOT NULL,
	"pathname" text NOT NULL,
	"referrer" text,
	"referrer_host" text,
	"referrer_source" text,
	"browser" text,
	"browser_version" text,
	"os" text,
	"os_version" text,
	"device_type" text NOT NULL,
	"visitor_hash" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"projected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"url" text,
	"title" text,
	"utm_source" text,
	"utm_medium" text,
	"utm_campaign" text,
	"utm_term" text,
	"utm_content" text
);
--> statement-breakpoint
CREATE TABLE "projection_cursor" (
	"name" text PRIMARY KEY NOT NULL,
	"position" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "salts" (
	"day" date PRIMARY KEY NOT NULL,
	"salt" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "crashes" ADD CONSTRAINT "crashes_group_id_crash_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."crash_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "crash_groups_last_seen_idx" ON "crash_groups" USING btree ("last_seen");--> statement-breakpoint
CREATE INDEX "crashes_group_idx" ON "crashes" USING btree ("group_id","visitor_hash");--> statement-breakpoint
CREATE INDEX "crashes_site_time_idx" ON "crashes" USING btree ("site","occurred_at");--> statement-breakpoint
CREATE INDEX "custom_events_site_name_time_idx" ON "custom_events" USING btree ("site","event_name","occurred_at");--> statement-breakpoint
CREATE INDEX "event_log_unforwarded_idx" ON "event_log" USING btree ("seq") WHERE "event_log"."forwarded_at" is null;--> statement-breakpoint
CREATE INDEX "pageviews_site_time_idx" ON "pageviews" USING btree ("site","occurred_at");