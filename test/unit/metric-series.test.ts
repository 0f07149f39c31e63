/** The allocation-free series expose exactly what prom-client's own counters and histograms would. */
import { Counter, Histogram, Registry } from 'prom-client';
import { SeriesCounter, SeriesHistogram } from '../../src/metric-series';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVED = [0.0005, 0.001, 0.004, 0.01, 0.05, 0.5, 1, 2, 30];

describe('metric series', () => {
  it('a histogram exposes the buckets, sum and count prom-client would, per label set', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const h = new SeriesHistogram('t_seconds', 'help', BUCKETS, ours);
    const ref = new Histogram({
      name: 't_seconds',
      help: 'help',
      labelNames: ['route', 'status'],
      buckets: BUCKETS,
      registers: [theirs],
    });
    // In the order prom-client meets them: the first observation is /b's.
    const b = h.labelled({ route: '/b', status: '404' });
    const a = h.labelled({ route: '/a', status: '200' });
    OBSERVED.forEach((v, i) => {
      (i % 3 ? a : b).observe(v);
      ref.observe({ route: i % 3 ? '/a' : '/b', status: i % 3 ? '200' : '404' }, v);
    });
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(a.count + b.count).toBe(OBSERVED.length);
  });

  it('a counter exposes what prom-client would, and a reset zeroes the series callers hold', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const c = new SeriesCounter('t_total', 'help', ours);
    const ref = new Counter({ name: 't_total', help: 'help', labelNames: ['outcome'], registers: [theirs] });
    const ok = c.labelled({ outcome: 'ok' });
    const failed = c.labelled({ outcome: 'timeout' });
    for (let i = 0; i < 5; i++) ok.inc();
    failed.inc();
    ref.inc({ outcome: 'ok' }, 5);
    ref.inc({ outcome: 'timeout' });
    expect(await ours.metrics()).toBe(await theirs.metrics());
    ours.resetMetrics();
    ok.inc();
    expect(await ours.metrics()).toContain('t_total{outcome="ok"} 1\nt_total{outcome="timeout"} 0');
  });
});
