import type { Sql } from "../db/client.ts";
import { deleteExpiredFeedback } from "../feedback/delete-expired-feedback.ts";
import { CRASH_REPORTED, CUSTOM_EVENT_TRACKED, PAGEVIEW_TRACKED } from "../pathways/contracts/index.ts";
import { WEB_VITALS_MEASURED } from "../pathways/contracts/web-vitals.v0.ts";

export interface RetentionOptions {
  /** Raw page views, custom events and visits older than this many days go; null keeps them. */
  retentionDays: number | null;
  crashRetentionDays: number;
}

export interface RetentionResult {
  pageviews: number;
  custom_events: number;
  visits: number;
  web_vitals: number;
  crashes: number;
  event_log: number;
  /** Feedback older than 365 days (its own retention), rows and log copies. */
  feedback: number;
  empty_rollups: number;
}

const CHUNK = 20_000;

/** 00:00 UTC `days` days before `now`: whole visitor days go at once (a hash lives one UTC day). */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days));
}

/**
 * Deletes what has outlived its retention, in chunks so no statement holds locks for long:
 * raw page views, custom events, their visits and Web Vitals measurements (RETENTION_DAYS), crash reports
 * (CRASH_RETENTION_DAYS; their groups stay with their counts), and the local event log's copies
 * of those events once projected, so a rebuild cannot bring them back; feedback after 365 days. The daily rollups are
 * kept: totals of old days stay readable after their raw rows are gone. Rollup rows that replays
 * brought to zero are removed.
 */
export async function applyRetention(sql: Sql, o: RetentionOptions, now: Date): Promise<RetentionResult> {
  const result: RetentionResult = { pageviews: 0, custom_events: 0, visits: 0, web_vitals: 0, crashes: 0, event_log: 0, feedback: 0, empty_rollups: 0 };
  const chunked = async (table: string, column: string, cutoff: Date, extra = "") => {
    let total = 0;
    for (;;) {
      const r = await sql.unsafe(`delete from ${table} where ctid = any(array(select ctid from ${table} where ${column} < $1 ${extra} limit ${CHUNK}))`, [cutoff]);
      total += r.count;
      if (r.count < CHUNK) return total;
    }
  };
  const [cursor] = await sql`select coalesce(min(position), 0)::float8 as p from projection_cursor`;
  const projected = `and seq <= ${Number(cursor?.p ?? 0)}`;
  if (o.retentionDays !== null) {
    const cutoff = retentionCutoff(now, o.retentionDays);
    result.visits = await chunked("visits", "started_at", cutoff);
    result.pageviews = await chunked("pageviews", "occurred_at", cutoff);
    result.custom_events = await chunked("custom_events", "occurred_at", cutoff);
    result.web_vitals = await chunked("web_vitals", "occurred_at", cutoff);
    // Only the raw traffic events: triage, feedback and release-health events keep their own rules.
    result.event_log += await chunked(
      "event_log",
      "created_at",
      cutoff,
      `and event_type in ('${PAGEVIEW_TRACKED}', '${CUSTOM_EVENT_TRACKED}', '${WEB_VITALS_MEASURED}') ${projected}`,
    );
  }
  const crashCutoff = retentionCutoff(now, o.crashRetentionDays);
  result.crashes = await chunked("crashes", "occurred_at", crashCutoff);
  result.event_log += await chunked("event_log", "created_at", crashCutoff, `and event_type = '${CRASH_REPORTED}' ${projected}`);
  result.feedback = await deleteExpiredFeedback(sql, now);
  const z = await sql`
    delete from rollups_daily
    where visitors = 0 and visits = 0 and pageviews = 0 and bounces = 0 and duration_ms = 0 and events = 0`;
  result.empty_rollups = z.count;
  return result;
}

/** Runs `run` shortly after start-up and then every hour; returns a stop function. */
export function scheduleRetention(run: () => Promise<unknown>, everyMs = 3_600_000): () => void {
  let stopped = false;
  const tick = () => {
    if (!stopped) run().catch(() => {});
  };
  const first = setTimeout(tick, 5_000);
  const timer = setInterval(tick, everyMs);
  first.unref?.();
  timer.unref?.();
  return () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
  };
}
