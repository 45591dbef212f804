package dev.medallion.pipelines;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Records in, out and quarantined per layer, read from the pipeline's counters. */
public final class LayerCounts {
  /** One layer's numbers. */
  public record Count(long in, long out, long quarantined) {}

  private final Map<String, Map<String, Long>> counters;

  private LayerCounts(Map<String, Map<String, Long>> counters) {
    this.counters = counters;
  }

  public static LayerCounts of(PipelineResult result) {
    Map<String, Map<String, Long>> counters = new LinkedHashMap<>();
    MetricQueryResults metrics;
    try {
      metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    } catch (UnsupportedOperationException e) {
      return new LayerCounts(counters); // a job submitted detached reports no metrics to its client
    }
    for (MetricResult<Long> counter : metrics.getCounters()) {
      Long value = attempted(counter);
      counters.computeIfAbsent(counter.getName().getNamespace(), k -> new LinkedHashMap<>())
          .merge(counter.getName().getName(), value == null ? 0L : value, Long::sum);
    }
    return new LayerCounts(counters);
  }

  private static Long attempted(MetricResult<Long> counter) {
    try {
      return counter.getAttempted();
    } catch (UnsupportedOperationException e) {
      return counter.getCommitted();
    }
  }

  public Count layer(Layer layer) {
    return new Count(get(layer.label(), "in"), get(layer.label(), "out"), get(layer.label(), "quarantined"));
  }

  /** Every counter of a namespace, e.g. rows per endpoint, by name. */
  public Map<String, Long> namespace(String namespace) {
    return java.util.Collections.unmodifiableMap(counters.getOrDefault(namespace, Map.of()));
  }

  public long get(String namespace, String name) {
    return counters.getOrDefault(namespace, Map.of()).getOrDefault(name, 0L);
  }

  /** {"bronze": {"in": n, "out": n, "quarantined": n}, ...} for ops.pipeline_runs. */
  public String toJson(Iterable<Layer> layers) {
    StringBuilder json = new StringBuilder("{");
    for (Layer layer : layers) {
      Count c = layer(layer);
      if (json.length() > 1) {
        json.append(", ");
      }
      json.append('"').append(layer.label()).append("\": {\"in\": ").append(c.in())
          .append(", \"out\": ").append(c.out()).append(", \"quarantined\": ").append(c.quarantined()).append('}');
    }
    return json.append('}').toString();
  }
}
