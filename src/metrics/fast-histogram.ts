import type { Registry } from "prom-client";

/**
 * A Prometheus histogram for the ingest hot path. prom-client's `observe(labels, v)` validates and
 * hashes the label object on every call (several per request); here a series is found by its
 * label values joined into one string, and `child(labels)` binds a series once so `observe(v)` is
 * a bucket search and three additions. The exposition is what prom-client's own Histogram writes
 * (same names, buckets, label order), since `get()` returns the same shape to the registry.
 */
interface Series {
  labels: Record<string, string>;
  counts: Float64Array;
  sum: number;
  count: number;
}

export interface HistogramChild {
  observe(value: number): void;
}

export class FastHistogram<L extends string = string> {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
    private readonly buckets: readonly number[],
    registers: Registry[],
  ) {
    for (const r of registers) r.registerMetric(this as never);
  }

  private seriesFor(labels: Record<L, string>): Series {
    let key = "";
    for (const n of this.labelNames) key += `${labels[n]}\u0001`;
    let s = this.series.get(key);
    if (!s) {
      const own: Record<string, string> = {};
      for (const n of this.labelNames) own[n] = String(labels[n]);
      s = { labels: own, counts: new Float64Array(this.buckets.length), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    return s;
  }

  private record(s: Series, value: number) {
    if (!Number.isFinite(value)) return;
    const b = this.buckets;
    let i = 0;
    while (i < b.length && value > b[i]!) i++;
    if (i < b.length) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  observe(labels: Record<L, string>, value: number): void {
    this.record(this.seriesFor(labels), value);
  }

  /** The series for these labels, bound once: for label values known up front (a step's name). */
  child(labels: Record<L, string>): HistogramChild {
    const s = this.seriesFor(labels);
    return { observe: (v) => this.record(s, v) };
  }

  /** What the registry renders: the same values prom-client's Histogram returns. */
  get() {
    const values: { labels: Record<string, string | number>; sharedLabels?: Record<string, string>; value: number; metricName: string }[] = [];
    for (const s of this.series.values()) {
      let acc = 0;
      this.buckets.forEach((le, i) => {
        acc += s.counts[i]!;
        values.push({ labels: { le }, sharedLabels: s.labels, value: acc, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: "+Inf" }, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    for (const s of this.series.values()) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}
