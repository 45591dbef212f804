package dev.medallion.core;

import dev.medallion.ops.Layer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** Passes elements through, counting them in one of the {@link LayerMetrics}. */
public final class Counted<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private static final long serialVersionUID = 1L;
  private final Counter counter;
  private final Distribution activity;

  private Counted(Counter counter, Distribution activity) {
    this.counter = counter;
    this.activity = activity;
  }

  /** Records that enter a layer. */
  public static <T> Counted<T> in(Layer layer) {
    return new Counted<>(LayerMetrics.in(layer), LayerMetrics.activity(layer));
  }

  /** Records a layer hands on. */
  public static <T> Counted<T> out(Layer layer) {
    return new Counted<>(LayerMetrics.out(layer), LayerMetrics.activity(layer));
  }

  /** Records a layer set aside. */
  public static <T> Counted<T> quarantined(Layer layer) {
    return new Counted<>(LayerMetrics.quarantined(layer), LayerMetrics.activity(layer));
  }

  /** Rows bound for one table. */
  public static <T> Counted<T> rowsOf(String table) {
    return new Counted<>(LayerMetrics.tableRows(table), null);
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    return input
        .apply("Count", ParDo.of(new CountFn<T>(counter, activity)))
        .setCoder(input.getCoder());
  }

  static final class CountFn<T> extends DoFn<T, T> {
    private static final long serialVersionUID = 1L;
    private final Counter counter;
    private final Distribution activity;

    CountFn(Counter counter, Distribution activity) {
      this.counter = counter;
      this.activity = activity;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) {
      counter.inc();
      if (activity != null) {
        activity.update(System.currentTimeMillis());
      }
      out.output(element);
    }
  }
}
