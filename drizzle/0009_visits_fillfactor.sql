-- The visits projection extends a visitor's last visit in place (refresh-visits.ts). Room left in
-- each page lets PostgreSQL keep the new version on the same page without touching the indexes
-- (a HOT update: no indexed column changes). Pages written from now on keep 30 % free.
ALTER TABLE "visits" SET (fillfactor = 70);
