import type { Tx } from "../../db/client.ts";
import { LOCKS } from "../../db/locks.ts";

/**
 * Called by the visits projection, in its transaction, with the (site, day) pairs whose visits it
 * just changed: those days are sealed no longer (their filtered rollups are stale), so queries
 * read them from `visits` until the sealing job (src/query/seal-days.ts) runs again. Takes each day's lock in a fixed
 * order, so a concurrent sealing either finished before (and is undone here) or starts after this
 * commit (and sees these visits).
 */
export async function unsealDays(tx: Tx, days: { site: string; day: string }[]): Promise<void> {
  if (days.length === 0) return;
  await lockDays(tx, days);
  await tx`
    delete from sealed_days s using jsonb_to_recordset(${tx.json(days as never)}) as x(site text, day date)
    where s.site = x.site and s.day = x.day`;
}

/** The per-day locks, taken in a fixed order. */
export async function lockDays(tx: Tx, days: { site: string; day: string }[]): Promise<void> {
  await tx`
    select count(pg_advisory_xact_lock(${LOCKS.sealDay}, l.k)) from (
      select distinct hashtext(site || ' ' || day) as k from jsonb_to_recordset(${tx.json(days as never)}) as x(site text, day text) order by 1
    ) l`;
}
