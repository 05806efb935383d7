import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
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
    // A visitor's raw rows, for the visits projection (refresh-visits.ts). A hash index: a new
    // row lands at a random place in any index on the hash, and a hash index is a third of a
    // B-tree's size, so at millions of rows far fewer pages are touched per insert (migration 0010).
    index("pageviews_visitor_idx").using("hash", t.visitorHash),
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
    index("custom_events_visitor_idx").using("hash", t.visitorHash),
  ],
);

/**
 * One page load's Web Vitals and navigation timing (ms; CLS unitless), for p75 per page, browser
 * and device. No visitor hash: performance is read per page, never per person.
 */
export const webVitals = pgTable(
  "web_vitals",
  {
    id: uuid("id").primaryKey(),
    site: text("site").notNull(),
    pathname: text("pathname").notNull(),
    browser: text("browser"),
    os: text("os"),
    deviceType: text("device_type").notNull(),
    lcp: doublePrecision("lcp"),
    inp: doublePrecision("inp"),
    cls: doublePrecision("cls"),
    fcp: doublePrecision("fcp"),
    ttfb: doublePrecision("ttfb"),
    domContentLoaded: doublePrecision("dom_content_loaded"),
    load: doublePrecision("load"),
    occurredAt: tsz("occurred_at").notNull(),
    projectedAt: tsz("projected_at").notNull().defaultNow(),
  },
  (t) => [index("web_vitals_site_time_idx").on(t.site, t.occurredAt)],
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
    /** When the triage decision behind `status` was made (null: nobody has triaged the group). */
    statusChangedAt: tsz("status_changed_at"),
    /** The first crash after a resolution that reopened the group, and its release. */
    regressedAt: tsz("regressed_at"),
    regressedRelease: text("regressed_release"),
  },
  (t) => [check("crash_groups_status_check", sql`${t.status} in ('new', 'ongoing', 'resolved', 'regressed', 'ignored')`), index("crash_groups_last_seen_idx").on(t.lastSeen)],
);

/**
 * The latest triage decision per group, as the status events said (see src/triage/). Kept apart
 * from crash_groups so a decision delivered before the group's first crash is not lost, and so
 * crash_groups.status can be recomputed from (decision, crashes) whatever the delivery order.
 * `deleted_before` is a deletion's tombstone: crashes up to it never come back on a replay.
 */
export const crashGroupTriage = pgTable(
  "crash_group_triage",
  {
    groupId: text("group_id").primaryKey(),
    /** The status a user chose (new, ongoing, resolved, ignored); null after a deletion. */
    status: text("status"),
    changedAt: tsz("changed_at"),
    eventId: uuid("event_id"),
    /** "Resolved in next release": crashes from releases newer than this one regress the group. */
    resolvedInRelease: text("resolved_in_release"),
    /** "Ignore until": a date, and/or a number of further occurrences. */
    ignoreUntil: tsz("ignore_until"),
    ignoreCount: integer("ignore_count"),
    deletedBefore: tsz("deleted_before"),
  },
  (t) => [check("crash_group_triage_status_check", sql`${t.status} in ('new', 'ongoing', 'resolved', 'ignored')`)],
);

/**
 * Alert outbox, written in the projection transaction: one row per alert-worthy fact (a new
 * group, a regression). The key makes a replay or a rebuild write nothing new, so nobody is
 * paged twice. Not a projection table: `--rebuild` keeps it (that is what dedupes the replay).
 */
export const crashAlerts = pgTable(
  "crash_alerts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    groupId: text("group_id").notNull(),
    site: text("site").notNull(),
    kind: text("kind").notNull(),
    /** What makes this alert unique for its group and kind (see src/alerts/enqueue-alerts.ts). */
    dedupeKey: text("dedupe_key").notNull(),
    release: text("release"),
    errorType: text("error_type").notNull(),
    message: text("message").notNull(),
    /** When the crash that raised it occurred. */
    occurredAt: tsz("occurred_at").notNull(),
    createdAt: tsz("created_at").notNull().defaultNow(),
    /** Set once the sender has looked at it: a delivery per matching webhook, or none (outcome says why). */
    fannedOutAt: tsz("fanned_out_at"),
    outcome: text("outcome"),
  },
  (t) => [
    check("crash_alerts_kind_check", sql`${t.kind} in ('new_group', 'regression')`),
    check("crash_alerts_outcome_check", sql`${t.outcome} in ('fanned_out', 'stale', 'superseded')`),
    uniqueIndex("crash_alerts_dedupe_idx").on(t.groupId, t.kind, t.dedupeKey),
    index("crash_alerts_pending_idx").on(t.id).where(sql`${t.fannedOutAt} is null`),
  ],
);

export const crashes = pgTable(
  "crashes",
  {
    id: uuid("id").primaryKey(),
    site: text("site").notNull(),
    groupId: text("group_id")
      .notNull()
      .references(() => crashGroups.id),
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
    /** The Sentry SDK's event id (32 hex), which feedback refers to; null for other clients. */
    eventId: text("event_id"),
    environment: text("environment"),
  },
  (t) => [
    index("crashes_group_idx").on(t.groupId, t.visitorHash),
    index("crashes_site_time_idx").on(t.site, t.occurredAt),
    index("crashes_event_id_idx").on(t.eventId).where(sql`${t.eventId} is not null`),
    // Triage asks "which crashes of this group came after the decision?"
    index("crashes_group_time_idx").on(t.groupId, t.occurredAt),
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
  // No primary key: a visitor's visits are found by (site, visitor_hash) and updated or replaced together.
  // fillfactor 70 (migration 0009): room on each page for the in-place extension of a visit.
  // A visitor's visits are found by the hash alone (a hash index, as for pageviews), a site's by time.
  (t) => [index("visits_visitor_idx").using("hash", t.visitorHash), index("visits_site_time_idx").on(t.site, t.startedAt)],
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

/**
 * Filtered rollups of closed UTC days (src/query/seal-days.ts): per site, day, filter (one visit
 * attribute = one value) and breakdown dimension and value, the same sums as `rollups_daily`, so
 * "top pages of visitors from DE" over a month sums a few thousand rows instead of scanning every
 * visit. Written by the sealing job, from `visits`, once a day is over; `sealed_days` says which
 * days they are valid for. A projection step that changes a sealed day's visits (a late event, a
 * replay) deletes its `sealed_days` row in the same transaction, so the query planner reads that
 * day from `visits` again until it is sealed anew. Null is stored as "".
 */
export const rollupsFiltered = pgTable(
  "rollups_filtered",
  {
    site: text("site").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    fdim: text("fdim").notNull(),
    fvalue: text("fvalue").notNull(),
    dim: text("dim").notNull(),
    value: text("value").notNull(),
    visitors: integer("visitors").notNull(),
    visits: integer("visits").notNull(),
    pageviews: integer("pageviews").notNull(),
    bounces: integer("bounces").notNull(),
    durationMs: bigint("duration_ms", { mode: "number" }).notNull(),
    events: integer("events").notNull(),
  },
  (t) => [primaryKey({ columns: [t.site, t.fdim, t.fvalue, t.dim, t.day, t.value] })],
);

/** The (site, UTC day) pairs whose `rollups_filtered` rows are complete and current. */
export const sealedDays = pgTable(
  "sealed_days",
  {
    site: text("site").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    sealedAt: tsz("sealed_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.site, t.day] })],
);

/*
 * Accounts (src/accounts/): who may send and who may read. Every secret (key, token, session,
 * share slug) is stored as a SHA-256 hash; passwords as argon2id hashes. Only display prefixes
 * are kept in clear so a list can tell entries apart.
 */

/** A project: what keys belong to and a dashboard shows. `id` is the number used in DSNs. */
export const projects = pgTable("projects", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  timezone: text("timezone").notNull().default("UTC"),
  settings: jsonb("settings").notNull().default({}),
  createdAt: tsz("created_at").notNull().defaultNow(),
});

/** The web sites (event `site` values) a project owns; a site belongs to at most one project. */
export const projectDomains = pgTable(
  "project_domains",
  {
    domain: text("domain").primaryKey(),
    projectId: bigint("project_id", { mode: "number" })
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("project_domains_project_idx").on(t.projectId)],
);

/** Public ingest keys (`pk_<slug>_<16 hex>`); not secret, but stored hashed like any credential. */
export const projectKeys = pgTable(
  "project_keys",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    projectId: bigint("project_id", { mode: "number" })
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    displayPrefix: text("display_prefix").notNull(),
    createdAt: tsz("created_at").notNull().defaultNow(),
    lastUsedAt: tsz("last_used_at"),
    revokedAt: tsz("revoked_at"),
  },
  (t) => [index("project_keys_project_idx").on(t.projectId)],
);

export const users = pgTable(
  "users",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").notNull(),
    createdAt: tsz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_idx").on(sql`lower(${t.email})`), check("users_role_check", sql`${t.role} in ('admin', 'viewer')`)],
);

/** Viewer grants: a viewer reads the projects listed here (admins read everything). */
export const projectMembers = pgTable(
  "project_members",
  {
    projectId: bigint("project_id", { mode: "number" })
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: tsz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("project_members_pk").on(t.projectId, t.userId), index("project_members_user_idx").on(t.userId)],
);

/** Server-side login sessions; the cookie holds the token, the table its hash. */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    /** "Chrome on Linux": enough to recognise a session in a list, never the user-agent string. */
    client: text("client"),
    createdAt: tsz("created_at").notNull().defaultNow(),
    lastSeenAt: tsz("last_seen_at").notNull().defaultNow(),
    expiresAt: tsz("expires_at").notNull(),
    revokedAt: tsz("revoked_at"),
  },
  (t) => [index("user_sessions_user_idx").on(t.userId)],
);

/** Bearer tokens for the stats and admin APIs, per user, scope `read` or `admin`. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    scope: text("scope").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    displayPrefix: text("display_prefix").notNull(),
    createdAt: tsz("created_at").notNull().defaultNow(),
    lastUsedAt: tsz("last_used_at"),
    revokedAt: tsz("revoked_at"),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId), check("api_tokens_scope_check", sql`${t.scope} in ('read', 'admin')`)],
);

/** Read-only links to one project's dashboard; the slug is shown once and stored hashed. */
export const shareLinks = pgTable(
  "share_links",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    projectId: bigint("project_id", { mode: "number" })
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    slugHash: text("slug_hash").notNull().unique(),
    displayPrefix: text("display_prefix").notNull(),
    passwordHash: text("password_hash"),
    createdAt: tsz("created_at").notNull().defaultNow(),
    lastUsedAt: tsz("last_used_at"),
    revokedAt: tsz("revoked_at"),
  },
  (t) => [index("share_links_project_idx").on(t.projectId)],
);

/** A share link unlocked with its password: the share cookie holds the token, this its hash. */
export const shareSessions = pgTable(
  "share_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    shareLinkId: bigint("share_link_id", { mode: "number" })
      .notNull()
      .references(() => shareLinks.id, { onDelete: "cascade" }),
    expiresAt: tsz("expires_at").notNull(),
  },
  (t) => [index("share_sessions_link_idx").on(t.shareLinkId)],
);

/**
 * Feedback people sent. The columns up to `occurred_at` are what the person wrote; `status` is
 * the team's triage, projected from the latest `feedback.status-changed.v0` (see
 * `feedback_status`), and the team's notes are rows of `feedback_notes`. Linked to a crash by
 * `associated_event_id` (a Sentry event id or a crash id, 32 hex), joined at read time so the
 * order in which the two arrive never matters.
 */
export const feedback = pgTable(
  "feedback",
  {
    id: uuid("id").primaryKey(),
    site: text("site").notNull(),
    projectId: bigint("project_id", { mode: "number" }),
    category: text("category").notNull(),
    message: text("message").notNull(),
    email: text("email"),
    url: text("url"),
    release: text("release"),
    platform: text("platform"),
    environment: text("environment"),
    /** The app's OS version and device details as the Oasis SDK sends them (no identifiers). */
    osVersion: text("os_version"),
    device: jsonb("device"),
    associatedEventId: text("associated_event_id"),
    source: text("source").notNull(),
    status: text("status").notNull().default("open"),
    /** When the status last changed (the decision's own time); null while it is the first `open`. */
    statusChangedAt: tsz("status_changed_at"),
    occurredAt: tsz("occurred_at").notNull(),
    projectedAt: tsz("projected_at").notNull().defaultNow(),
  },
  (t) => [
    check("feedback_category_check", sql`${t.category} in ('bug', 'feature', 'general')`),
    check("feedback_status_check", sql`${t.status} in ('open', 'in_progress', 'closed')`),
    index("feedback_site_time_idx").on(t.site, t.occurredAt),
    index("feedback_event_idx").on(t.associatedEventId).where(sql`${t.associatedEventId} is not null`),
  ],
);

/**
 * The latest status decision per feedback, as the status events said. Kept apart from
 * `feedback` (like crash_group_triage) so a decision delivered before its feedback is not lost:
 * projecting the feedback picks it up, whatever the order Flowcore delivers them in.
 */
export const feedbackStatus = pgTable(
  "feedback_status",
  {
    feedbackId: uuid("feedback_id").primaryKey(),
    site: text("site").notNull(),
    status: text("status").notNull(),
    changedAt: tsz("changed_at").notNull(),
    eventId: uuid("event_id").notNull(),
  },
  (t) => [check("feedback_status_status_check", sql`${t.status} in ('open', 'in_progress', 'closed')`)],
);

/**
 * Tombstones of deleted feedback (`feedback.deleted.v0`): a replay, a rebuild or a late delivery
 * of the feedback, its status or its notes skips what is listed here, so a deletion lasts.
 */
export const feedbackDeletions = pgTable("feedback_deletions", {
  feedbackId: uuid("feedback_id").primaryKey(),
  site: text("site").notNull(),
  deletedAt: tsz("deleted_at").notNull(),
});

/** The team's internal notes on feedback, one row per `feedback.note-added.v0` (keyed by its id). */
export const feedbackNotes = pgTable(
  "feedback_notes",
  {
    id: uuid("id").primaryKey(),
    feedbackId: uuid("feedback_id").notNull(),
    site: text("site").notNull(),
    body: text("body").notNull(),
    /** The account that wrote it (users.id); its email is looked up when read, so none is in the event. */
    authorId: bigint("author_id", { mode: "number" }),
    createdAt: tsz("created_at").notNull(),
  },
  (t) => [index("feedback_notes_feedback_idx").on(t.feedbackId, t.createdAt)],
);

/**
 * Release health. `session_counts` has one row per counted event (keyed by its ingest id, so a
 * replay adds nothing); `release_health` is the hourly sum per project, release and environment,
 * moved only by rows inserted for the first time. Counts only: no session, device or user id.
 */
const sessionCountColumns = {
  started: integer("started").notNull().default(0),
  errored: integer("errored").notNull().default(0),
  crashed: integer("crashed").notNull().default(0),
  abnormal: integer("abnormal").notNull().default(0),
};

export const sessionCounts = pgTable("session_counts", {
  id: uuid("id").primaryKey(),
  projectId: bigint("project_id", { mode: "number" }).notNull(),
  site: text("site").notNull(),
  release: text("release").notNull(),
  environment: text("environment").notNull(),
  hour: tsz("hour").notNull(),
  ...sessionCountColumns,
  projectedAt: tsz("projected_at").notNull().defaultNow(),
});

export const releaseHealth = pgTable(
  "release_health",
  {
    projectId: bigint("project_id", { mode: "number" }).notNull(),
    release: text("release").notNull(),
    environment: text("environment").notNull(),
    hour: tsz("hour").notNull(),
    site: text("site").notNull(),
    ...sessionCountColumns,
  },
  (t) => [primaryKey({ columns: [t.projectId, t.release, t.environment, t.hour] }), index("release_health_site_hour_idx").on(t.site, t.hour)],
);

/** Where a project's crash alerts go (src/alerts/). The URL is the receiver's credential: shown only as its origin. */
export const alertWebhooks = pgTable(
  "alert_webhooks",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    projectId: bigint("project_id", { mode: "number" })
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    url: text("url").notNull(),
    format: text("format").notNull(),
    events: text("events").array().notNull(),
    createdAt: tsz("created_at").notNull().defaultNow(),
  },
  (t) => [check("alert_webhooks_format_check", sql`${t.format} in ('slack', 'mattermost', 'discord', 'json')`), index("alert_webhooks_project_idx").on(t.projectId)],
);

/** One alert to one webhook: pending until sent, retried with backoff, or throttled/failed for good. */
export const alertDeliveries = pgTable(
  "alert_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    alertId: bigint("alert_id", { mode: "number" })
      .notNull()
      .references(() => crashAlerts.id, { onDelete: "cascade" }),
    webhookId: bigint("webhook_id", { mode: "number" })
      .notNull()
      .references(() => alertWebhooks.id, { onDelete: "cascade" }),
    groupId: text("group_id").notNull(),
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tsz("next_attempt_at").notNull(),
    lastError: text("last_error"),
    createdAt: tsz("created_at").notNull().defaultNow(),
    sentAt: tsz("sent_at"),
  },
  (t) => [
    check("alert_deliveries_status_check", sql`${t.status} in ('pending', 'sent', 'failed', 'throttled')`),
    uniqueIndex("alert_deliveries_alert_webhook_idx").on(t.alertId, t.webhookId),
    index("alert_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("alert_deliveries_throttle_idx").on(t.webhookId, t.groupId, t.createdAt),
  ],
);
