import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { defaultFormat, WEBHOOK_FORMATS, type WebhookFormat } from "./webhook-body.ts";

export const ALERT_KINDS = ["new_group", "regression"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface WebhookInput {
  url: string;
  name?: string;
  format?: WebhookFormat;
  events?: AlertKind[];
}

/** A webhook as the API shows it: the URL is a credential (Slack's carries its token), so only its origin. */
export interface Webhook {
  id: number;
  projectId: number;
  name: string;
  target: string;
  format: WebhookFormat;
  events: AlertKind[];
  createdAt: string;
}

const MAX_URL = 2000;
const bad = (field: string, message: string) => new AppError(422, "invalid_webhook", `${field}: ${message}`);

/** Checks an admin's input; the URL must be http(s) and is stored as given. */
export function checkWebhookInput(input: WebhookInput): Required<WebhookInput> {
  const url = String(input.url ?? "").trim();
  if (!url) throw bad("url", "is required");
  if (url.length > MAX_URL) throw bad("url", `at most ${MAX_URL} characters`);
  if (!URL.canParse(url) || !["http:", "https:"].includes(new URL(url).protocol)) throw bad("url", "must be an http:// or https:// URL");
  if (new URL(url).username || new URL(url).password) throw bad("url", "must not carry a user name or password");
  const format = input.format ?? defaultFormat(url);
  if (!(WEBHOOK_FORMATS as readonly string[]).includes(format)) throw bad("format", `must be one of ${WEBHOOK_FORMATS.join(", ")}`);
  const events = input.events ?? [...ALERT_KINDS];
  if (!Array.isArray(events) || events.length === 0 || events.some((e) => !(ALERT_KINDS as readonly string[]).includes(e))) {
    throw bad("events", `a non-empty list of ${ALERT_KINDS.join(", ")}`);
  }
  const name = (input.name ?? new URL(url).hostname).trim();
  if (!name || name.length > 100) throw bad("name", "1 to 100 characters");
  return { url, name, format, events: [...new Set(events)] };
}

const toWebhook = (r: Record<string, unknown>): Webhook => ({
  id: Number(r.id),
  projectId: Number(r.project_id),
  name: r.name as string,
  target: `${new URL(r.url as string).origin}/…`,
  format: r.format as WebhookFormat,
  events: r.events as AlertKind[],
  createdAt: (r.created_at as Date).toISOString(),
});

export async function createWebhook(sql: Sql, projectId: number, input: WebhookInput): Promise<Webhook> {
  const w = checkWebhookInput(input);
  const [row] = await sql`
    insert into alert_webhooks (project_id, name, url, format, events)
    values (${projectId}, ${w.name}, ${w.url}, ${w.format}, ${w.events}::text[]) returning *`;
  return toWebhook(row!);
}

export async function listWebhooks(sql: Sql, projectId: number): Promise<Webhook[]> {
  const rows = await sql`select * from alert_webhooks where project_id = ${projectId} order by id`;
  return rows.map(toWebhook);
}

/** Deletes a project's webhook (with its pending deliveries); 404 when it has no such webhook. */
export async function deleteWebhook(sql: Sql, projectId: number, id: number): Promise<Webhook> {
  const [row] = await sql`delete from alert_webhooks where id = ${id} and project_id = ${projectId} returning *`;
  if (!row) throw new AppError(404, "webhook_not_found", `webhook: project ${projectId} has no webhook ${id}`);
  return toWebhook(row);
}

/** Delivery counts per webhook, for the API's list (what was sent, what keeps failing). */
export async function webhookStats(sql: Sql, ids: number[]): Promise<Map<number, { sent: number; pending: number; failed: number; throttled: number; lastError: string | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await sql`
    select webhook_id,
           count(*) filter (where status = 'sent')::int as sent, count(*) filter (where status = 'pending')::int as pending,
           count(*) filter (where status = 'failed')::int as failed, count(*) filter (where status = 'throttled')::int as throttled,
           (array_agg(last_error order by id desc) filter (where last_error is not null))[1] as last_error
    from alert_deliveries where webhook_id = any(${ids}::bigint[]) group by webhook_id`;
  return new Map(rows.map((r) => [Number(r.webhook_id), { sent: r.sent, pending: r.pending, failed: r.failed, throttled: r.throttled, lastError: r.last_error }]));
}
