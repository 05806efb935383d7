/*
 * trackEvent browser snippet — privacy-first analytics collector.
 *
 * Embed (the one-line queue stub first, so calls made before the script
 * loads are kept and replayed in order):
 *
 *   <script>window.trackEvent=window.trackEvent||function(){(window.trackEvent.q=window.trackEvent.q||[]).push(arguments)}</script>
 *   <script async src="https://collector.example.com/snippet.js" data-site="example.com"></script>
 *
 * Script-tag options (data-* attributes):
 *   data-api             endpoint base (default: origin of this script's src)
 *   data-site            site identifier sent with every request
 *   data-hash            hash-based routes: include location.hash in pathname
 *   data-allow-localhost also send from localhost / 127.0.0.1 / [::1] / *.localhost / file:
 *
 * Opt-out: localStorage.setItem('analytics_ignore', 'true') in a browser stops
 * all sending on that origin (the snippet only ever reads this flag).
 *
 * Sends: page views (load + SPA navigation), trackEvent(name, props) custom
 * events, uncaught errors / unhandled rejections (deduplicated, max 10 per
 * page load). No cookies, no storage writes, no identifiers, no fingerprinting.
 * Failures never throw into the host page.
 *
 * Hand-tuned for size (≤ 1 KiB gzipped): build with `bun run snippet/build.ts`.
 */
((w: any, d: Document, l: Location) => {
  try {
    const s = d.currentScript as HTMLScriptElement | null;
    const a = (k: string) => s && s.getAttribute("data-" + k);
    const api = a("api") || (s && s.src ? new URL(s.src).origin : "");
    const site = a("site") || void 0;
    const hash = a("hash") != null;
    let off: any = /^(localhost|127\.0\.0\.1|\[::1\])$|\.localhost$/.test(l.hostname) || l.protocol == "file:";
    if (a("allow-localhost") != null) off = 0;
    try {
      if (localStorage.getItem("analytics_ignore") == "true") off = 1;
    } catch {}

    const on = (t: string, f: (e: any) => void) =>
      w.addEventListener(t, (e: any) => {
        try {
          f(e);
        } catch {}
      });
    const path = () => l.pathname + (hash ? l.hash : "");

    const send = (p: string, b: any) => {
      if (off) return;
      try {
        b.site = site;
        const j = JSON.stringify(b);
        const u = api + "/api/" + p;
        const n = navigator;
        (n.sendBeacon && n.sendBeacon(u, new Blob([j], { type: "text/plain" }))) ||
          fetch(u, { method: "POST", body: j, keepalive: true }).catch(() => {});
      } catch {}
    };

    // Page views: once on load, then on every path change (SPA navigation).
    let last: string;
    let ref: string | undefined = d.referrer || void 0;
    const pv = () => {
      const p = path();
      if (p != last) {
        last = p;
        send("pageview", { pathname: p, url: l.href, referrer: ref });
        ref = void 0;
      }
    };
    const h: any = history;
    ["pushState", "replaceState"].forEach((k) => {
      const o = h[k];
      h[k] = function (this: any, ...x: any[]) {
        const r = o.apply(this, x);
        pv(); // cannot throw: send() swallows everything
        return r;
      };
    });
    on("popstate", pv);
    if (hash) on("hashchange", pv);
    pv();

    // Custom events; replay calls queued by the stub, in order.
    const te = (n: string, c?: Record<string, string | number | boolean>) =>
      send("event", { eventName: n, pathname: path(), customProperties: c });
    const q: ArrayLike<any>[] = (w.trackEvent && w.trackEvent.q) || [];
    q.forEach((x) => te.apply(0, x as any));
    w.trackEvent = te;

    // Crashes: identical (type + message + stack) sent once, at most 10 per page load.
    const seen = new Set<string>();
    const crash = (x: any, t: string, m: string, st = "") => {
      if (x instanceof Error) {
        t = x.name || "Error";
        m = x.message;
        st = x.stack || "";
      }
      const k = [t, m, st] + "";
      if (seen.size < 10 && !seen.has(k)) {
        seen.add(k);
        send("crash", { errorType: t, message: m, stack: st, pathname: path() });
      }
    };
    on("error", (e) => crash(e.error, "Error", e.message));
    on("unhandledrejection", (e) => crash(e.reason, "UnhandledRejection", String(e.reason)));
  } catch {}
})(window, document, location);
