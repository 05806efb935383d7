/*
 * Web Vitals add-on to the trackEvent snippet (opt-in, a separate file so the base snippet stays
 * ≤ 1 KiB gzipped):
 *
 *   <script async src="https://collector.example.com/snippet.vitals.js" data-site="example.com"></script>
 *
 * Options as the snippet's: data-api, data-site, data-hash, data-allow-localhost; the
 * localStorage flag `analytics_ignore` opts out here too.
 *
 * Measures, with the browser's own performance entries (no library): LCP, INP, CLS, FCP and TTFB,
 * as the Web Vitals definitions say (CLS: the largest burst of shifts, 1 s apart at most and 5 s
 * long at most; INP: the slowest interaction, leaving out one per 50 interactions). Sends them
 * once per page view, to POST /api/vitals, when the page is hidden or the SPA moves to another
 * path. No identifiers, no storage writes; failures never throw into the host page.
 */
((d: Document, l: Location) => {
  try {
    const s = d.currentScript as HTMLScriptElement | null;
    const a = (k: string) => s?.getAttribute("data-" + k);
    const api = (a("api") || new URL(s?.src || l.href).origin) + "/api/vitals";
    const site = a("site") || void 0;
    const hash = a("hash") != null;
    let off: any = a("allow-localhost") == null && (/^127\.|^\[::1]$|(^|\.)localhost$/.test(l.hostname) || l.protocol == "file:");
    try {
      off ||= localStorage.analytics_ignore == "true";
    } catch {}
    if (off || typeof PerformanceObserver != "function") return;

    const path = () => l.pathname + (hash ? l.hash : "");
    let page = path();
    let m: Record<string, number> = {};
    let durations: number[] = [];
    let cls = 0;
    let burst = 0;
    let burstStart = 0;
    let burstLast = 0;

    const observe = (type: string, fn: (e: any) => void, opts: any = {}) => {
      try {
        new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({ type, buffered: true, ...opts });
      } catch {}
    };
    observe("paint", (e) => {
      if (e.name == "first-contentful-paint") m.fcp = e.startTime;
    });
    observe("largest-contentful-paint", (e) => {
      m.lcp = e.startTime;
    });
    observe("layout-shift", (e) => {
      if (e.hadRecentInput) return;
      if (burst && e.startTime - burstLast < 1000 && e.startTime - burstStart < 5000) burst += e.value;
      else (burst = e.value), (burstStart = e.startTime);
      burstLast = e.startTime;
      cls = Math.max(cls, burst);
      m.cls = cls;
    });
    observe(
      "event",
      (e) => {
        if (e.interactionId) {
          durations.push(e.duration);
          const sorted = durations.slice().sort((x, y) => y - x);
          m.inp = sorted[Math.min(sorted.length - 1, Math.floor(durations.length / 50))]!;
        }
      },
      { durationThreshold: 16 },
    );
    const nav: any = performance.getEntriesByType?.("navigation")[0];
    if (nav && nav.responseStart > 0) m.ttfb = nav.responseStart;

    // Once per page view: on hide, or when an SPA navigation leaves the page (its LCP, CLS, INP
    // end there; TTFB and FCP belong to the first page only).
    const send = () => {
      if (Object.keys(m).length)
        try {
          const j = JSON.stringify({ site, pathname: page, ...m });
          navigator.sendBeacon?.(api, j) || fetch(api, { method: "POST", body: j, keepalive: true }).catch(() => {});
        } catch {}
      m = {};
      durations = [];
      cls = burst = 0;
    };
    addEventListener("visibilitychange", () => d.visibilityState == "hidden" && send());
    addEventListener("pagehide", send);
    const moved = () => {
      if (path() != page) send(), (page = path());
    };
    const h: any = history;
    for (const k of ["pushState", "replaceState"]) {
      const o = h[k];
      h[k] = function (this: History) {
        o.apply(this, arguments);
        moved();
      };
    }
    addEventListener("popstate", moved);
  } catch {}
})(document, location);
