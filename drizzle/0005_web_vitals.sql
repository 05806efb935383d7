CREATE TABLE "web_vitals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"site" text NOT NULL,
	"pathname" text NOT NULL,
	"browser" text,
	"os" text,
	"device_type" text NOT NULL,
	"lcp" double precision,
	"inp" double precision,
	"cls" double precision,
	"fcp" double precision,
	"ttfb" double precision,
	"dom_content_loaded" double precision,
	"load" double precision,
	"occurred_at" timestamp with time zone NOT NULL,
	"projected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "web_vitals_site_time_idx" ON "web_vitals" USING btree ("site","occurred_at");