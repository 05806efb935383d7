CREATE TABLE "rollups_daily" (
	"site" text NOT NULL,
	"day" date NOT NULL,
	"dim" text NOT NULL,
	"value" text NOT NULL,
	"visitors" integer DEFAULT 0 NOT NULL,
	"visits" integer DEFAULT 0 NOT NULL,
	"pageviews" integer DEFAULT 0 NOT NULL,
	"bounces" integer DEFAULT 0 NOT NULL,
	"duration_ms" bigint DEFAULT 0 NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollups_daily_site_dim_day_value_pk" PRIMARY KEY("site","dim","day","value")
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"site" text NOT NULL,
	"visitor_hash" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"entry_page" text NOT NULL,
	"exit_page" text NOT NULL,
	"pageviews" integer NOT NULL,
	"events" integer NOT NULL,
	"duration_ms" bigint NOT NULL,
	"bounce" boolean NOT NULL,
	"referrer" text,
	"source" text,
	"channel" text NOT NULL,
	"utm_source" text,
	"utm_medium" text,
	"utm_campaign" text,
	"utm_term" text,
	"utm_content" text,
	"country" text,
	"browser" text,
	"browser_version" text,
	"os" text,
	"os_version" text,
	"device_type" text NOT NULL,
	"pages" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"event_names" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"props" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "crashes" ADD COLUMN "country" text;--> statement-breakpoint
ALTER TABLE "custom_events" ADD COLUMN "country" text;--> statement-breakpoint
ALTER TABLE "custom_events" ADD COLUMN "channel" text DEFAULT 'direct' NOT NULL;--> statement-breakpoint
ALTER TABLE "pageviews" ADD COLUMN "country" text;--> statement-breakpoint
ALTER TABLE "pageviews" ADD COLUMN "channel" text DEFAULT 'direct' NOT NULL;--> statement-breakpoint
CREATE INDEX "visits_site_visitor_idx" ON "visits" USING btree ("site","visitor_hash");--> statement-breakpoint
CREATE INDEX "visits_site_time_idx" ON "visits" USING btree ("site","started_at");--> statement-breakpoint
CREATE INDEX "custom_events_site_time_idx" ON "custom_events" USING btree ("site","occurred_at");--> statement-breakpoint
CREATE INDEX "custom_events_site_visitor_idx" ON "custom_events" USING btree ("site","visitor_hash","occurred_at");--> statement-breakpoint
CREATE INDEX "pageviews_site_visitor_idx" ON "pageviews" USING btree ("site","visitor_hash","occurred_at");