import { inTransaction, type Sql } from "../db/client.ts";
import { createWakeLoop } from "../eventlog/wake-loop.ts";
import type { Logger } from "../log.ts";
import { alertLinks } from "./alert-links.ts";
import type { AlertMetrics } from "./alert-metrics.ts";
import { webhookBody, type AlertMessage, type WebhookFormat } from "./webhook-body.ts";

export interface AlertSenderOptions {
  sql: Sql;
  /** false while no table exists yet. */
  schemaReady: () => Promise<boolean>;
  metrics: AlertMetrics;
  log: Logger;
  /** Where links to a group point (PUBLIC_URL), or null for no link. */
  linkBase?: string | null;
  pollMs?: number;
  /** The first retry waits this long, each next one twice as long, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Attempts before a delivery is given up as failed. */
  maxAttempts?: number;
  /** One alert per group, kind and webhook in this window; later ones are recorded as throttled. */
  throttleMs?: number;
  /** Alerts raised about crashes older than this (a backfill into a new database) are not sent. */
  maxAlertAgeMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export const ALERT_DEFAULTS = {
  pollMs: 2_000,
  backoffMs: 10_000,
  maxBackoffMs: 3_600_000,
  maxAttempts: 10,
  throttleMs: 15 * 60_000,
  maxAlertAgeMs: 24 * 3_600_000,
  timeoutMs: 10_000,
};
const BATCH = 50;

type Result = { outcome: "sent" } | { outcome: "retry"; error: string; retryAfterMs: number | null } | { outcome: "failed"; error: string };

/**
 * Sends the alert outbox to webhooks, off the ingest and projection paths: a slow or failing
 * receiver only delays its own alerts. Each round (1) fans new alerts out into one delivery per
 * matching webhook of the site's project — unless the alert is stale or no longer true (the group
 * was deleted, or a later decision undid the regression) — and (2) sends due deliveries, claimed
 * with a lease so several instances never send one twice, retrying with exponential backoff.
 */
export function createAlertSender(options: AlertSenderOptions) {
  const o = { ...ALERT_DEFAULTS, ...options };
  const doFetch = o.fetch ?? fetch;

  async function fanOut(): Promise<number> {
    // Most rounds find nothing: ask without a transaction (no locks held between rounds).
    const [waiting] = await o.sql`select exists (select 1 from crash_alerts where fanned_out_at is null) as any`;
    if (!waiting!.any) return 0;
    return inTransaction(o.sql, async (tx) => {
      const alerts = await tx`
        select a.id, a.kind,
          case
            when a.created_at - a.occurred_at > ${o.maxAlertAgeMs} * interval '1 millisecond' then 'stale'
            when a.kind = 'new_group' and not exists (select 1 from crash_groups g where g.id = a.group_id) then 'superseded'
            when a.kind = 'regression' and not exists (
              select 1 from crash_groups g join crash_group_triage t on t.group_id = g.id
              where g.id = a.group_id and g.status = 'regressed' and t.event_id::text = a.dedupe_key) then 'superseded'
            else 'fanned_out'
          end as outcome
        from crash_alerts a where a.fanned_out_at is null order by a.id limit ${BATCH} for update skip locked`;
      if (alerts.length === 0) return 0;
      const due = alerts.filter((a) => a.outcome === "fanned_out").map((a) => Number(a.id));
      // No webhook anywhere (the common case, and always before accounts has a project): nothing to fan out to.
      const [hooks] = await tx`select exists (select 1 from alert_webhooks) as any`;
      if (due.length && hooks!.any) {
        await tx`
          insert into alert_deliveries (alert_id, webhook_id, group_id, status, next_attempt_at)
          select a.id, w.id, a.group_id,
                 -- Throttled: this webhook had an alert of the same kind for this group within the window
                 -- (a flapping group regressing over and over; a regression still follows a new-group alert).
                 case when exists (
                   select 1 from alert_deliveries d join crash_alerts prev on prev.id = d.alert_id
                   where d.webhook_id = w.id and d.group_id = a.group_id and prev.kind = a.kind and d.status <> 'throttled'
                     and d.created_at > now() - ${o.throttleMs} * interval '1 millisecond') then 'throttled' else 'pending' end,
                 now()
          from crash_alerts a
          join alert_webhooks w on a.kind = any(w.events) and w.project_id = coalesce(
            (select project_id from project_domains where domain = a.site), (select id from projects where slug = a.site))
          where a.id = any(${due}::bigint[])
          on conflict (alert_id, webhook_id) do nothing`;
        const throttled = await tx`select count(*)::int as n from alert_deliveries where alert_id = any(${due}::bigint[]) and status = 'throttled'`;
        if (throttled[0]!.n) o.metrics.deliveries.inc({ outcome: "throttled" }, throttled[0]!.n);
      }
      await tx`
        update crash_alerts a set fanned_out_at = now(), outcome = v.outcome
        from unnest(${alerts.map((a) => Number(a.id))}::bigint[], ${alerts.map((a) => a.outcome as string)}::text[]) as v(id, outcome)
        where a.id = v.id`;
      for (const a of alerts) o.metrics.alerts.inc({ kind: a.kind, outcome: a.outcome });
      return alerts.length;
    });
  }

  async function sendDue(): Promise<number> {
    // The lease: a claimed delivery is not due again until the attempt had time to finish.
    const lease = o.timeoutMs + 30_000;
    const claimed = await o.sql`
      update alert_deliveries d set attempts = d.attempts + 1, next_attempt_at = now() + ${lease} * interval '1 millisecond'
      from alert_webhooks w, crash_alerts a
      where w.id = d.webhook_id and a.id = d.alert_id and d.id in (
        select id from alert_deliveries where status = 'pending' and next_attempt_at <= now()
        order by next_attempt_at limit ${BATCH} for update skip locked)
      returning d.id, d.attempts, w.id as webhook_id, w.url, w.format, a.kind, a.group_id, a.site, a.error_type, a.message, a.release, a.occurred_at`;
    await Promise.all(
      claimed.map(async (d) => {
        const links = alertLinks(o.linkBase, d.site, d.group_id);
        const msg: AlertMessage = {
          kind: d.kind,
          groupId: d.group_id,
          site: d.site,
          errorType: d.error_type,
          message: d.message,
          release: d.release,
          occurredAt: d.occurred_at,
          url: links?.url ?? null,
          apiUrl: links?.apiUrl ?? null,
        };
        const r = await post(d.url, webhookBody(d.format as WebhookFormat, msg));
        await record(Number(d.id), d.attempts, Number(d.webhook_id), r);
      }),
    );
    return claimed.length;
  }

  async function post(url: string, body: unknown): Promise<Result> {
    try {
      const res = await doFetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(o.timeoutMs),
        redirect: "manual",
      });
      await res.body?.cancel().catch(() => {});
      if (res.ok) return { outcome: "sent" };
      const error = `HTTP ${res.status}`;
      // 408, 425, 429 and 5xx are the receiver's trouble for now; other 4xx will not change by retrying.
      if (res.status >= 500 || [408, 425, 429].includes(res.status)) {
        const after = Number(res.headers.get("retry-after"));
        return { outcome: "retry", error, retryAfterMs: Number.isFinite(after) && after > 0 ? Math.min(after * 1000, o.maxBackoffMs) : null };
      }
      return { outcome: "failed", error };
    } catch (err) {
      return { outcome: "retry", error: (err as Error).name === "TimeoutError" ? `timed out after ${o.timeoutMs} ms` : "connection failed", retryAfterMs: null };
    }
  }

  async function record(id: number, attempts: number, webhookId: number, r: Result): Promise<void> {
    if (r.outcome === "sent") {
      await o.sql`update alert_deliveries set status = 'sent', sent_at = now(), last_error = null where id = ${id}`;
      o.metrics.lastSent.set(Date.now() / 1000);
    } else if (r.outcome === "retry" && attempts < o.maxAttempts) {
      const wait = r.retryAfterMs ?? Math.min(o.backoffMs * 2 ** (attempts - 1), o.maxBackoffMs);
      await o.sql`update alert_deliveries set next_attempt_at = now() + ${wait} * interval '1 millisecond', last_error = ${r.error} where id = ${id}`;
    } else {
      await o.sql`update alert_deliveries set status = 'failed', last_error = ${r.error} where id = ${id}`;
    }
    const outcome = r.outcome === "retry" && attempts >= o.maxAttempts ? "failed" : r.outcome;
    o.metrics.deliveries.inc({ outcome });
    // Never the URL: it is the receiver's credential.
    if (r.outcome !== "sent")
      o.log.throttled(`alert-${webhookId}`, 60_000, "warn", "webhook delivery failed", { webhook: webhookId, attempt: attempts, error: r.error, final: outcome === "failed" });
  }

  const loop = createWakeLoop({
    async round() {
      if (!(await o.schemaReady())) return "done";
      const fanned = await fanOut();
      const sent = await sendDue();
      const [p] = await o.sql`select count(*)::int as n from alert_deliveries where status = 'pending'`;
      o.metrics.pending.set(p!.n);
      return fanned === BATCH || sent === BATCH ? "more" : "done";
    },
    onError: (err, failures) => o.log.throttled("alert-sender", 30_000, "warn", "alert sender round failed; retrying", { error: err as Error, failures }),
    pollMs: o.pollMs,
    settleMs: 0,
    backoffMs: (n) => Math.min(1000 * 2 ** n, 30_000),
    wakeWhileFailing: false,
  });

  return {
    start: loop.start,
    stop: loop.stop,
    nudge: loop.nudge,
    /** One round now (the CLI and tests). */
    runOnce: async () => ({ fanned: await fanOut(), sent: await sendDue() }),
  };
}
export type AlertSender = ReturnType<typeof createAlertSender>;
