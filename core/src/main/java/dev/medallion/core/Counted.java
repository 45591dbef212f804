package dev.medallion.core;

import dev.medallion.ops.Layer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** Passes elements through, counting them in one of the {@link LayerMetrics}. */
public final class Counted<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private static final long serialVersionUID = 1L;
  private final Counter counter;

  private Counted(Counter counter) {
    this.counter = counter;
  }

  /** Records that enter a layer. */
  public static <T> Counted<T> in(Layer layer) {
    return new Counted<>(LayerMetrics.in(layer));
  }

  /** Records a layer hands on. */
  public static <T> Counted<T> out(Layer layer) {
    return new Counted<>(LayerMetrics.out(layer));
  }

  /** Records a layer set aside. */
  public static <T> Counted<T> quarantined(Layer layer) {
    return new Counted<>(LayerMetrics.quarantined(layer));
  }

  /** Rows bound for one table. */
  public static <T> Counted<T> rowsOf(String table) {
    return new Counted<>(LayerMetrics.tableRows(table));
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    return input.apply("Count", ParDo.of(new CountFn<T>(counter))).setCoder(input.getCoder());
  }

  static final class CountFn<T> extends DoFn<T, T> {
    private static final long serialVersionUID = 1L;
    private final Counter counter;

    CountFn(Counter counter) {
      this.counter = counter;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) {
      counter.inc();
      out.output(element);
    }
  }
}
