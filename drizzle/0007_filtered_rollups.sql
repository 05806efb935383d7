CREATE TABLE "rollups_filtered" (
	"site" text NOT NULL,
	"day" date NOT NULL,
	"fdim" text NOT NULL,
	"fvalue" text NOT NULL,
	"dim" text NOT NULL,
	"value" text NOT NULL,
	"visitors" integer NOT NULL,
	"visits" integer NOT NULL,
	"pageviews" integer NOT NULL,
	"bounces" integer NOT NULL,
	"duration_ms" bigint NOT NULL,
	"events" integer NOT NULL,
	CONSTRAINT "rollups_filtered_site_fdim_fvalue_dim_day_value_pk" PRIMARY KEY("site","fdim","fvalue","dim","day","value")
);
--> statement-breakpoint
CREATE TABLE "sealed_days" (
	"site" text NOT NULL,
	"day" date NOT NULL,
	"sealed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sealed_days_site_day_pk" PRIMARY KEY("site","day")
);
