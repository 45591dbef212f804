package dev.medallion.transforms.snapshot;

import static org.junit.Assert.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * The aggregator's firing rules with TestStream, one scenario per test: elements are strings whose
 * size is their length in bytes, and each pane is checked as "key #index FIRING [elements] bytes"
 * (elements sorted, since a bag keeps no order).
 */
public class DailySnapshotsTest {
  private static final LocalDate DEC_4 = LocalDate.of(2024, 12, 4);
  private static final LocalDate DEC_5 = LocalDate.of(2024, 12, 5);
  private static final SnapshotKey STOCK_4 = SnapshotKey.of("stock_health", DEC_4);
  private static final SnapshotKey STOCK_5 = SnapshotKey.of("stock_health", DEC_5);
  private static final SnapshotKey PO_4 = SnapshotKey.of("po_snapshots", DEC_4);
  private static final Instant T0 = new Instant(0);

  /** A policy that never fires by what the test does not exercise. */
  private static final FlushPolicy NEVER =
      FlushPolicy.defaults()
          .withMaxElements(1000)
          .withMaxBytes(1_000_000)
          .withMaxDelay(java.time.Duration.ofDays(1));

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static TestStream.Builder<KV<SnapshotKey, String>> stream() {
    return TestStream.create(KvCoder.of(SnapshotKey.Coder.of(), StringUtf8Coder.of()))
        .advanceWatermarkTo(T0);
  }

  private static TimestampedValue<KV<SnapshotKey, String>> file(SnapshotKey key, String name) {
    Instant businessDay =
        new Instant(
            key.businessDate().atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli());
    return TimestampedValue.of(KV.of(key, name), businessDay);
  }

  private PCollection<String> panes(TestStream<KV<SnapshotKey, String>> input, FlushPolicy policy) {
    return pipeline
        .apply(input)
        .apply(DailySnapshots.<String>sizedBy(s -> (long) s.length()).withPolicy(policy))
        .apply(MapElements.into(TypeDescriptors.strings()).via(DailySnapshotsTest::describe));
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

  @Test
  public void defaultsAreTheSeedsFiveFilesTenMegabytesFiveMinutes() {
    FlushPolicy defaults = FlushPolicy.defaults();
    assertEquals(5, defaults.maxElements());
    assertEquals(10L * 1024 * 1024, defaults.maxBytes());
    assertEquals(java.time.Duration.ofMinutes(5), defaults.maxDelay());
  }

  @Test
  public void firesEveryNElementsAndAccumulates() {
    TestStream<KV<SnapshotKey, String>> input =
        stream()
            .addElements(file(STOCK_4, "s1"), file(STOCK_4, "s2"))
            .addElements(file(STOCK_4, "s3"))
            .addElements(file(STOCK_4, "s4"))
            .addElements(file(STOCK_4, "s5"))
            .advanceWatermarkToInfinity();
    // 2 per pane: s1,s2 fire (4 bytes); s3,s4 fire with all four (8); s5 is left for the final
    // pane when the input ends, with all five (10).
    PAssert.that(panes(input, NEVER.withMaxElements(2)))
        .containsInAnyOrder(
            "stock_health/2024-12-04 #0 COUNT [s1, s2] 4",
            "stock_health/2024-12-04 #1 COUNT [s1, s2, s3, s4] 8",
            "stock_health/2024-12-04 #2 FINAL [s1, s2, s3, s4, s5] 10");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void firesOnceTheNewElementsReachTheBytes() {
    TestStream<KV<SnapshotKey, String>> input =
        stream()
            .addElements(file(STOCK_4, "aaaaaa")) // 6 bytes: below 10
            .addElements(file(STOCK_4, "bbbbb")) // 11: fires
            .addElements(file(STOCK_4, "cccc")) // 4 new bytes since the firing: below 10
            .addElements(file(STOCK_4, "dddddddddd")) // 14 new: fires
            .advanceWatermarkToInfinity();
    PAssert.that(panes(input, NEVER.withMaxBytes(10)))
        .containsInAnyOrder(
            "stock_health/2024-12-04 #0 BYTES [aaaaaa, bbbbb] 11",
            "stock_health/2024-12-04 #1 BYTES [aaaaaa, bbbbb, cccc, dddddddddd] 25");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void firesAfterTheDelaySinceTheFirstNewElement() {
    TestStream<KV<SnapshotKey, String>> input =
        stream()
            .addElements(file(STOCK_4, "s1"))
            .advanceProcessingTime(Duration.standardMinutes(4)) // 4 min: not yet
            .addElements(file(STOCK_4, "s2"))
            .advanceProcessingTime(Duration.standardMinutes(2)) // 6 min after s1: fires
            .addElements(file(STOCK_4, "s3"))
            .advanceProcessingTime(Duration.standardMinutes(5)) // 5 min after s3: fires
            .advanceProcessingTime(Duration.standardMinutes(30)) // nothing new: no pane
            .advanceWatermarkToInfinity(); // nothing new: no final pane
    PAssert.that(panes(input, NEVER.withMaxDelay(java.time.Duration.ofMinutes(5))))
        .containsInAnyOrder(
            "stock_health/2024-12-04 #0 TIME [s1, s2] 4",
            "stock_health/2024-12-04 #1 TIME [s1, s2, s3] 6");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aLateFileForAnEarlierDateRefiresThatDate() {
    TestStream<KV<SnapshotKey, String>> input =
        stream()
            .addElements(file(STOCK_4, "store1-dec4"), file(STOCK_4, "store2-dec4"))
            .advanceWatermarkTo(new Instant(DEC_5.plusDays(1).toEpochDay() * 86_400_000L))
            .addElements(file(STOCK_5, "store1-dec5"), file(STOCK_5, "store2-dec5"))
            // two days after its business date, a third store's file for Dec 4
            .advanceWatermarkTo(new Instant(DEC_5.plusDays(2).toEpochDay() * 86_400_000L))
            .addElements(file(STOCK_4, "store3-dec4"))
            .advanceProcessingTime(Duration.standardMinutes(6))
            .advanceWatermarkToInfinity();
    PAssert.that(
            panes(input, NEVER.withMaxElements(2).withMaxDelay(java.time.Duration.ofMinutes(5))))
        .containsInAnyOrder(
            "stock_health/2024-12-04 #0 COUNT [store1-dec4, store2-dec4] 22",
            "stock_health/2024-12-05 #0 COUNT [store1-dec5, store2-dec5] 22",
            "stock_health/2024-12-04 #1 TIME [store1-dec4, store2-dec4, store3-dec4] 33");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void twoPipelinesFireIndependently() {
    TestStream<KV<SnapshotKey, String>> input =
        stream()
            .addElements(file(STOCK_4, "s1"), file(PO_4, "p1"))
            .addElements(file(STOCK_4, "s2"))
            .addElements(file(STOCK_4, "s3"), file(STOCK_4, "s4"))
            .advanceWatermarkToInfinity();
    // stock_health fires at 2 and 4 of its own; po_snapshots' single file waits for the end
    // (3 stock files arriving in between never count towards it).
    PAssert.that(panes(input, NEVER.withMaxElements(2)))
        .containsInAnyOrder(
            "stock_health/2024-12-04 #0 COUNT [s1, s2] 4",
            "stock_health/2024-12-04 #1 COUNT [s1, s2, s3, s4] 8",
            "po_snapshots/2024-12-04 #0 FINAL [p1] 2");
    pipeline.run().waitUntilFinish();
  }
}
