package dev.medallion.transforms.edge;

import dev.medallion.transforms.Accumulator;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Transactions to one summary per store and UTC day: each sale is stamped with its own time,
 * windowed into calendar days, and combined per store. The summaries come out in the global window
 * so that the write and what waits on it see one pane.
 */
public final class SummarizeStoreDays extends PTransform<PCollection<EdgeTransaction>, PCollection<StoreDailySummary>> {
  private static final long serialVersionUID = 1L;

  public static SummarizeStoreDays perStoreAndDay() {
    return new SummarizeStoreDays();
  }

  @Override
  public PCollection<StoreDailySummary> expand(PCollection<EdgeTransaction> transactions) {
    return transactions
        .apply("StampWithSaleTime", WithTimestamps.<EdgeTransaction>of(t -> new org.joda.time.Instant(t.getTimestampMillis()))
            .withAllowedTimestampSkew(Duration.millis(Long.MAX_VALUE)))
        .apply("WindowIntoUtcDays", Window.into(FixedWindows.of(Duration.standardDays(1))))
        .apply("KeyByStore", WithKeys.of(EdgeTransaction::getStoreId).withKeyType(TypeDescriptors.strings()))
        .apply("CombineStoreDay", Combine.perKey(Accumulator.combineFn(none -> new StoreDayAggregator(), StoreDayAggregator.class)))
        .apply("ToSummaryRows", ParDo.of(new ToSummaryFn()))
        .apply("BackToGlobalWindow", Window.into(new GlobalWindows()));
  }

  static final class ToSummaryFn extends DoFn<KV<String, StoreDayAggregator>, StoreDailySummary> {
    private static final long serialVersionUID = 1L;
    private final Counter summaries = Metrics.counter("gold", "out");

    @ProcessElement
    public void process(@Element KV<String, StoreDayAggregator> storeDay, BoundedWindow window, OutputReceiver<StoreDailySummary> out) {
      if (storeDay.getValue().isEmpty()) {
        return;
      }
      LocalDate day = Instant.ofEpochMilli(((IntervalWindow) window).start().getMillis()).atZone(ZoneOffset.UTC).toLocalDate();
      summaries.inc();
      out.output(storeDay.getValue().summarize(storeDay.getKey(), day));
    }
  }
}
