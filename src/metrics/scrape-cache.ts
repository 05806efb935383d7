/**
 * Renders the Prometheus text at most once per `ttlMs`. A render costs event-loop time that ingest
 * needs, and `/metrics` may be open to anyone: however many scrapes arrive, they share one render
 * per window (concurrent scrapes also share the render in progress). Prometheus scrapes every
 * 10–60 s, so a second of staleness costs nothing.
 */
export function createScrapeCache(render: () => Promise<string>, opts: { ttlMs?: number; now?: () => number } = {}) {
  const ttlMs = opts.ttlMs ?? 1000;
  const now = opts.now ?? (() => performance.now());
  let cached: { text: Promise<string>; at: number } | null = null;
  return {
    text(): Promise<string> {
      const t = now();
      if (cached && t - cached.at < ttlMs) return cached.text;
      const text = render();
      const entry = { text, at: t };
      cached = entry;
      // A failed render is not cached: the next scrape tries again.
      text.catch(() => {
        if (cached === entry) cached = null;
      });
      return text;
    },
  };
}
