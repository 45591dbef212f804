package dev.medallion.core;

import dev.medallion.ops.Layer;
import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The counters every pipeline reports, declared once: records in, out and quarantined per layer,
 * bytes read, when each layer was busy, and the run-level counts of files and requests. Transforms
 * increment them and {@link LayerCounts} reads them back, so no counter name travels between
 * modules as a string.
 */
public final class LayerMetrics {
  private static final String TABLES = "tables";
  private static final String STREAMS = "streams";

  private LayerMetrics() {}

  /** Run-level counts that belong to no single layer. */
  public enum RunMetric {
    FILES_READ("files_read"),
    FILES_ALREADY_INGESTED("files_already_in_bronze"),
    FILES_MOVED("files_moved"),
    FILES_NOT_MOVED("files_not_moved"),
    FILES_SKIPPED("files_skipped"),
    REQUESTS("requests"),
    REQUESTS_FAILED("requests_failed");

    private final String counterName;

    RunMetric(String counterName) {
      this.counterName = counterName;
    }

    public MetricName metricName() {
      return MetricName.named("run", counterName);
    }

    public Counter counter() {
      return Metrics.counter("run", counterName);
    }
  }

  public static Counter in(Layer layer) {
    return new LayerCounter(Metrics.counter(layer.label(), "in"), activity(layer));
  }

  public static Counter out(Layer layer) {
    return new LayerCounter(Metrics.counter(layer.label(), "out"), activity(layer));
  }

  public static Counter quarantined(Layer layer) {
    return new LayerCounter(Metrics.counter(layer.label(), "quarantined"), activity(layer));
  }

  /** Records folded into another record with the same key: neither a row nor quarantined. */
  public static Counter merged(Layer layer) {
    return new LayerCounter(Metrics.counter(layer.label(), "merged"), activity(layer));
  }

  public static Counter bytesRead(Layer layer) {
    return Metrics.counter(layer.label(), "bytes_read");
  }

  /**
   * Updated with the wall-clock time whenever the layer handles a record: its span is how long the
   * layer was busy.
   */
  public static Distribution activity(Layer layer) {
    return Metrics.distribution(layer.label(), "activity_millis");
  }

  /** Rows written to one table (schema-qualified name). */
  public static Counter tableRows(String table) {
    return Metrics.counter(TABLES, table);
  }

  /** Records fetched for one stream of an API source (an endpoint, a data type). */
  public static Counter streamRows(String stream) {
    return Metrics.counter(STREAMS, stream);
  }

  static String layerNamespace(Layer layer) {
    return layer.label();
  }

  static String tablesNamespace() {
    return TABLES;
  }

  static String streamsNamespace() {
    return STREAMS;
  }

  /**
   * A layer's record counter that also notes when the layer handled a record, so the run record's
   * per-layer duration (first to last record) holds for every layer, whichever step counts it.
   */
  static final class LayerCounter implements Counter, Serializable {
    private static final long serialVersionUID = 1L;
    private final Counter counter;
    private final Distribution activity;

    LayerCounter(Counter counter, Distribution activity) {
      this.counter = counter;
      this.activity = activity;
    }

    @Override
    public void inc() {
      inc(1);
    }

    @Override
    public void inc(long n) {
      counter.inc(n);
      activity.update(System.currentTimeMillis());
    }

    @Override
    public void dec() {
      dec(1);
    }

    @Override
    public void dec(long n) {
      counter.dec(n);
    }

    @Override
    public MetricName getName() {
      return counter.getName();
    }
  }
}
