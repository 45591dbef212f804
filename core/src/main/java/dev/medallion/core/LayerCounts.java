package dev.medallion.core;

import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.ops.Layer;
import dev.medallion.ops.LayerStats;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** What a run's {@link LayerMetrics} added up to, read from the pipeline's result. */
public final class LayerCounts {
  /** One layer's numbers. */
  public record Count(long in, long out, long quarantined) {}

  private final Map<String, Map<String, Long>> counters;
  private final Map<String, long[]> activity;

  private LayerCounts(Map<String, Map<String, Long>> counters, Map<String, long[]> activity) {
    this.counters = counters;
    this.activity = activity;
  }

  public static LayerCounts empty() {
    return new LayerCounts(Map.of(), Map.of());
  }

  public static LayerCounts of(PipelineResult result) {
    Map<String, Map<String, Long>> counters = new LinkedHashMap<>();
    Map<String, long[]> activity = new LinkedHashMap<>();
    MetricQueryResults metrics;
    try {
      metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    } catch (UnsupportedOperationException e) {
      return empty(); // a job submitted detached reports no metrics to its client
    }
    for (MetricResult<Long> counter : metrics.getCounters()) {
      Long value = attempted(counter);
      counters
          .computeIfAbsent(counter.getName().getNamespace(), k -> new LinkedHashMap<>())
          .merge(counter.getName().getName(), value == null ? 0L : value, Long::sum);
    }
    for (MetricResult<DistributionResult> distribution : metrics.getDistributions()) {
      DistributionResult value = attemptedDistribution(distribution);
      if (value != null
          && value.getCount() > 0
          && "activity_millis".equals(distribution.getName().getName())) {
        activity.merge(
            distribution.getName().getNamespace(),
            new long[] {value.getMin(), value.getMax()},
            (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
      }
    }
    return new LayerCounts(counters, activity);
  }

  private static Long attempted(MetricResult<Long> counter) {
    try {
      return counter.getAttempted();
    } catch (UnsupportedOperationException e) {
      return counter.getCommitted();
    }
  }

  private static DistributionResult attemptedDistribution(
      MetricResult<DistributionResult> distribution) {
    try {
      return distribution.getAttempted();
    } catch (UnsupportedOperationException e) {
      return distribution.getCommitted();
    }
  }

  public Count layer(Layer layer) {
    String ns = LayerMetrics.layerNamespace(layer);
    return new Count(get(ns, "in"), get(ns, "out"), get(ns, "quarantined"));
  }

  /** A layer's numbers for the run history: records, bytes read, and how long it was busy. */
  public LayerStats stats(Layer layer) {
    Count c = layer(layer);
    long[] span = activity.get(LayerMetrics.layerNamespace(layer));
    return new LayerStats(
        c.in(),
        c.out(),
        c.quarantined(),
        get(LayerMetrics.layerNamespace(layer), "bytes_read"),
        span == null ? 0 : span[1] - span[0],
        get(LayerMetrics.layerNamespace(layer), "merged"));
  }

  public long get(RunMetric metric) {
    return get(metric.metricName().getNamespace(), metric.metricName().getName());
  }

  /** Rows written per table in this run. */
  public Map<String, Long> tableRows() {
    return namespace(LayerMetrics.tablesNamespace());
  }

  public long tableRows(String table) {
    return get(LayerMetrics.tablesNamespace(), table);
  }

  /**
   * Rows a table has taken in this run: what its batching sink committed ({@code
   * sink/<table>_rows}), or what a counted write passed on ({@link #tableRows(String)}).
   */
  public long rowsWritten(String table) {
    return Math.max(get("sink", table + "_rows"), tableRows(table));
  }

  /** Records fetched per stream of an API source in this run. */
  public Map<String, Long> streamRows() {
    return namespace(LayerMetrics.streamsNamespace());
  }

  /**
   * Any counter by namespace and name: for counters a sink keeps about itself, such as batch sizes.
   */
  public long get(String namespace, String name) {
    return counters.getOrDefault(namespace, Map.of()).getOrDefault(name, 0L);
  }

  /** Every counter of a namespace, by name. */
  public Map<String, Long> namespace(String namespace) {
    return java.util.Collections.unmodifiableMap(counters.getOrDefault(namespace, Map.of()));
  }

  /** Each layer's {@link LayerStats}, for ops.pipeline_runs. */
  public Map<Layer, LayerStats> stats(Iterable<Layer> layers) {
    Map<Layer, LayerStats> stats = new LinkedHashMap<>();
    for (Layer layer : layers) {
      stats.put(layer, stats(layer));
    }
    return stats;
  }
}
