package dev.medallion.transforms.edge;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
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
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Never;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Transactions to one summary per store and UTC day: each sale is stamped with its own time,
 * windowed into calendar days, and combined per store. Each day fires once, when the input is
 * complete, whatever timestamps the input carried. The summaries come out in the global window so
 * that the write and what waits on it see one pane.
 */
public final class SummarizeStoreDays extends PTransform<PCollection<EdgeTransaction>, PCollection<StoreDailySummary>> {
  private static final long serialVersionUID = 1L;
  /** Enough lateness that no day window expires before the global window does. */
  private static final Duration UNTIL_END_OF_GLOBAL_WINDOW =
      new Duration(BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE.maxTimestamp());

  public static SummarizeStoreDays perStoreAndDay() {
    return new SummarizeStoreDays();
  }

  @Override
  public PCollection<StoreDailySummary> expand(PCollection<EdgeTransaction> transactions) {
    return transactions
        .apply("StampWithSaleTime", WithTimestamps.<EdgeTransaction>of(t -> new org.joda.time.Instant(t.getTimestampMillis()))
            .withAllowedTimestampSkew(Duration.millis(Long.MAX_VALUE)))
        .apply("WindowIntoUtcDays", Window.<EdgeTransaction>into(FixedWindows.of(Duration.standardDays(1)))
            // Stamping moves sales back in time, possibly behind the watermark: input that comes out of
            // a GroupByKey carries the end of the global window, so its watermark is already past every
            // day. With the default trigger and no allowed lateness those days were dropped as late.
            // Keep every day open until the end of the global window and emit it once, complete.
            .triggering(Never.ever())
            .withAllowedLateness(UNTIL_END_OF_GLOBAL_WINDOW)
            .discardingFiredPanes())
        .apply("KeyByStore", WithKeys.of(EdgeTransaction::getStoreId).withKeyType(TypeDescriptors.strings()))
        .apply("CombineStoreDay", Combine.perKey(new StoreDayFn()))
        .apply("ToSummaryRows", ParDo.of(new ToSummaryFn()))
        .apply("BackToGlobalWindow", Window.into(new GlobalWindows()));
  }

  static final class StoreDayFn extends Combine.CombineFn<EdgeTransaction, StoreDayAggregator, StoreDayAggregator> {
    private static final long serialVersionUID = 1L;

    @Override
    public StoreDayAggregator createAccumulator() {
      return new StoreDayAggregator();
    }

    @Override
    public StoreDayAggregator addInput(StoreDayAggregator accumulator, EdgeTransaction input) {
      return accumulator.add(input);
    }

    @Override
    public StoreDayAggregator mergeAccumulators(Iterable<StoreDayAggregator> accumulators) {
      StoreDayAggregator merged = new StoreDayAggregator();
      accumulators.forEach(merged::merge);
      return merged;
    }

    @Override
    public StoreDayAggregator extractOutput(StoreDayAggregator accumulator) {
      return accumulator;
    }

    @Override
    public Coder<StoreDayAggregator> getAccumulatorCoder(CoderRegistry registry, Coder<EdgeTransaction> inputCoder) {
      return SerializableCoder.of(StoreDayAggregator.class);
    }

    @Override
    public Coder<StoreDayAggregator> getDefaultOutputCoder(CoderRegistry registry, Coder<EdgeTransaction> inputCoder) {
      return SerializableCoder.of(StoreDayAggregator.class);
    }
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
