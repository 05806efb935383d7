import { describe, expect, test } from "bun:test";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { parseFeedbackQuery } from "../../src/feedback/list-feedback.ts";
import { FeedbackPatch } from "../../src/http/feedback-admin-routes.ts";
import { OasisFeedbackBody } from "../../src/http/oasis-feedback-route.ts";
import { feedbackSubmittedSchema } from "../../src/pathways/contracts/feedback.v0.ts";
import { feedbackStatusChangedSchema } from "../../src/pathways/contracts/feedback-status-changed.v0.ts";

describe("parseFeedbackQuery", () => {
  test("reads filters and paging; statuses and categories are comma-separated lists", () => {
    expect(parseFeedbackQuery({ site: "Shop.Example", status: "open,in_progress", category: "bug", limit: "10", offset: "20", project: "shop" })).toEqual({
      site: "shop.example",
      status: ["open", "in_progress"],
      category: ["bug"],
      limit: 10,
      offset: 20,
      project: "shop",
    });
    expect(parseFeedbackQuery({})).toEqual({ status: undefined, category: undefined });
  });

  test("every bad parameter is a 400 invalid_query whose message starts with its name", () => {
    for (const [q, field] of [
      [{ status: "open,done" }, "status"],
      [{ category: "praise" }, "category"],
      [{ limit: "0" }, "limit"],
      [{ limit: "1e3" }, "limit"],
      [{ offset: "100001" }, "offset"],
    ] as const) {
      let err: { status?: number; code?: string; message?: string } = {};
      try {
        parseFeedbackQuery(q as Record<string, string>);
      } catch (e) {
        err = e as typeof err;
      }
      expect([err.status, err.code]).toEqual([400, "invalid_query"]);
      expect(err.message?.startsWith(field)).toBe(true);
    }
  });
});

describe("schemas", () => {
  const oasis = TypeCompiler.Compile(OasisFeedbackBody);
  const patch = TypeCompiler.Compile(FeedbackPatch);

  test("the Oasis RFC's feedback body, with and without its optional fields", () => {
    expect(oasis.Check({ category: "bug", message: "hi" })).toBe(true);
    expect(oasis.Check({ category: "general", message: "hi", email: "a@b.c", appVersion: "1", platform: "p", osVersion: "o", deviceInfo: { model: "m" }, attachments: [] })).toBe(
      true,
    );
    expect(oasis.Check({ category: "bug", message: "hi", deviceInfo: "mac" })).toBe(false);
    expect(oasis.Check({ category: "idea", message: "hi" })).toBe(false);
  });

  test("a PATCH takes status and/or note, nothing else", () => {
    expect(patch.Check({ status: "closed" })).toBe(true);
    expect(patch.Check({ note: "x" })).toBe(true);
    expect(patch.Check({ status: "resolved" })).toBe(false);
    expect(patch.Check({ note: "x", author: "me" })).toBe(false);
  });

  test("the contracts: a .v0 feedback without the later fields is valid; `oasis` is a source; statuses are closed", () => {
    const v0 = {
      ingestId: "0190a6c4-0000-7000-8000-000000000001",
      site: "a.example",
      projectId: null,
      category: "bug",
      message: "m",
      email: null,
      url: null,
      release: null,
      platform: null,
      environment: null,
      associatedEventId: null,
      source: "sentry_user_report",
      occurredAt: "2026-01-01T00:00:00.000Z",
    };
    expect(feedbackSubmittedSchema.safeParse(v0).success).toBe(true);
    expect(feedbackSubmittedSchema.safeParse({ ...v0, source: "oasis", osVersion: "14.2", device: { arch: "arm64", memory: 16 } }).success).toBe(true);
    expect(feedbackSubmittedSchema.safeParse({ ...v0, source: "carrier-pigeon" }).success).toBe(false);
    expect(feedbackSubmittedSchema.safeParse({ ...v0, device: { nested: { no: 1 } } }).success).toBe(false);
    const change = { ingestId: v0.ingestId, feedbackId: v0.ingestId, site: "a.example", status: "in_progress", occurredAt: v0.occurredAt };
    expect(feedbackStatusChangedSchema.safeParse(change).success).toBe(true);
    expect(feedbackStatusChangedSchema.safeParse({ ...change, status: "resolved" }).success).toBe(false);
  });
});
