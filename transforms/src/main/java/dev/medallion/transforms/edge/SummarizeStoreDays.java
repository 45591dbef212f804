package dev.medallion.transforms.edge;

import dev.medallion.core.LayerMetrics;
import dev.medallion.ops.Layer;
import dev.medallion.transforms.Accumulator;
import dev.medallion.transforms.grouping.CombineInBuckets;
import java.time.LocalDate;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Transactions to one summary per store and UTC day of the sale. Sales are grouped by the (store,
 * event day) key rather than by event-time windows: batch input reaches this step with whatever
 * timestamps the reads and joins before it gave (often the end of the global window), and
 * re-stamping those into day windows makes them late. Keying by the sale's own day needs no
 * timestamps and gives each store-day exactly one complete summary, in the input's window.
 */
public final class SummarizeStoreDays
    extends PTransform<PCollection<EdgeTransaction>, PCollection<StoreDailySummary>> {
  private static final long serialVersionUID = 1L;

  public static SummarizeStoreDays perStoreAndDay() {
    return new SummarizeStoreDays();
  }

  @Override
  public PCollection<StoreDailySummary> expand(PCollection<EdgeTransaction> transactions) {
    return transactions
        .apply(
            "KeyByStoreAndUtcDay",
            WithKeys.of(
                    (EdgeTransaction t) ->
                        t.getStoreId() + KEY_SEPARATOR + t.transactionDate().toEpochDay())
                .withKeyType(TypeDescriptors.strings()))
        .apply(
            "CombineStoreDay",
            CombineInBuckets.perKey(
                Accumulator.combineFn(
                    none -> new StoreDayAggregator(), StoreDayAggregator.Coder.of())))
        .apply("ToSummaryRows", ParDo.of(new ToSummaryFn()));
  }

  /** Store ids are free text; the day goes last, after the last separator. */
  static final String KEY_SEPARATOR = "\u0000";

  static final class ToSummaryFn extends DoFn<KV<String, StoreDayAggregator>, StoreDailySummary> {
    private static final long serialVersionUID = 1L;
    private final Counter summaries = LayerMetrics.out(Layer.GOLD);

    @ProcessElement
    public void process(
        @Element KV<String, StoreDayAggregator> storeDay, OutputReceiver<StoreDailySummary> out) {
      if (storeDay.getValue().isEmpty()) {
        return;
      }
      int split = storeDay.getKey().lastIndexOf(KEY_SEPARATOR);
      String storeId = storeDay.getKey().substring(0, split);
      LocalDate day = LocalDate.ofEpochDay(Long.parseLong(storeDay.getKey().substring(split + 1)));
      summaries.inc();
      out.output(storeDay.getValue().summarize(storeId, day));
    }
  }
}
