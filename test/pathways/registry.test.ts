import { describe, expect, test } from "bun:test";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import * as schema from "../../src/db/schema.ts";
import { LIMITS } from "../../src/limits.ts";
import { PageviewBody } from "../../src/ingest/adapters/json-schemas.ts";
import { contractKey } from "../../src/pathways/contract.ts";
import { pageviewTrackedSchema } from "../../src/pathways/contracts/pageview.v0.ts";
import { createProjector } from "../../src/pathways/projector.ts";
import { CONTRACTS, contractFor, EVENT_LABELS, PROJECTION_TABLES } from "../../src/pathways/registry.ts";

/** The registry itself, without a database: what every other part derives from it. */
describe("projection registry", () => {
  test("each contract is declared once, with a unique key and a unique metric label", () => {
    expect(new Set(CONTRACTS.map(contractKey)).size).toBe(CONTRACTS.length);
    expect(new Set(EVENT_LABELS).size).toBe(CONTRACTS.length);
    expect(EVENT_LABELS).toEqual([
      "pageview",
      "custom_event",
      "crash",
      "crash_status",
      "crash_delete",
      "feedback",
      "feedback_status",
      "feedback_note",
      "feedback_delete",
      "sessions",
      "web_vitals",
    ]);
    for (const c of CONTRACTS) {
      expect(c.eventType).toMatch(/\.v\d+$/);
      expect(contractFor(c.flowType, c.eventType)).toBe(c);
    }
    expect(contractFor("pageview.v0", "pageview.deleted.v0")).toBeUndefined();
  });

  test("the visit-making contracts come first (the projector runs them first, as one step)", () => {
    const making = CONTRACTS.map((c) => Boolean(c.visits));
    expect(making.slice(0, 2)).toEqual([true, true]);
    expect(making.indexOf(false)).toBe(making.filter(Boolean).length); // none after the first other one
    for (const c of CONTRACTS.filter((x) => x.visits)) expect(c.tables).toContain("visits");
  });

  test("every table a handler writes exists in the schema; a rebuild empties exactly those", () => {
    const tables = new Set(
      (Object.values(schema) as unknown[])
        .filter((v): v is PgTable => typeof v === "object" && v !== null && Symbol.for("drizzle:IsDrizzleTable") in v)
        .map((t) => getTableConfig(t).name),
    );
    for (const t of PROJECTION_TABLES) expect(tables.has(t)).toBe(true);
    expect(PROJECTION_TABLES).toEqual([
      "pageviews",
      "visits",
      "rollups_daily",
      "rollups_filtered",
      "sealed_days",
      "custom_events",
      "crashes",
      "crash_groups",
      "crash_group_triage",
      "feedback",
      "feedback_status",
      "feedback_notes",
      "feedback_deletions",
      "session_counts",
      "release_health",
      "web_vitals",
    ]);
  });

  test("the projector rejects unknown types and invalid payloads itself, without touching the database", async () => {
    const noDatabase = new Proxy(
      {},
      {
        get: () => {
          throw new Error("the database was touched");
        },
      },
    );
    const projector = createProjector(noDatabase as never, async () => {});
    const r = await projector.projectIn(noDatabase as never, [
      { flowType: "pageview.v0", eventType: "pageview.deleted.v0", payload: {} },
      { flowType: "pageview.v0", eventType: "pageview.tracked.v0", payload: { site: "example.com" } },
    ]);
    expect(r.written).toEqual({
      pageview: 0,
      custom_event: 0,
      crash: 0,
      crash_status: 0,
      crash_delete: 0,
      feedback: 0,
      feedback_status: 0,
      feedback_note: 0,
      feedback_delete: 0,
      sessions: 0,
      web_vitals: 0,
    });
    expect(r.rejected.map((x) => x.error.code)).toEqual(["unknown_event_type", "invalid_payload"]);
    expect(r.rejected[1]!.error.message).toContain("pageview.tracked.v0");
  });

  test("one visit shape: the request schema and the contract read the same limits", () => {
    const zodMax = (s: unknown) =>
      (
        (s as { _def: { checks?: { kind: string; value: number }[]; innerType?: unknown } })._def.checks ??
        (s as { _def: { innerType: { _def: { checks: { kind: string; value: number }[] } } } })._def.innerType._def.checks
      ).find((c) => c.kind === "max")?.value;
    expect(PageviewBody.properties.pathname.maxLength).toBe(LIMITS.pathname);
    expect(zodMax(pageviewTrackedSchema.shape.pathname)).toBe(LIMITS.pathname);
    expect(PageviewBody.properties.title.maxLength).toBe(LIMITS.title);
    expect(zodMax(pageviewTrackedSchema.shape.title)).toBe(LIMITS.title);
    expect(zodMax(pageviewTrackedSchema.shape.url)).toBe(LIMITS.url);
  });
});
