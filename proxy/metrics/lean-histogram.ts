// A histogram for the statement hot path: observing is a short bucket scan and three additions, where
// prom-client's Histogram hashes its label object on every observation. It plugs into a prom-client Registry
// (which renders it like any histogram: _bucket with le, _sum, _count) and has one label.

export class HistogramSeries {
  /** Non-cumulative counts per bucket; the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
}

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName: string;
}

/** The part of prom-client's metric interface a Registry uses to render and reset a metric. */
export class LeanHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelName: string,
    /** Upper bounds, ascending; +Inf is implied. */
    private readonly bounds: readonly number[],
  ) {}

  /** The series for one label value; callers keep it and observe on it directly. */
  child(labelValue: string): HistogramSeries {
    let s = this.series.get(labelValue);
    if (s === undefined) {
      s = new HistogramSeries(this.bounds);
      this.series.set(labelValue, s);
    }
    return s;
  }

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }> {
    const values: MetricValue[] = [];
    for (const [labelValue, s] of this.series) {
      let cumulative = 0;
      for (let i = 0; i <= this.bounds.length; i++) {
        cumulative += s.counts[i];
        const le = i < this.bounds.length ? this.bounds[i] : '+Inf';
        values.push({ value: cumulative, labels: { le, [this.labelName]: labelValue }, metricName: `${this.name}_bucket` });
      }
      values.push({ value: s.sum, labels: { [this.labelName]: labelValue }, metricName: `${this.name}_sum` });
      values.push({ value: s.count, labels: { [this.labelName]: labelValue }, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Registry.resetMetrics(): zero every series (the children callers hold stay valid). */
  reset(): void {
    for (const s of this.series.values()) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}
