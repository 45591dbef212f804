package dev.medallion.transforms;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** Passes elements through, counting them in a layer's metric (e.g. gold/in). */
public final class Counted<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private static final long serialVersionUID = 1L;
  private final String layer;
  private final String name;

  private Counted(String layer, String name) {
    this.layer = layer;
    this.name = name;
  }

  public static <T> Counted<T> as(String layer, String name) {
    return new Counted<>(layer, name);
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    return input.apply("Count", ParDo.of(new CountFn<T>(layer, name))).setCoder(input.getCoder());
  }

  static final class CountFn<T> extends DoFn<T, T> {
    private static final long serialVersionUID = 1L;
    private final Counter counter;

    CountFn(String layer, String name) {
      this.counter = Metrics.counter(layer, name);
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) {
      counter.inc();
      out.output(element);
    }
  }
}
