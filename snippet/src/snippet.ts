/*
 * trackEvent browser snippet — privacy-first analytics collector.
 *
 * Embed (the one-line queue stub first, so calls made before the script
 * loads are kept and replayed in order):
 *
 *   <script>window.trackEvent=window.trackEvent||function(){(window.trackEvent.q=window.trackEvent.q||[]).push(arguments)}</script>
 *   <script async src="https://collector.example.com/snippet.js" data-site="example.com"></script>
 *
 * Script-tag options (data-* attributes; they also work on an inline <script>):
 *   data-api             API origin (default: origin of this script's src; for an
 *                        inline script without it: the page's own origin)
 *   data-site            site identifier sent with every request (default: the
 *                        server takes the page's host from the Origin header)
 *   data-hash            hash-based routes: include location.hash in pathname
 *   data-allow-localhost also send from localhost / 127.x / [::1] / *.localhost / file:
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
    const a = (k: string) => s?.getAttribute("data-" + k);
    const api = (a("api") || new URL(s?.src || l.href).origin) + "/api/";
    const site = a("site") || void 0;
    const hash = a("hash") != null;
    let off: any = a("allow-localhost") == null && (/^127\.|^\[::1]$|(^|\.)localhost$/.test(l.hostname) || l.protocol == "file:");
    try {
      off ||= localStorage.analytics_ignore == "true";
    } catch {}

    const path = () => l.pathname + (hash ? l.hash : "");

    // Body as a string: sendBeacon/fetch send it as text/plain, which needs no CORS preflight.
    const send = (p: string, b: any) => {
      if (!off)
        try {
          b.site = site;
          const j = JSON.stringify(b);
          navigator.sendBeacon?.(api + p, j) || fetch(api + p, { method: "POST", body: j, keepalive: true }).catch(() => {});
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
    for (const k of ["pushState", "replaceState"]) {
      const o = h[k];
      h[k] = function (this: History) {
        o.apply(this, arguments); // returns undefined; pv() cannot throw
        pv();
      };
    }
    addEventListener("popstate", pv);
    if (hash) addEventListener("hashchange", pv);
    pv();

    // Custom events; replay calls queued by the stub, in order.
    const te = (n: string, c?: Record<string, string | number | boolean>) => send("event", { eventName: n, pathname: path(), customProperties: c });
    for (const x of w.trackEvent?.q || []) te(...(x as [string]));
    w.trackEvent = te;

    // Crashes: identical (type + message + stack) sent once, at most 10 per page load.
    const seen: string[] = [];
    const crash = (x: any, t: string, m: any) => {
      try {
        let st = "";
        if (x instanceof Error) {
          t = x.name || t;
          m = x.message;
          st = x.stack || "";
        }
        m = String(m);
        const k = [t, m, st] + "";
        if (seen.length < 10 && !seen.includes(k)) {
          seen.push(k);
          send("crash", { errorType: t, message: m, stack: st, pathname: path() });
        }
      } catch {}
    };
    addEventListener("error", (e: ErrorEvent) => crash(e.error, "Error", e.message));
    addEventListener("unhandledrejection", (e: PromiseRejectionEvent) => crash(e.reason, "UnhandledRejection", e.reason));
  } catch {}
})(window, document, location);
