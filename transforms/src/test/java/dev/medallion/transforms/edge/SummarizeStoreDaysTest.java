package dev.medallion.transforms.edge;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

public class SummarizeStoreDaysTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static long millis(String isoWithOffset) {
    return java.time.OffsetDateTime.parse(isoWithOffset).toInstant().toEpochMilli();
  }

  static EdgeTransaction sale(
      String id, String store, String device, String amount, String payment, String isoWithOffset) {
    return EdgeTransaction.builder()
        .setTransactionId(id)
        .setStoreId(store)
        .setDeviceId(device)
        .setTimestampMillis(millis(isoWithOffset))
        .setAmount(new BigDecimal(amount))
        .setCurrency("EUR")
        .setPaymentMethod(payment)
        .setPayloadJson("{\"transaction_id\":\"" + id + "\"}")
        .setBronzeId("bronze-" + id)
        .setFilePath("landing/" + device + "_x.json")
        .setRecordIndex(0)
        .setLandedAtMillis(0L)
        .setIngestedAtMillis(0L)
        .build();
  }

  // Store s1 on 2024-06-18 UTC: t1 23:30 at -02:00 on the 17th is 01:30 UTC on the 18th.
  private static final List<EdgeTransaction> SALES =
      List.of(
          sale(
              "t1",
              "s1",
              "d1",
              "10.00",
              "card",
              "2024-06-17T23:30:00-02:00"), // 2024-06-18T01:30:00Z
          sale(
              "t2",
              "s1",
              "d2",
              "20.00",
              "cash",
              "2024-06-18T12:00:00+02:00"), // 2024-06-18T10:00:00Z
          sale("t3", "s1", "d1", "5.50", null, "2024-06-18T23:59:59Z"),
          // Store s1 on 2024-06-17 UTC: 21:59:59 at -02:00 is 23:59:59 UTC, still the 17th.
          sale("t4", "s1", "d3", "7.25", "mobile", "2024-06-17T21:59:59-02:00"),
          // Store s2 on 2024-06-18 UTC, t5 listed twice (the same transaction seen twice counts
          // once).
          sale(
              "t5",
              "s2",
              "d9",
              "3.00",
              "cash",
              "2024-06-18T08:00:00+02:00"), // 2024-06-18T06:00:00Z
          sale("t5", "s2", "d9", "3.00", "cash", "2024-06-18T08:00:00+02:00"),
          sale("t6", "s2", "d9", "4.00", "cash", "2024-06-18T20:00:00Z"),
          // Store s2 on 2024-06-19 UTC: 00:00:00Z exactly starts the 19th.
          sale("t7", "s2", "d8", "1.99", "card", "2024-06-19T00:00:00Z"));

  private static final StoreDailySummary[] EXPECTED = {
    // s1 2024-06-18: t1, t2, t3 -> 3 sales; devices d1, d2 -> 2; 10.00 + 20.00 + 5.50 = 35.50;
    // 35.50 / 3 = 11.83333 -> 11.8333; payments card 1, cash 1 (t3 has none) -> tie -> "card";
    // first t1 01:30Z, last t3 23:59:59Z.
    StoreDailySummary.create(
        "s1",
        LocalDate.of(2024, 6, 18),
        3,
        2,
        new BigDecimal("35.50"),
        new BigDecimal("11.8333"),
        "card",
        millis("2024-06-18T01:30:00Z"),
        millis("2024-06-18T23:59:59Z")),
    // s1 2024-06-17: t4 alone -> 1 sale, 1 device, 7.25, avg 7.2500, mobile, first = last.
    StoreDailySummary.create(
        "s1",
        LocalDate.of(2024, 6, 17),
        1,
        1,
        new BigDecimal("7.25"),
        new BigDecimal("7.2500"),
        "mobile",
        millis("2024-06-17T23:59:59Z"),
        millis("2024-06-17T23:59:59Z")),
    // s2 2024-06-18: distinct t5, t6 -> 2 sales, 1 device (d9); 3.00 + 4.00 = 7.00, avg 3.5000;
    // cash 2;
    // first t5 06:00Z, last t6 20:00Z.
    StoreDailySummary.create(
        "s2",
        LocalDate.of(2024, 6, 18),
        2,
        1,
        new BigDecimal("7.00"),
        new BigDecimal("3.5000"),
        "cash",
        millis("2024-06-18T06:00:00Z"),
        millis("2024-06-18T20:00:00Z")),
    // s2 2024-06-19: t7 alone -> 1 sale, 1 device, 1.99, avg 1.9900, card.
    StoreDailySummary.create(
        "s2",
        LocalDate.of(2024, 6, 19),
        1,
        1,
        new BigDecimal("1.99"),
        new BigDecimal("1.9900"),
        "card",
        millis("2024-06-19T00:00:00Z"),
        millis("2024-06-19T00:00:00Z")),
  };

  @Test
  public void oneSummaryPerStoreAndUtcDay() throws Exception {
    PCollection<StoreDailySummary> summaries =
        p.apply(Create.of(SALES).withCoder(EdgeTransaction.Coder.of()))
            .apply(SummarizeStoreDays.perStoreAndDay());

    PAssert.that(summaries).containsInAnyOrder(EXPECTED);
    p.run().waitUntilFinish();
  }

  @Test
  public void salesStampedAtTheEndOfTheGlobalWindowAreNotLost() throws Exception {
    // Elements that come out of a GroupByKey (or any aggregation) in the global window carry the
    // window's end as their timestamp; in the edge pipeline silver rows are read after waits on
    // writes.
    List<TimestampedValue<EdgeTransaction>> late =
        SALES.stream()
            .map(t -> TimestampedValue.of(t, GlobalWindow.INSTANCE.maxTimestamp()))
            .toList();
    PCollection<StoreDailySummary> summaries =
        p.apply(Create.timestamped(late).withCoder(EdgeTransaction.Coder.of()))
            .apply(SummarizeStoreDays.perStoreAndDay());

    PAssert.that(summaries).containsInAnyOrder(EXPECTED);
    p.run().waitUntilFinish();
  }

  @Test
  public void salesComingOutOfAGroupByKeyAreNotLost() throws Exception {
    PCollection<EdgeTransaction> regrouped =
        p.apply(Create.of(SALES).withCoder(EdgeTransaction.Coder.of()))
            .apply(WithKeys.of(EdgeTransaction::getStoreId).withKeyType(TypeDescriptors.strings()))
            .apply(GroupByKey.create())
            .apply(ParDo.of(new UngroupFn()))
            .setCoder(EdgeTransaction.Coder.of());

    PAssert.that(regrouped.apply(SummarizeStoreDays.perStoreAndDay())).containsInAnyOrder(EXPECTED);
    p.run().waitUntilFinish();
  }

  /** Emits each grouped sale again; its timestamp is the end of the global window. */
  static final class UngroupFn
      extends DoFn<KV<String, Iterable<EdgeTransaction>>, EdgeTransaction> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<EdgeTransaction>> store, OutputReceiver<EdgeTransaction> out) {
      store.getValue().forEach(out::output);
    }
  }

  @Test
  public void noSalesNoSummaries() throws Exception {
    PCollection<StoreDailySummary> summaries =
        p.apply(Create.empty(EdgeTransaction.Coder.of()))
            .apply(SummarizeStoreDays.perStoreAndDay());
    PAssert.that(summaries).empty();
    p.run().waitUntilFinish();
  }
}
