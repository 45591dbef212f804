package dev.medallion.transforms.edge;

import dev.medallion.core.LayerMetrics;
import dev.medallion.ops.Layer;
import dev.medallion.transforms.grouping.GroupInBuckets;
import java.time.LocalDate;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Daily summaries to one feature row per store as of a day. */
public final class ComputeStoreFeatures
    extends PTransform<PCollection<StoreDailySummary>, PCollection<StoreFeatures>> {
  private static final long serialVersionUID = 1L;
  private final long asOfEpochDay;

  private ComputeStoreFeatures(LocalDate asOf) {
    this.asOfEpochDay = asOf.toEpochDay();
  }

  public static ComputeStoreFeatures asOf(LocalDate asOf) {
    return new ComputeStoreFeatures(asOf);
  }

  @Override
  public PCollection<StoreFeatures> expand(PCollection<StoreDailySummary> summaries) {
    return summaries
        .apply(
            "KeyByStore",
            WithKeys.of(StoreDailySummary::getStoreId).withKeyType(TypeDescriptors.strings()))
        .apply("GroupStoreDays", GroupInBuckets.create())
        .apply("CalculateFeatures", ParDo.of(new CalculateFn(asOfEpochDay)));
  }

  static final class CalculateFn
      extends DoFn<KV<String, Iterable<StoreDailySummary>>, StoreFeatures> {
    private static final long serialVersionUID = 1L;
    private final Counter features = LayerMetrics.out(Layer.PLATINUM);
    private final long asOfEpochDay;

    CalculateFn(long asOfEpochDay) {
      this.asOfEpochDay = asOfEpochDay;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<StoreDailySummary>> store, OutputReceiver<StoreFeatures> out) {
      StoreFeatureCalculator.compute(
              store.getKey(), store.getValue(), LocalDate.ofEpochDay(asOfEpochDay))
          .ifPresent(
              f -> {
                features.inc();
                out.output(f);
              });
    }
  }
}
