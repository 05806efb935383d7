import { describe, expect, test } from "bun:test";
import { pageviewTrackedSchema } from "../../src/pathways/contracts/pageview.v0.ts";
import { crashReportedSchema } from "../../src/pathways/contracts/crash.v0.ts";
import { newContext, type IngestContext, type PipelineDeps } from "../../src/ingest/context.ts";
import { runPipeline, STEPS } from "../../src/ingest/pipeline.ts";
import { classifyReferrerStep } from "../../src/ingest/steps/classify-referrer.ts";
import { dropBotStep } from "../../src/ingest/steps/drop-bot.ts";
import { hashVisitorStep } from "../../src/ingest/steps/hash-visitor.ts";
import { cleanUrlStep } from "../../src/ingest/steps/normalise-url.ts";
import { parseClientStep } from "../../src/ingest/steps/parse-client.ts";
import { resolveSiteStep } from "../../src/ingest/steps/resolve-site.ts";
import { Drop, type IngestRequest } from "../../src/ingest/types.ts";
import { derivedSaltStore } from "../../src/privacy/salt.ts";

/** Each ingest step on its own, in memory: no database, no HTTP. */
const CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
const BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

function pageview(over: Partial<Extract<IngestRequest, { kind: "pageview" }>> = {}): IngestRequest {
  return {
    kind: "pageview",
    title: null,
    client: { ip: "203.0.113.9", userAgent: CHROME },
    headers: { origin: null, referer: null },
    receivedAt: new Date("2026-05-04T10:00:00Z"),
    auth: null,
    site: "example.com",
    url: null,
    pathname: "/",
    referrer: null,
    ...over,
  };
}
const crash = (userAgent: string): IngestRequest => ({
  ...pageview({ client: { ip: "203.0.113.9", userAgent }, pathname: null }),
  kind: "crash",
  crash: {
    errorType: "TypeError",
    message: "x is undefined",
    stack: null,
    stackTrace: null,
    fingerprint: null,
    release: null,
    platform: null,
    osVersion: null,
    severity: null,
    breadcrumbs: null,
    context: null,
  },
});
const deps = (over: Partial<PipelineDeps> = {}): PipelineDeps => ({
  salts: derivedSaltStore("k".repeat(32)),
  allowedSites: null,
  newId: () => "0190a6c4-0000-7000-8000-000000000001",
  ...over,
});
const run = async (step: (c: IngestContext, d: PipelineDeps) => unknown, req: IngestRequest, d = deps(), ctx = newContext(req)) => (await step(ctx, d)) as IngestContext | Drop;
const ok = (r: IngestContext | Drop): IngestContext => {
  if (r instanceof Drop) throw new Error(`unexpected drop: ${r.reason}`);
  return r;
};

describe("drop_bot", () => {
  test("a crawler's page view is dropped as bot; an empty user agent too", async () => {
    expect(await run(dropBotStep, pageview({ client: { ip: "1.2.3.4", userAgent: BOT } }))).toEqual(new Drop("bot"));
    expect(await run(dropBotStep, pageview({ client: { ip: "1.2.3.4", userAgent: "  " } }))).toEqual(new Drop("bot"));
  });
  test("a browser passes; a crash passes whatever sent it; an authenticated sender passes", async () => {
    expect(await run(dropBotStep, pageview())).not.toBeInstanceOf(Drop);
    expect(await run(dropBotStep, crash(BOT))).not.toBeInstanceOf(Drop);
    expect(await run(dropBotStep, pageview({ client: { ip: "1.2.3.4", userAgent: "curl/8.0" }, auth: { projectId: "1", sites: ["example.com"] } }))).not.toBeInstanceOf(Drop);
  });
});

describe("resolve_site", () => {
  test("the body's site, normalised: scheme, case, port and www. go", async () => {
    expect(ok(await run(resolveSiteStep, pageview({ site: "https://www.Example.com:443/x" }))).site).toBe("example.com");
  });
  test("no site in the body: Origin, else Referer", async () => {
    expect(ok(await run(resolveSiteStep, pageview({ site: null, headers: { origin: "https://shop.example.org", referer: "https://other.example/" } }))).site).toBe(
      "shop.example.org",
    );
    expect(ok(await run(resolveSiteStep, pageview({ site: "  ", headers: { origin: "null", referer: "https://blog.example.net/p?q=1" } }))).site).toBe("blog.example.net");
  });
  test("nothing to go on → a missing_site drop, never a throw; not in ALLOWED_SITES → unknown_site", async () => {
    expect(await run(resolveSiteStep, pageview({ site: null }))).toEqual(new Drop("missing_site"));
    expect(await run(resolveSiteStep, pageview({ site: "evil.example" }), deps({ allowedSites: ["example.com"] }))).toEqual(new Drop("unknown_site"));
    expect(ok(await run(resolveSiteStep, pageview(), deps({ allowedSites: ["example.com"] }))).site).toBe("example.com");
  });
});

describe("clean_url", () => {
  test("query and fragment never reach the path or the URL; utm_* are read first", async () => {
    const c = ok(await run(cleanUrlStep, pageview({ pathname: "/a?email=x@y.z#top", url: "https://example.com/a?utm_source=news&utm_medium=mail&token=s3cret#f" })));
    expect(c.pathname).toBe("/a");
    expect(c.url).toBe("https://example.com/a");
    expect(c.utm).toEqual({ utmSource: "news", utmMedium: "mail", utmCampaign: null, utmTerm: null, utmContent: null });
  });
  test("no pathname: the URL's path, else /; a hash route is kept", async () => {
    expect(ok(await run(cleanUrlStep, pageview({ pathname: null, url: "https://example.com/docs/x?y=1" }))).pathname).toBe("/docs/x");
    expect(ok(await run(cleanUrlStep, pageview({ pathname: null }))).pathname).toBe("/");
    expect(ok(await run(cleanUrlStep, pageview({ pathname: "/#/settings?tab=2" }))).pathname).toBe("/#/settings");
  });
});

describe("classify_referrer", () => {
  const classify = async (referrer: string | null, utmSource: string | null = null) => {
    const ctx = newContext(pageview({ referrer }));
    ctx.site = "example.com";
    ctx.utm.utmSource = utmSource;
    return ok(await run(classifyReferrerStep, pageview(), deps(), ctx)).referrer;
  };
  test("a search engine is named; the site itself is no source; utm_source wins", async () => {
    expect(await classify("https://www.google.com/search?q=secret")).toEqual({ referrer: "https://www.google.com/search", referrerHost: "google.com", referrerSource: "Google" });
    expect(await classify("https://www.example.com/pricing")).toEqual({ referrer: null, referrerHost: null, referrerSource: null });
    expect((await classify("https://news.ycombinator.com/item", "newsletter")).referrerSource).toBe("newsletter");
    expect(await classify("javascript:alert(1)")).toEqual({ referrer: null, referrerHost: null, referrerSource: null });
  });
});

describe("parse_client", () => {
  test("user agent → browser, major version, OS, device class", async () => {
    expect(ok(await run(parseClientStep, pageview())).client).toEqual({ browser: "Chrome", browserVersion: "131", os: "Windows", osVersion: "10", deviceType: "desktop" });
    expect(ok(await run(parseClientStep, pageview({ client: { ip: "1.1.1.1", userAgent: IPHONE } }))).client).toMatchObject({
      browser: "Mobile Safari",
      os: "iOS",
      deviceType: "mobile",
    });
  });
});

describe("hash_visitor", () => {
  const hash = async (req: IngestRequest, site = "example.com") => {
    const ctx = newContext(req);
    ctx.site = site;
    return ok(await run(hashVisitorStep, req, deps(), ctx)).visitorHash;
  };
  test("same person, site and day → same hash; another site, day or address → another", async () => {
    const h = await hash(pageview());
    expect(h).toMatch(/^[0-9a-f]{32}$/);
    expect(await hash(pageview())).toBe(h);
    expect(await hash(pageview(), "other.example")).not.toBe(h);
    expect(await hash(pageview({ receivedAt: new Date("2026-05-05T10:00:00Z") }))).not.toBe(h);
    expect(await hash(pageview({ client: { ip: "203.0.113.10", userAgent: CHROME } }))).not.toBe(h);
  });
  test("synchronous while the day's salt is in memory; waits for it otherwise, with the same hash", async () => {
    const req = pageview();
    const ctx = () => Object.assign(newContext(req), { site: "example.com" });
    const derived = derivedSaltStore("k".repeat(32));
    const sync = hashVisitorStep(ctx(), deps({ salts: derived }));
    expect(sync).not.toBeInstanceOf(Promise);
    // A store that has not loaded the day's salt yet (random mode before its first read).
    const cold = { ...derived, cached: () => null };
    const waited = hashVisitorStep(ctx(), deps({ salts: cold }));
    expect(waited).toBeInstanceOf(Promise);
    expect(ok(await waited).visitorHash).toBe(ok(sync as IngestContext).visitorHash);
  });
});

describe("the pipeline", () => {
  test("runs the named steps in order, timing each, and returns a page view that matches its contract", async () => {
    expect(STEPS.map(([name]) => name)).toEqual(["drop_bot", "resolve_site", "check_project", "clean_url", "classify_referrer", "parse_client", "lookup_country", "hash_visitor"]);
    const timed: string[] = [];
    const event = await runPipeline(
      pageview({ pathname: "/p?x=1", referrer: "https://duckduckgo.com/" }),
      deps({ observeStep: (s, sec) => (expect(sec).toBeGreaterThanOrEqual(0), timed.push(s)) }),
    );
    expect(timed).toEqual(STEPS.map(([name]) => name));
    if (event instanceof Drop) throw new Error("dropped");
    expect(event.contract.eventType).toBe("pageview.tracked.v0");
    expect(pageviewTrackedSchema.parse(event.payload) as unknown).toEqual(event.payload);
    expect(event.payload).toMatchObject({
      ingestId: "0190a6c4-0000-7000-8000-000000000001",
      site: "example.com",
      pathname: "/p",
      referrerSource: "DuckDuckGo",
      occurredAt: "2026-05-04T10:00:00.000Z",
    });
    // Privacy: nothing raw in the payload.
    expect(JSON.stringify(event.payload)).not.toContain("203.0.113.9");
    expect(JSON.stringify(event.payload)).not.toContain("Mozilla");
  });
  test("a drop stops the pipeline: later steps never run", async () => {
    const timed: string[] = [];
    expect(await runPipeline(pageview({ client: { ip: "1.1.1.1", userAgent: BOT } }), deps({ observeStep: (s) => timed.push(s) }))).toEqual(new Drop("bot"));
    expect(timed).toEqual(["drop_bot"]);
  });
  test("a crash without page information has a null pathname and matches its contract", async () => {
    const event = await runPipeline(crash(CHROME), deps());
    if (event instanceof Drop) throw new Error("dropped");
    expect(event.contract.eventType).toBe("crash.reported.v0");
    expect(crashReportedSchema.parse(event.payload)).toMatchObject({ pathname: null, errorType: "TypeError", severity: "error" });
  });
});
