-- The visitor lookups of the visits projection (refresh-visits.ts) as hash indexes on visitor_hash:
-- a third of the B-trees' size, so inserting a row at a random place in them touches far fewer
-- pages once the tables hold millions of rows. Created before the B-trees they replace go.
CREATE INDEX "custom_events_visitor_idx" ON "custom_events" USING hash ("visitor_hash");--> statement-breakpoint
CREATE INDEX "pageviews_visitor_idx" ON "pageviews" USING hash ("visitor_hash");--> statement-breakpoint
CREATE INDEX "visits_visitor_idx" ON "visits" USING hash ("visitor_hash");--> statement-breakpoint
DROP INDEX "custom_events_site_visitor_idx";--> statement-breakpoint
DROP INDEX "pageviews_site_visitor_idx";--> statement-breakpoint
DROP INDEX "visits_site_visitor_idx";
