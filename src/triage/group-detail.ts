import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { feedbackForGroup } from "../feedback/feedback-for-group.ts";
import { compareReleases } from "./release-order.ts";
import { toSummary, type GroupSummary } from "./list-groups.ts";

export interface RepresentativeCrash {
  id: string;
  occurredAt: string;
  errorType: string;
  message: string;
  severity: string;
  frames: { file: string | null; function: string | null; line: number | null; column: number | null; inApp: boolean; native?: boolean }[];
  rawStack: string | null;
  release: string | null;
  platform: string | null;
  os: string | null;
  osVersion: string | null;
  browser: string | null;
  browserVersion: string | null;
  deviceType: string;
  pathname: string | null;
  breadcrumbs: Record<string, unknown>[] | null;
  context: Record<string, unknown> | null;
}

export interface GroupDetail {
  group: GroupSummary & {
    triage: { resolvedInRelease: string | null; ignoreUntil: string | null; ignoreCount: number | null };
  };
  /** The latest crash, as stored (frames innermost first, `inApp` marked). */
  representative: RepresentativeCrash | null;
  releases: { release: string | null; occurrences: number; firstSeen: string; lastSeen: string }[];
  platforms: { platform: string | null; occurrences: number }[];
  /** Crashes per UTC day over the last `days` days, oldest first, days without crashes as 0. */
  daily: { day: string; occurrences: number }[];
  /** Feedback about the group's crashes (`associated_event_id`), newest first, at most 100. */
  feedback: { id: string; category: string; message: string; email: string | null; url: string | null; release: string | null; status: string; occurredAt: string }[];
}

/** The group's row, or a 404 (the caller checks that the reader may see its site). */
export async function findGroup(sql: Sql, id: string): Promise<GroupSummary> {
  const [row] = await sql`select * from crash_groups where id = ${id}`;
  if (!row) throw new AppError(404, "group_not_found", `group: no crash group "${id.slice(0, 80)}"`);
  return toSummary(row);
}

export async function groupDetail(sql: Sql, id: string, opts: { days?: number; now: Date }): Promise<GroupDetail> {
  const group = await findGroup(sql, id);
  const days = opts.days ?? 30;
  const [[triage], [crash], releases, platforms, daily, feedback] = await Promise.all([
    sql`select resolved_in_release, ignore_until, ignore_count from crash_group_triage where group_id = ${id}`,
    sql`
      select id, occurred_at, error_type, message, frames, raw_stack, severity, release, platform, os, os_version,
             browser, browser_version, device_type, pathname, breadcrumbs, context
      from crashes where group_id = ${id} order by occurred_at desc, id desc limit 1`,
    sql`select release, count(*)::int as n, min(occurred_at) as first_at, max(occurred_at) as last_at from crashes where group_id = ${id} group by release`,
    sql`select platform, count(*)::int as n from crashes where group_id = ${id} group by platform order by 2 desc, 1`,
    sql`
      select to_char(d, 'YYYY-MM-DD') as day, coalesce(c.n, 0)::int as n
      from generate_series((${opts.now}::timestamptz at time zone 'UTC')::date - ${days - 1}::int, (${opts.now}::timestamptz at time zone 'UTC')::date, interval '1 day') as d
      left join (
        select (occurred_at at time zone 'UTC')::date as day, count(*) as n from crashes
        where group_id = ${id} and occurred_at >= (${opts.now}::timestamptz at time zone 'UTC')::date - ${days - 1}::int
        group by 1
      ) c on c.day = d::date
      order by d`,
    feedbackForGroup(sql, id),
  ]);
  // Newest release first where releases can be ordered, else by when they were last seen.
  const rel = releases
    .map((r) => ({ release: r.release as string | null, occurrences: r.n as number, firstSeen: (r.first_at as Date).toISOString(), lastSeen: (r.last_at as Date).toISOString() }))
    .sort((a, b) => (a.release && b.release ? compareReleases(b.release, a.release) : null) || b.lastSeen.localeCompare(a.lastSeen));
  return {
    group: {
      ...group,
      triage: {
        resolvedInRelease: triage?.resolved_in_release ?? null,
        ignoreUntil: triage?.ignore_until ? (triage.ignore_until as Date).toISOString() : null,
        ignoreCount: triage?.ignore_count ?? null,
      },
    },
    representative: crash
      ? {
          id: crash.id,
          occurredAt: (crash.occurred_at as Date).toISOString(),
          errorType: crash.error_type,
          message: crash.message,
          severity: crash.severity,
          frames: crash.frames,
          rawStack: crash.raw_stack,
          release: crash.release,
          platform: crash.platform,
          os: crash.os,
          osVersion: crash.os_version,
          browser: crash.browser,
          browserVersion: crash.browser_version,
          deviceType: crash.device_type,
          pathname: crash.pathname,
          breadcrumbs: crash.breadcrumbs,
          context: crash.context,
        }
      : null,
    releases: rel,
    platforms: platforms.map((p) => ({ platform: p.platform, occurrences: p.n })),
    daily: daily.map((d) => ({ day: d.day, occurrences: d.n })),
    feedback: feedback.map((f) => ({ ...f, occurredAt: f.occurredAt.toISOString() })),
  };
}

/**
 * The release "resolved in next release" means: the group's newest release (by release order;
 * among releases that cannot be ordered, the one seen last). null when no crash had a release.
 */
export async function currentRelease(sql: Sql, id: string): Promise<string | null> {
  const rows = await sql`select release, max(occurred_at) as last_at from crashes where group_id = ${id} and release is not null group by release`;
  const sorted = rows.map((r) => ({ release: r.release as string, last: (r.last_at as Date).getTime() })).sort((a, b) => compareReleases(b.release, a.release) || b.last - a.last);
  return sorted[0]?.release ?? null;
}
