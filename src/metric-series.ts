/**
 * Counters and histograms whose hot path allocates nothing and hashes nothing: a caller keeps the series of one label
 * set and adds to it; prom-client's registry formats them only when /metrics is scraped.
 */
import type { Registry } from 'prom-client';

/** One label set's histogram: counts per bucket (not cumulative), their sum and count. */
export class HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Record<string, string>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  clear(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }

  observe(value: number): void {
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
}

/** One label set's counter. */
export class CounterSeries {
  value = 0;

  constructor(readonly labels: Record<string, string>) {}

  inc(): void {
    this.value++;
  }

  clear(): void {
    this.value = 0;
  }
}

interface Exported {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/** What prom-client's registry asks of a metric (the fields of its own Metric class that formatting reads). */
abstract class SeriesMetric<S extends { clear(): void }> {
  readonly aggregator = 'sum';
  protected readonly series: S[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    registry: Registry,
  ) {
    // The registry keeps whatever has these fields and get(); its own type names its Metric class.
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  protected abstract values(): Exported[];

  async get() {
    return { name: this.name, help: this.help, type: this.type, values: this.values(), aggregator: this.aggregator };
  }

  /** The registry calls this on reset; series held by callers stay valid and start again from zero. */
  reset(): void {
    for (const s of this.series) s.clear();
  }
}

export class SeriesCounter extends SeriesMetric<CounterSeries> {
  constructor(name: string, help: string, registry: Registry) {
    super(name, help, 'counter', registry);
  }

  /** A new series for these labels: the caller keeps it (one per label set). */
  labelled(labels: Record<string, string>): CounterSeries {
    const s = new CounterSeries(labels);
    this.series.push(s);
    return s;
  }

  protected values(): Exported[] {
    return this.series.map((s) => ({ labels: s.labels, value: s.value }));
  }
}

export class SeriesHistogram extends SeriesMetric<HistogramSeries> {
  constructor(
    name: string,
    help: string,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    super(name, help, 'histogram', registry);
  }

  /** A new series for these labels: the caller keeps it (one per label set). */
  labelled(labels: Record<string, string>): HistogramSeries {
    const s = new HistogramSeries(labels, this.bounds);
    this.series.push(s);
    return s;
  }

  protected values(): Exported[] {
    const out: Exported[] = [];
    for (const s of this.series) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += s.counts[i];
        out.push({ metricName: `${this.name}_bucket`, labels: { le, ...s.labels }, value: cumulative });
      });
      out.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...s.labels }, value: s.count });
      out.push({ metricName: `${this.name}_sum`, labels: s.labels, value: s.sum });
      out.push({ metricName: `${this.name}_count`, labels: s.labels, value: s.count });
    }
    return out;
  }
}
