package dev.medallion.transforms.snapshot;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.TestFlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

/**
 * DailySnapshots on the Flink runner (embedded, streaming), the other runner the project uses: one
 * TestStream scenario that fires by count and by bytes, with a late date and two pipelines (the
 * same rules DailySnapshotsTest checks one by one on the DirectRunner, in the transforms module,
 * which has no Flink).
 */
public class DailySnapshotsFlinkTest {
  private static final SnapshotKey STOCK_4 =
      SnapshotKey.of("stock_health", LocalDate.of(2024, 12, 4));
  private static final SnapshotKey STOCK_5 =
      SnapshotKey.of("stock_health", LocalDate.of(2024, 12, 5));
  private static final SnapshotKey PO_4 = SnapshotKey.of("po_snapshots", LocalDate.of(2024, 12, 4));

  @Test
  public void firesByCountBytesAndTimeOnFlink() {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(TestFlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setStreaming(true);
    options.setParallelism(1);
    Pipeline pipeline = Pipeline.create(options);

    TestStream<KV<SnapshotKey, String>> input =
        TestStream.create(KvCoder.of(SnapshotKey.Coder.of(), StringUtf8Coder.of()))
            .advanceWatermarkTo(new Instant(0))
            .addElements(KV.of(STOCK_4, "s1"), KV.of(STOCK_4, "s2"), KV.of(STOCK_4, "s3"))
            .addElements(KV.of(PO_4, "pppppppppppp")) // 12 bytes: over 10 at once
            .addElements(KV.of(STOCK_5, "t1"))
            .advanceWatermarkTo(new Instant(0).plus(Duration.standardDays(3)))
            .addElements(KV.of(STOCK_4, "late4"))
            .advanceWatermarkToInfinity();
    PCollection<String> panes =
        pipeline
            .apply(input)
            .apply(
                DailySnapshots.<String>sizedBy(s -> (long) s.length())
                    .withPolicy(
                        FlushPolicy.defaults()
                            .withMaxElements(3)
                            .withMaxBytes(10)
                            .withMaxDelay(java.time.Duration.ofMinutes(5))))
            .apply(
                MapElements.into(TypeDescriptors.strings()).via(DailySnapshotsFlinkTest::describe));
    // s1..s3: COUNT (3); po: BYTES (12 >= 10); Dec 5's t1 waits for the end (FINAL); Dec 4's
    // file arriving after the watermark passed its day fires Dec 4 again with all four (FINAL).
    // The Flink runner's TestStream cannot advance processing time ("Advancing Processing time is
    // not supported by the Flink Runner"), so TIME firings are checked on the DirectRunner only.
    PAssert.that(panes)
        .containsInAnyOrder(
            "stock_health/2024-12-04 #0 COUNT [s1, s2, s3] 6",
            "po_snapshots/2024-12-04 #0 BYTES [pppppppppppp] 12",
            "stock_health/2024-12-05 #0 FINAL [t1] 2",
            "stock_health/2024-12-04 #1 FINAL [late4, s1, s2, s3] 11");
    pipeline.run().waitUntilFinish();
  }

  static String describe(SnapshotPane<String> pane) {
    List<String> elements = new ArrayList<>(pane.elements());
    Collections.sort(elements);
    return pane.key()
        + " #"
        + pane.index()
        + " "
        + pane.firing()
        + " "
        + elements
        + " "
        + pane.bytes();
  }
}
