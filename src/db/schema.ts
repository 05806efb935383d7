import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * The tables. drizzle-kit generates `drizzle/*.sql` from this file (`bun run db:generate`); the
 * first event applies them (see migrate.ts). Projection tables hold one row per event, keyed by
 * the ingest id assigned at ingest, so replays upsert instead of adding rows.
 */
const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });
const tsz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** The local event store: append-only, ordered by seq. In Flowcore mode it is the outbox. */
export const eventLog = pgTable(
  "event_log",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    ingestId: uuid("ingest_id").notNull().unique(),
    flowType: text("flow_type").notNull(),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: tsz("created_at").notNull().defaultNow(),
    forwardedAt: tsz("forwarded_at"),
  },
  (t) => [index("event_log_unforwarded_idx").on(t.seq).where(sql`${t.forwardedAt} is null`)],
);

/** How far each consumer (the embedded delivery loop, a CLI stream) has read the event log. */
export const projectionCursor = pgTable("projection_cursor", {
  name: text("name").primaryKey(),
  position: bigint("position", { mode: "number" }).notNull(),
  updatedAt: tsz("updated_at").notNull().defaultNow(),
});

/** Random daily salts (SALT_MODE=random). Only the current and previous day are kept. */
export const salts = pgTable("salts", {
  day: date("day", { mode: "string" }).primaryKey(),
  salt: bytea("salt").notNull(),
  createdAt: tsz("created_at").notNull().defaultNow(),
});

const visit = {
  site: text("site").notNull(),
  pathname: text("pathname").notNull(),
  referrer: text("referrer"),
  referrerHost: text("referrer_host"),
  referrerSource: text("referrer_source"),
  browser: text("browser"),
  browserVersion: text("browser_version"),
  os: text("os"),
  osVersion: text("os_version"),
  deviceType: text("device_type").notNull(),
  country: text("country"),
  /** Derived by the projection (channelFor), so events from before the column get one too. */
  channel: text("channel").notNull().default("direct"),
  visitorHash: text("visitor_hash").notNull(),
  occurredAt: tsz("occurred_at").notNull(),
  projectedAt: tsz("projected_at").notNull().defaultNow(),
};

export const pageviews = pgTable(
  "pageviews",
  {
    id: uuid("id").primaryKey(),
    ...visit,
    url: text("url"),
    title: text("title"),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    utmTerm: text("utm_term"),
    utmContent: text("utm_content"),
  },
  (t) => [
    index("pageviews_site_time_idx").on(t.site, t.occurredAt),
    // Visits are recomputed per visitor from the raw rows (see visits below).
    index("pageviews_site_visitor_idx").on(t.site, t.visitorHash, t.occurredAt),
  ],
);

export const customEvents = pgTable(
  "custom_events",
  {
    id: uuid("id").primaryKey(),
    ...visit,
    eventName: text("event_name").notNull(),
    properties: jsonb("properties").notNull().default({}),
  },
  (t) => [
    index("custom_events_site_name_time_idx").on(t.site, t.eventName, t.occurredAt),
    index("custom_events_site_time_idx").on(t.site, t.occurredAt),
    index("custom_events_site_visitor_idx").on(t.site, t.visitorHash, t.occurredAt),
  ],
);

export const crashGroups = pgTable(
  "crash_groups",
  {
    id: text("id").primaryKey(), // `${fingerprintVersion}:${fingerprint}`
    fingerprintVersion: text("fingerprint_version").notNull(),
    fingerprint: text("fingerprint").notNull(),
    site: text("site").notNull(),
    errorType: text("error_type").notNull(),
    message: text("message").notNull(),
    firstSeen: tsz("first_seen").notNull(),
    lastSeen: tsz("last_seen").notNull(),
    occurrences: integer("occurrences").notNull().default(0),
    affectedVisitors: integer("affected_visitors").notNull().default(0),
    releases: text("releases").array().notNull().default(sql`'{}'::text[]`),
    platforms: text("platforms").array().notNull().default(sql`'{}'::text[]`),
    status: text("status").notNull().default("new"),
  },
  (t) => [
    check("crash_groups_status_check", sql`${t.status} in ('new', 'resolved', 'ignored')`),
    index("crash_groups_last_seen_idx").on(t.lastSeen),
  ],
);

export const crashes = pgTable(
  "crashes",
  {
    id: uuid("id").primaryKey(),
    site: text("site").notNull(),
    groupId: text("group_id").notNull().references(() => crashGroups.id),
    fingerprintVersion: text("fingerprint_version").notNull(),
    fingerprint: text("fingerprint").notNull(),
    errorType: text("error_type").notNull(),
    message: text("message").notNull(),
    frames: jsonb("frames").notNull().default([]),
    /** The scrubbed stack text when no parser understood it (frames is then empty); else null. */
    rawStack: text("raw_stack"),
    release: text("release"),
    platform: text("platform"),
    osVersion: text("os_version"),
    severity: text("severity").notNull(),
    breadcrumbs: jsonb("breadcrumbs"),
    context: jsonb("context"),
    pathname: text("pathname"),
    browser: text("browser"),
    browserVersion: text("browser_version"),
    os: text("os"),
    deviceType: text("device_type").notNull(),
    country: text("country"),
    visitorHash: text("visitor_hash").notNull(),
    occurredAt: tsz("occurred_at").notNull(),
    projectedAt: tsz("projected_at").notNull().defaultNow(),
  },
  (t) => [
    index("crashes_group_idx").on(t.groupId, t.visitorHash),
    index("crashes_site_time_idx").on(t.site, t.occurredAt),
  ],
);

/**
 * Visits: a run of one visitor's page views and custom events on one site with no gap over 30
 * minutes. Derived, never written directly: after each batch the projection recomputes the visits
 * of every (site, visitor_hash) the batch touched from the raw rows, so the table is a pure
 * function of the set of events, whatever the order they arrived in (see docs/query.md).
 */
export const visits = pgTable(
  "visits",
  {
    site: text("site").notNull(),
    visitorHash: text("visitor_hash").notNull(),
    startedAt: tsz("started_at").notNull(),
    endedAt: tsz("ended_at").notNull(),
    entryPage: text("entry_page").notNull(),
    exitPage: text("exit_page").notNull(),
    pageviews: integer("pageviews").notNull(),
    events: integer("events").notNull(),
    durationMs: bigint("duration_ms", { mode: "number" }).notNull(),
    bounce: boolean("bounce").notNull(),
    referrer: text("referrer"),
    source: text("source"),
    channel: text("channel").notNull(),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    utmTerm: text("utm_term"),
    utmContent: text("utm_content"),
    country: text("country"),
    browser: text("browser"),
    browserVersion: text("browser_version"),
    os: text("os"),
    osVersion: text("os_version"),
    deviceType: text("device_type").notNull(),
    /** Page views per pathname, custom events per name, and per name and property ({name: {key: {value: n}}}). */
    pages: jsonb("pages").notNull().default({}),
    eventNames: jsonb("event_names").notNull().default({}),
    props: jsonb("props").notNull().default({}),
  },
  // No primary key: a visitor's visits are always deleted and inserted together.
  (t) => [index("visits_site_visitor_idx").on(t.site, t.visitorHash), index("visits_site_time_idx").on(t.site, t.startedAt)],
);

/**
 * Daily rollups: per site, UTC day, dimension and value, the sums the dashboard reads. `dim` is
 * "total" (value ""), a visit attribute (source, country, entry_page, ...), "page", "event" or
 * "props:<key>". Kept by the same transaction as the raw rows by subtracting the touched visitors'
 * old contribution and adding their new one, so it is exact and order-independent. A null value
 * is stored as "" (the key cannot hold null).
 */
export const rollupsDaily = pgTable(
  "rollups_daily",
  {
    site: text("site").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    dim: text("dim").notNull(),
    value: text("value").notNull(),
    visitors: integer("visitors").notNull().default(0),
    visits: integer("visits").notNull().default(0),
    pageviews: integer("pageviews").notNull().default(0),
    bounces: integer("bounces").notNull().default(0),
    durationMs: bigint("duration_ms", { mode: "number" }).notNull().default(0),
    events: integer("events").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.site, t.dim, t.day, t.value] })],
);

