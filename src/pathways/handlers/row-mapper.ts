import { getTableColumns } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/**
 * Payload → row, derived from the drizzle table: every column whose property name is a payload
 * field takes that field (`referrerHost` → `referrer_host`), `id` takes the ingest id, and columns
 * the payload does not carry (projected_at) keep their defaults. So a field added to a contract
 * and to the table is projected without another hand-written mapping.
 */
export function rowMapper(table: PgTable): (payload: Record<string, unknown> & { ingestId: string }) => Record<string, unknown> {
  const pairs = Object.entries(getTableColumns(table))
    .filter(([prop]) => prop !== "id" && prop !== "projectedAt")
    .map(([prop, column]) => [prop, column.name] as const);
  return (payload) => {
    const row: Record<string, unknown> = { id: payload.ingestId };
    for (const [prop, name] of pairs) row[name] = payload[prop] ?? null;
    return row;
  };
}

/**
 * An ISO time as UTC to the millisecond, the precision visits are worked out in (a payload may
 * carry microseconds or an offset: both are valid, and the instant is kept to the millisecond).
 */
export function toMillisecond(iso: string): string {
  return new Date(iso).toISOString();
}
